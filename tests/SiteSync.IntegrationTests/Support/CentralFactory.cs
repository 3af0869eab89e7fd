using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace SiteSync.IntegrationTests.Support;

/// <summary>The real central server on a real Kestrel socket (port 0), on the test's own database.</summary>
public sealed class CentralFactory : WebApplicationFactory<Program>
{
    public const string AdminPassword = "admin-password-for-tests";

    private readonly TestDatabase _database;
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly TimeProvider? _time;

    public CentralFactory(TestDatabase database, IReadOnlyDictionary<string, string?>? settings = null, TimeProvider? time = null)
    {
        _database = database;
        _settings = settings ?? new Dictionary<string, string?>();
        _time = time;
        UseKestrel(0);
    }

    /// <summary>Every log line the server wrote.</summary>
    public CapturedLogs Logs { get; } = new();

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
        builder.UseSetting("SiteSync:Database:Provider", _database.Engine == Engine.Postgres ? "postgres" : "sqlite");
        builder.UseSetting("SiteSync:Database:ConnectionString", _database.ConnectionString);
        builder.UseSetting("SiteSync:DataDirectory", Path.Combine(_database.Directory, "data"));
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

    public static AuthenticationHeaderValue BasicHeader(string username, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));
}
