using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace SiteSync.Testing;

/// <summary>Where a test's central keeps its data: the provider (<c>sqlite</c> or <c>postgres</c>), the connection string, and
/// a scratch directory owned by the test.</summary>
public sealed record CentralStorage(string Provider, string ConnectionString, string Directory)
{
    /// <summary>A SQLite file in <paramref name="directory"/>.</summary>
    public static CentralStorage Sqlite(string directory) =>
        new("sqlite", $"Data Source={Path.Combine(directory, "central.db")};Pooling=True", directory);
}

/// <summary>The real central server on a real Kestrel socket (port 0), on the test's own database, with the bootstrap admin's
/// password set and every log line captured.</summary>
public sealed class CentralFactory : WebApplicationFactory<Program>
{
    public const string AdminPassword = "admin-password-for-tests";

    private readonly CentralStorage _storage;
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly TimeProvider? _time;

    /// <param name="storage">The database and scratch directory.</param>
    /// <param name="settings">Configuration on top of the test defaults.</param>
    /// <param name="time">The server's clock (a FakeTimeProvider); the real one by default.</param>
    /// <param name="logLevel">The lowest level captured in <see cref="Logs"/>.</param>
    public CentralFactory(
        CentralStorage storage, IReadOnlyDictionary<string, string?>? settings = null, TimeProvider? time = null, LogLevel logLevel = LogLevel.Debug)
    {
        _storage = storage;
        _settings = settings ?? new Dictionary<string, string?>();
        _time = time;
        Logs = new CapturedLogs(logLevel);
        UseKestrel(0);
    }

    /// <summary>Every log line the server wrote at or above the factory's level.</summary>
    public CapturedLogs Logs { get; }

    /// <summary>The address the server listens on, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress
    {
        get
        {
            StartServer();
            var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("urls", "http://127.0.0.1:0");
        builder.UseSetting("SiteSync:Database:Provider", _storage.Provider);
        builder.UseSetting("SiteSync:Database:ConnectionString", _storage.ConnectionString);
        builder.UseSetting("SiteSync:DataDirectory", Path.Combine(_storage.Directory, "data"));
        builder.UseSetting("SiteSync:Admin:InitialPassword", AdminPassword);
        if (_time is not null)
        {
            // A refused sync credential waits on the server's clock; a test that steps its own clock would wait forever. The
            // tarpit itself is tested on a stepped clock (SiteAuthTarpitTests), which sets the delay back.
            builder.UseSetting("SiteSync:Sync:RefusalDelay", "00:00:00");
        }
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Debug).AddProvider(Logs));
        if (_time is not null)
        {
            builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton(_time)));
        }
    }

    /// <summary>A client on the real socket, with HTTP Basic credentials when given.</summary>
    public HttpClient CreateHttpClient(string? username = null, string? password = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (username is not null)
        {
            client.DefaultRequestHeaders.Authorization = BasicHeader(username, password ?? "");
        }
        return client;
    }

    /// <summary>The bootstrap admin's client of the admin API.</summary>
    public AdminClient CreateAdminClient() => new(CreateHttpClient("admin", AdminPassword));

    public static AuthenticationHeaderValue BasicHeader(string username, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));
}
