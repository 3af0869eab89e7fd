using System.Diagnostics;
using System.Text.Json.Nodes;

namespace SiteSync.Bench;

/// <summary>Central side of initialisation: how long <c>POST initialise</c> keeps a site waiting for a store of N records,
/// and how fast the site can then drain its queue (pull 500 + acknowledge) over loopback HTTP.</summary>
public static class InitialiseScenario
{
    public static async Task<JsonObject> RunAsync(BenchOptions options)
    {
        var count = options.Size("--records", 50_000, 1_000);
        var records = new LegacyRecords(options.RecordBytes);
        await using var central = await CentralProcess.StartAsync(options.Provider);
        var warmup = await Warmup.RunAsync(central, records, options);
        var storeId = await Setup.CreateStoreAsync(central, "BIG", "Regional warehouse");
        var load = await Setup.LoadAsync(central, "transact", count, i => records.Transact(i, storeId));
        await Setup.CreateSiteAsync(central, "bench-site", Setup.SitePassword, storeId);
        using var http = V5Site.CreateHttpClient(central.BaseAddress);
        var site = new V5Site(http, "bench-site", Setup.SitePassword, "bench-hardware-id");
        await site.GetAsync("sync/v5/site", CancellationToken.None); // the slow hash, once; the credential cache keeps it

        List<double> initialise = [];
        long queueLength = 0;
        for (var run = 0; run < 3; run++)
        {
            var watch = Stopwatch.StartNew();
            var answer = await site.PostAsync("sync/v5/initialise", "{}", CancellationToken.None);
            initialise.Add(watch.Elapsed.TotalMilliseconds);
            queueLength = answer.GetProperty("queueLength").GetInt64();
        }

        var drain = Stopwatch.StartNew();
        var page = await site.GetAsync("sync/v5/queued_records?limit=500", CancellationToken.None);
        var firstPage = drain.Elapsed;
        var ids = string.Join(',', page.GetProperty("data").EnumerateArray().Select(r => $"\"{r.GetProperty("syncOutId").GetString()}\""));
        await site.PostAsync("sync/v5/acknowledged_records", $$"""{"syncIDs":[{{ids}}]}""", CancellationToken.None);
        var pulled = page.GetProperty("data").GetArrayLength() + await site.PullQueueAsync(CancellationToken.None);
        drain.Stop();

        return Figures.Line("initialise-central", options.Provider,
            new JsonObject { ["records"] = count, ["recordBytes"] = records.RecordBytes },
            new JsonObject
            {
                ["queueLength"] = queueLength,
                ["initialiseMs"] = Figures.Summary(initialise),
                ["firstPageMs"] = Figures.Milliseconds(firstPage),
                ["drained"] = pulled,
                ["drainRecordsPerSecond"] = Figures.Round(pulled / drain.Elapsed.TotalSeconds, 0),
                ["loadRecordsPerSecond"] = Figures.Round(count / load.TotalSeconds, 0),
                ["centralPeakMiB"] = Figures.Round(central.PeakMemoryMiB()),
                ["warmupSeconds"] = Figures.Seconds(warmup),
            });
    }
}
