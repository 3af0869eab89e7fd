using Microsoft.Data.Sqlite;
using SiteSync.Remote.Sync;
using SiteSync.Testing;

namespace SiteSync.Remote.Tests.Support;

/// <summary>A remote site in a fresh temporary data directory, talking to a <see cref="FakeCentral"/>. Dispose to delete it.</summary>
public sealed class TestSite : IDisposable
{
    public const string HardwareId = "hw-test-0001";
    public const string AuthCode = "unlock-4321";

    private readonly HttpClient _http;

    public TestSite(FakeCentral central, string? directory = null, Action<RemoteSiteOptions>? configure = null, TimeProvider? time = null)
    {
        Central = central;
        DataDirectory = directory ?? Path.Combine(Path.GetTempPath(), "sitesync-remote-tests", Guid.NewGuid().ToString("N"));
        _http = new HttpClient(central, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        Options = new RemoteSiteOptions
        {
            DataDirectory = DataDirectory,
            IntegrationPollPeriod = TimeSpan.FromMilliseconds(5),
            InitialisationPollPeriod = TimeSpan.FromMilliseconds(5),
        };
        configure?.Invoke(Options);
        Site = new RemoteSite(_http, Options, time);
    }

    public FakeCentral Central { get; }
    public string DataDirectory { get; }
    public RemoteSiteOptions Options { get; }
    public RemoteSite Site { get; private set; }

    public string DatabaseFile => Path.Combine(DataDirectory, "sitesync-remote.db");

    /// <param name="central">The fake central.</param>
    /// <param name="withAuthCode">Whether to lock protected settings with <see cref="AuthCode"/>.</param>
    /// <param name="configure">Changes the options.</param>
    /// <param name="time">The site's clock (a <see cref="SteppedClock"/> for tests of waits and timeouts); the real one by default.</param>
    public static async Task<TestSite> CreateAsync(
        FakeCentral central, bool withAuthCode = false, Action<RemoteSiteOptions>? configure = null, TimeProvider? time = null)
    {
        var site = new TestSite(central, configure: configure, time: time);
        await site.Site.InitAsync(
            new RemoteSetup(FakeCentral.Url, FakeCentral.SiteName, FakeCentral.Password, withAuthCode ? AuthCode : null, HardwareId),
            TestContext.Current.CancellationToken);
        return site;
    }

    /// <summary>A new instance over the same directory, as a restarted process would open it.</summary>
    public RemoteSite Reopen()
    {
        Site = new RemoteSite(_http, Options);
        return Site;
    }

    public Task<SyncReport> SyncAsync(SyncCycleOptions? options = null) => Site.SyncAsync(options, TestContext.Current.CancellationToken);

    /// <summary>Runs SQL on the site's database file, as an operator with sqlite3 would.</summary>
    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabaseFile};Pooling=False");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public Task ExecuteAsync(string sql) => ScalarAsync<long>(sql);

    public void Dispose()
    {
        _http.Dispose();
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
