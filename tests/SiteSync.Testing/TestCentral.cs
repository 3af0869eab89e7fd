using Microsoft.Extensions.DependencyInjection;
using SiteSync.Central.Storage;

namespace SiteSync.Testing;

/// <summary>One test's central server: fresh database, started server, and an admin client. Dispose at the end of the test.</summary>
public sealed class TestCentral : IAsyncDisposable
{
    private TestCentral(TestDatabase database, CentralFactory factory)
    {
        Database = database;
        Factory = factory;
        Admin = factory.CreateAdminClient();
    }

    public TestDatabase Database { get; }
    public CentralFactory Factory { get; }

    /// <summary>The bootstrap admin over HTTP Basic.</summary>
    public AdminClient Admin { get; }

    public Uri BaseAddress => Factory.BaseAddress;

    public static async Task<TestCentral> StartAsync(
        Engine engine, IReadOnlyDictionary<string, string?>? settings = null, TimeProvider? time = null)
    {
        var database = await TestDatabase.CreateAsync(engine, TestContext.Current.CancellationToken);
        var factory = new CentralFactory(database.Storage, settings, time);
        factory.StartServer();
        return new TestCentral(database, factory);
    }

    /// <summary>Starts another central node on the same database (several nodes behind a load balancer, DESIGN §7).</summary>
    public CentralFactory StartNode()
    {
        var node = new CentralFactory(Database.Storage);
        node.StartServer();
        _nodes.Add(node);
        return node;
    }

    private readonly List<CentralFactory> _nodes = [];

    /// <summary>Runs a query against central's database, the way an operator with psql or sqlite3 would look.</summary>
    public async Task<T> QueryAsync<T>(Func<SiteSyncDbContext, Task<T>> query)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<SiteSyncDbContext>());
    }

    public async ValueTask DisposeAsync()
    {
        if (Environment.GetEnvironmentVariable("SITESYNC_TEST_LOGS") is { Length: > 0 } directory)
        {
            await File.WriteAllLinesAsync(Path.Combine(directory, $"{TestContext.Current.Test?.TestDisplayName.Replace('/', '_')}.log"), Factory.Logs.Lines);
        }
        Admin.Dispose();
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
        await Factory.DisposeAsync();
        await Database.DisposeAsync();
    }
}
