using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SiteSync.Central.Storage;
using SiteSync.Testing;

namespace SiteSync.E2ETests.Support;

/// <summary>One test's central server: the shared <see cref="CentralFactory"/> on a fresh SQLite file (the UI is the subject
/// here, the engines are covered by the integration tests), with its warnings and errors captured, and the bootstrap admin
/// over HTTP Basic for seeding.</summary>
public sealed class UiCentral : IAsyncDisposable
{
    public const string AdminPassword = CentralFactory.AdminPassword;

    private readonly string _directory;
    private readonly CentralFactory _factory;

    private UiCentral(string directory, CentralFactory factory)
    {
        _directory = directory;
        _factory = factory;
        BaseAddress = factory.BaseAddress;
        Admin = factory.CreateAdminClient();
    }

    /// <summary>Where the browser goes, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    public AdminClient Admin { get; }

    /// <summary>The server's warnings and errors so far.</summary>
    public IReadOnlyCollection<string> ServerLog => _factory.Logs.Lines;

    /// <param name="time">The server's clock, for tests that need sites synced days ago (a FakeTimeProvider); the real one by default.</param>
    /// <param name="settings">Configuration over the defaults (keys as in appsettings, e.g. <c>SiteSync:RateLimits:…</c>).</param>
    public static UiCentral Start(TimeProvider? time = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var directory = Directory.CreateTempSubdirectory("sitesync-e2e-").FullName;
        var factory = new CentralFactory(CentralStorage.Sqlite(directory), settings, time: time, logLevel: LogLevel.Warning);
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
}
