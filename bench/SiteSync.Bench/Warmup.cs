using System.Diagnostics;
using System.Text;

namespace SiteSync.Bench;

/// <summary>An untimed site that runs every sync path once (admin upserts, initialise, both pulls with data, acknowledge,
/// a push with integration, status) so that the first timed request does not pay central's JIT. Its store and data are
/// its own: the timed sites see only its store's two change-log rows.</summary>
public static class Warmup
{
    public static async Task<TimeSpan> RunAsync(CentralProcess central, LegacyRecords records, BenchOptions options)
    {
        var count = options.IsQuick ? 100 : 600;
        var watch = Stopwatch.StartNew();
        var storeId = await Setup.CreateStoreAsync(central, "WARM", "Warm-up store");
        await Setup.LoadAsync(central, "transact", count, i => records.Transact(1_000_000_000 + i, storeId));
        await Setup.CreateSiteAsync(central, "bench-warm-up", Setup.SitePassword, storeId);
        using var http = V5Site.CreateHttpClient(central.BaseAddress);
        var site = new V5Site(http, "bench-warm-up", Setup.SitePassword, "bench-warm-up-hardware-id");
        await site.InitialSyncAsync(CancellationToken.None);

        await site.GetAsync("sync/v5/site", CancellationToken.None);
        var pushed = new StringBuilder("[");
        for (var i = 0; i < count; i++)
        {
            pushed.Append(i == 0 ? "" : ",")
                .Append($$"""{"syncOutId":"{{i + 1}}","tableName":"transact","recordId":"{{LegacyRecords.TransactId(1_000_000_000 + i)}}","action":"Update","recordData":""")
                .Append(records.Transact(1_000_000_000 + i, storeId, version: 1)).Append('}');
        }
        await site.PushAsync(pushed.Append(']').ToString(), count, TimeSpan.FromMilliseconds(50), CancellationToken.None);
        await site.PullCentralAsync(null, CancellationToken.None);
        await site.PullQueueAsync(CancellationToken.None);
        return watch.Elapsed;
    }
}
