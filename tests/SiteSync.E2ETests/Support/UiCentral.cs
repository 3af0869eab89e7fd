using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using SiteSync.Central.Storage;

namespace SiteSync.E2ETests.Support;

/// <summary>One test's central server: the real host on a real Kestrel socket (port 0) with a fresh SQLite file, and the
/// bootstrap admin over HTTP Basic for seeding. (The same idea as IntegrationTests' CentralFactory, SQLite only: the UI is
/// the subject here, the engines are covered there.)</summary>
public sealed class UiCentral : IAsyncDisposable
{
    public const string AdminPassword = "admin-password-for-e2e";

    private readonly string _directory;
    private readonly Factory _factory;

    private UiCentral(string directory, Factory factory)
    {
        _directory = directory;
        _factory = factory;
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
        Admin = new AdminApi(new HttpClient { BaseAddress = BaseAddress }, "admin", AdminPassword);
    }

    /// <summary>Where the browser goes, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    public AdminApi Admin { get; }

    /// <summary>The server's warnings and errors so far.</summary>
    public IReadOnlyCollection<string> ServerLog => _factory.Logs.Lines;

    /// <param name="time">The server's clock, for tests that need sites synced days ago (a FakeTimeProvider); the real one by default.</param>
    public static UiCentral Start(TimeProvider? time = null)
    {
        var directory = Directory.CreateTempSubdirectory("sitesync-e2e-").FullName;
        var factory = new Factory(directory, time);
        factory.StartServer();
        return new UiCentral(directory, factory);
    }

    /// <summary>Looks at, or changes, central's database directly — only for what no API can do yet (said where used).</summary>
    public async Task<T> QueryAsync<T>(Func<SiteSyncDbContext, Task<T>> query)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<SiteSyncDbContext>());
    }

    /// <summary>Rule 17: blocks the site the way a remote does, with ten wrong-password sync requests.</summary>
    public async Task BlockSiteAsync(string siteName)
    {
        for (var attempt = 1; attempt <= 10; attempt++)
        {
            await Admin.SyncWithWrongPasswordAsync(siteName);
        }
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, await Admin.SyncWithWrongPasswordAsync(siteName));
        Assert.Equal("blocked", (await Admin.ListSitesAsync()).Sites.Single(s => s.Name == siteName).Status);
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await _factory.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the closing server; the OS cleans the temp directory later.
        }
    }

    private sealed class Factory : WebApplicationFactory<Program>
    {
        private readonly string _directory;
        private readonly TimeProvider? _time;

        public CapturedLogs Logs { get; } = new();

        public Factory(string directory, TimeProvider? time)
        {
            _directory = directory;
            _time = time;
            UseKestrel(0);
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("urls", "http://127.0.0.1:0");
            builder.UseSetting("SiteSync:Database:Provider", "sqlite");
            builder.UseSetting("SiteSync:Database:ConnectionString", $"Data Source={Path.Combine(_directory, "central.db")};Pooling=True");
            builder.UseSetting("SiteSync:DataDirectory", Path.Combine(_directory, "data"));
            builder.UseSetting("SiteSync:Admin:InitialPassword", AdminPassword);
            if (_time is not null)
            {
                // A refused sync credential waits on the server's clock, which these tests step by hand.
                builder.UseSetting("SiteSync:Sync:RefusalDelay", "00:00:00");
            }
            builder.ConfigureLogging(logging => logging.AddProvider(Logs));
            if (_time is not null)
            {
                builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton(_time)));
            }
        }
    }
}
