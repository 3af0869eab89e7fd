using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using SiteSync.Testing;

namespace SiteSync.FaultTests.Support;

/// <summary>Writes of a fault run, each registered in the <see cref="History"/> with its destinations: central data (items)
/// authored on central through the admin API goes to central and every remote; store data (transactions) edited on a remote
/// goes to that remote and central, and nowhere else.</summary>
public sealed class Workload(History history, AdminClient admin, IReadOnlyList<string> remoteNames)
{
    private int _next;

    public History History => history;

    public IReadOnlyList<string> RemoteNames { get; } = remoteNames;

    private IReadOnlyList<string> Everywhere => [Checker.Central, .. RemoteNames.Select(Checker.RemoteName)];

    public string NewId(string kind) => $"{history.Prefix}{kind}-{Interlocked.Increment(ref _next):D6}";

    public static JsonObject Item(string id) => new()
    {
        ["ID"] = id, ["code"] = id[^6..], ["item_name"] = "Item " + id, ["type_of"] = "general",
    };

    /// <summary>Upserts items (new ids, or new versions of <paramref name="ids"/>) on central in one admin request; ok on 200,
    /// fail when refused or central is unreachable, info when the answer was lost.</summary>
    public async Task<(IReadOnlyList<WriteOp> Ops, OpType Outcome)> CentralItemsAsync(int count, IReadOnlyList<string>? ids = null)
    {
        var records = new JsonArray();
        List<WriteOp> ops = [];
        for (var i = 0; i < (ids?.Count ?? count); i++)
        {
            var item = Item(ids?[i] ?? NewId("item"));
            ops.Add(history.Invoke("central", "item", (string)item["ID"]!, item, Everywhere));
            records.Add(item);
        }
        var outcome = await PostAsync("api/records", new JsonObject { ["item"] = records }.ToJsonString());
        History.Complete(ops, outcome);
        return (ops, outcome);
    }

    /// <summary>Upserts central-store data (name-store joins of <paramref name="storeId"/>) on central: it goes to central and
    /// to the one remote where the store is active, through that site's queue.</summary>
    public async Task<(IReadOnlyList<WriteOp> Ops, OpType Outcome)> StoreJoinsAsync(string remote, string storeId, int count, IReadOnlyList<string>? ids = null)
    {
        var records = new JsonArray();
        List<WriteOp> ops = [];
        for (var i = 0; i < (ids?.Count ?? count); i++)
        {
            var id = ids?[i] ?? NewId("nsj");
            var join = new JsonObject { ["ID"] = id, ["name_ID"] = "name-" + id, ["store_ID"] = storeId, ["inactive"] = false };
            ops.Add(history.Invoke("central", "name_store_join", id, join, [Checker.Central, Checker.RemoteName(remote)]));
            records.Add(join);
        }
        var outcome = await PostAsync("api/records", new JsonObject { ["name_store_join"] = records }.ToJsonString());
        History.Complete(ops, outcome);
        return (ops, outcome);
    }

    /// <summary>Registers local edits of transactions on <paramref name="remote"/> for <paramref name="storeId"/> and returns them
    /// as the JSON array to put; the caller completes them with the put's outcome.</summary>
    public (IReadOnlyList<WriteOp> Ops, string Json) LocalTransactions(string remote, string storeId, int count, IReadOnlyList<string>? ids = null)
    {
        var records = new JsonArray();
        List<WriteOp> ops = [];
        for (var i = 0; i < (ids?.Count ?? count); i++)
        {
            var transaction = SyncScenario.Transaction(ids?[i] ?? NewId("tr"), storeId);
            ops.Add(history.Invoke(remote, "transact", (string)transaction["ID"]!, transaction, [Checker.Central, Checker.RemoteName(remote)]));
            records.Add(transaction);
        }
        return (ops, records.ToJsonString());
    }

    private async Task<OpType> PostAsync(string path, string json)
    {
        try
        {
            using var content = new StringContent(json, Encoding.UTF8, "application/json");
            using var response = await admin.Http.PostAsync(path, content, TestContext.Current.CancellationToken);
            return response.StatusCode switch
            {
                HttpStatusCode.OK => OpType.Ok,
                >= HttpStatusCode.InternalServerError => OpType.Info,
                _ => OpType.Fail,
            };
        }
        catch (HttpRequestException exception) when (exception.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
        {
            return OpType.Fail;
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException or TaskCanceledException)
        {
            return OpType.Info;
        }
    }
}
