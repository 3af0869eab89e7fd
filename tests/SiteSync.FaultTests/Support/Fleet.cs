using SiteSync.Testing;

namespace SiteSync.FaultTests.Support;

/// <summary>One remote site of a fault run: its name on central, the store active on it, and the node that syncs it.</summary>
public sealed record Member(string SiteName, int SiteId, string StoreId, IRemoteNode Node)
{
    public InProcessRemote InProcess => (InProcessRemote)Node;

    public RemoteCli Cli => (RemoteCli)Node;
}

/// <summary>Sites with one store each, created through the admin API, and their remotes (in-process or <c>sitesync</c>
/// processes), each with its apply log installed after its first successful sync.</summary>
public sealed class Fleet : IDisposable
{
    private Fleet(List<Member> members, History history, AdminClient admin)
    {
        Members = members;
        History = history;
        Workload = new Workload(history, admin, [.. members.Select(m => m.SiteName)]);
    }

    public IReadOnlyList<Member> Members { get; }

    public History History { get; }

    public Workload Workload { get; }

    public IEnumerable<IRemoteNode> Nodes => Members.Select(m => m.Node);

    /// <summary>Creates <paramref name="count"/> sites (named from the prefix) on central and an in-process remote for each,
    /// pointed at <paramref name="server"/> (central, or a proxy in front of it), initialised by one sync.</summary>
    public static async Task<Fleet> InProcessAsync(AdminClient admin, Uri server, Scratch scratch, int count,
        Func<int, HttpMessageHandler?>? faults = null, bool connectionPerRequest = false, TimeSpan? requestTimeout = null)
    {
        List<Member> members = [];
        for (var i = 0; i < count; i++)
        {
            var (name, siteId, storeId) = await CreateSiteAsync(admin, scratch, i);
            var remote = new InProcessRemote(name, scratch.PathOf(name), $"hw-{scratch.Prefix}{i}", faults?.Invoke(i), connectionPerRequest, requestTimeout);
            await remote.InitAsync(server, name, SyncScenario.SitePassword);
            members.Add(new Member(name, siteId, storeId, remote));
        }
        foreach (var member in members)
        {
            var (report, error) = await member.InProcess.TrySyncAsync();
            if (report is null)
            {
                // Faults may be on already: one retry, then the run's own syncs take over.
                (report, error) = await member.InProcess.TrySyncAsync();
            }
            await RemoteDb.InstallApplyLogAsync(member.Node.DatabasePath);
        }
        return new Fleet(members, new History(scratch.Prefix), admin);
    }

    /// <summary>As <see cref="InProcessAsync"/>, with real <c>sitesync</c> processes.</summary>
    public static async Task<Fleet> ProcessesAsync(AdminClient admin, Uri server, Scratch scratch, int count, int? requestSizeMax = null)
    {
        List<Member> members = [];
        for (var i = 0; i < count; i++)
        {
            var (name, siteId, storeId) = await CreateSiteAsync(admin, scratch, i);
            var cli = new RemoteCli(name, scratch.PathOf(name), $"hw-{scratch.Prefix}{i}");
            var init = await cli.InitAsync(server, name, SyncScenario.SitePassword);
            Assert.True(init.Ok, init.ToString());
            if (requestSizeMax is { } max)
            {
                var set = await cli.ConfigSetAsync("request-size-max", max.ToString(System.Globalization.CultureInfo.InvariantCulture));
                Assert.True(set.Ok, set.ToString());
            }
            await cli.SyncUntilOkAsync();
            await RemoteDb.InstallApplyLogAsync(cli.DatabasePath);
            members.Add(new Member(name, siteId, storeId, cli));
        }
        return new Fleet(members, new History(scratch.Prefix), admin);
    }

    private static async Task<(string Name, int SiteId, string StoreId)> CreateSiteAsync(AdminClient admin, Scratch scratch, int index)
    {
        var name = $"{scratch.Prefix}site{index}";
        var store = await admin.CreateStoreAsync($"{scratch.Prefix}S{index}", $"Store {index} of {scratch.Prefix}");
        var site = await admin.CreateSiteAsync(name, SyncScenario.SitePassword, storeIds: [store.Id]);
        return (name, site.Id, store.Id);
    }

    /// <summary>Puts local transactions on a member (in-process or process) and completes their history by the outcome.</summary>
    public async Task<IReadOnlyList<WriteOp>> PutTransactionsAsync(Member member, int count, IReadOnlyList<string>? ids = null)
    {
        var (ops, json) = Workload.LocalTransactions(member.SiteName, member.StoreId, count, ids);
        if (member.Node is RemoteCli cli)
        {
            var result = await cli.PutAsync("transact", json);
            History.Complete(ops, result.Ok ? OpType.Ok : result.Killed ? OpType.Info : OpType.Fail);
            Assert.True(result.Ok, result.ToString());
        }
        else
        {
            await member.InProcess.PutAsync("transact", json);
            History.Complete(ops, OpType.Ok);
        }
        return ops;
    }

    public void Dispose()
    {
        foreach (var member in Members)
        {
            if (member.Node is InProcessRemote remote)
            {
                remote.Dispose();
            }
        }
    }
}
