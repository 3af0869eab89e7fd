using System.Net;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SiteSync.Remote;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a remote site in a host.</summary>
public static class RemoteServiceCollectionExtensions
{
    /// <summary>Registers <see cref="RemoteSite"/> as a typed HTTP client with its options and <see cref="TimeProvider.System"/>
    /// (unless the host registered a clock).</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options (at least <see cref="RemoteSiteOptions.DataDirectory"/>).</param>
    /// <returns>The HTTP client builder, to add handlers.</returns>
    /// <remarks>The options are validated (<see cref="RemoteSiteOptions.Validate"/>) when the host starts.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configure"/> is null.</exception>
    public static IHttpClientBuilder AddSiteSyncRemote(this IServiceCollection services, Action<RemoteSiteOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<RemoteSiteOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RemoteSiteOptions>, RemoteSiteOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        return services
            .AddHttpClient<RemoteSite>(http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(CreateHandler)
            .AddTypedClient((http, provider) => new RemoteSite(
                http,
                provider.GetRequiredService<IOptions<RemoteSiteOptions>>().Value,
                provider.GetRequiredService<TimeProvider>(),
                provider.GetService<ILogger<RemoteSite>>()));
    }

    /// <summary>The handler the remote uses on its own: gzip like the real client, a bounded connect time (reference §1.5,
    /// reliability plan F5); the request timeout is the engine's.</summary>
    /// <returns>A new handler.</returns>
    public static HttpMessageHandler CreateHandler() => new SocketsHttpHandler
    {
        AutomaticDecompression = DecompressionMethods.GZip,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    };
}
