using System.Diagnostics;
using System.Text.Json.Nodes;
using SiteSync.Remote;

namespace SiteSync.Bench;

/// <summary>DESIGN §9 "resync": a remote that holds N central + M store records syncs again with nothing to do, then with
/// K changed central records; each inside a warm run loop (a <see cref="RemoteSite"/> kept in this process, as
/// <c>sitesync remote run</c> keeps it) and as a fresh <c>sitesync remote sync</c> process.</summary>
public static class ResyncScenario
{
    public static async Task<JsonObject> RunAsync(BenchOptions options)
    {
        var centralRecords = options.Size("--central", 100_000, 1_000);
        var storeRecords = options.Size("--store", 50_000, 500);
        var changed = options.Size("--changed", 1_000, 100);
        var runs = options.Size("--runs", 5, 1);
        var records = new LegacyRecords(options.RecordBytes);
        await using var central = await CentralProcess.StartAsync(options.Provider);
        await Warmup.RunAsync(central, records, options);
        var storeId = await Setup.CreateStoreAsync(central, "BIG", "Regional warehouse");
        await Setup.LoadAsync(central, "item", centralRecords, i => records.Item(i));
        await Setup.LoadAsync(central, "transact", storeRecords, i => records.Transact(i, storeId));
        await Setup.CreateSiteAsync(central, "bench-site", Setup.SitePassword, storeId);
        var (data, initial) = await Setup.RemoteAsync(central, "bench-site");
        try
        {
            var version = 0;
            async Task ChangeAsync()
            {
                version++;
                var first = version * 7 % Math.Max(1, centralRecords - changed);
                await Setup.LoadAsync(central, "item", changed, i => records.Item(first + i, version));
            }

            // Fresh processes: what a scheduled `sitesync remote sync` (cron, a service timer) pays each time.
            List<CliRun> emptyProcess = [], changedProcess = [];
            for (var run = 0; run < runs; run++)
            {
                emptyProcess.Add(await Cli.RunOkAsync("", "remote", "sync", "--json", "--data", data));
            }
            for (var run = 0; run < runs; run++)
            {
                await ChangeAsync();
                changedProcess.Add(await CheckedAsync(Cli.RunOkAsync("", "remote", "sync", "--json", "--data", data), changed));
            }

            // A warm loop: one RemoteSite and HTTP client for every cycle, as `sitesync remote run` keeps them.
            using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            var site = new RemoteSite(http, new RemoteSiteOptions { DataDirectory = data });
            await site.SyncAsync(null, CancellationToken.None); // untimed: this process's own JIT
            List<double> emptyWarm = [], changedWarm = [];
            for (var run = 0; run < runs; run++)
            {
                var watch = Stopwatch.StartNew();
                await site.SyncAsync(null, CancellationToken.None);
                emptyWarm.Add(watch.Elapsed.TotalMilliseconds);
            }
            for (var run = 0; run < runs; run++)
            {
                await ChangeAsync();
                var watch = Stopwatch.StartNew();
                var report = await site.SyncAsync(null, CancellationToken.None);
                changedWarm.Add(watch.Elapsed.TotalMilliseconds);
                Expect(report.PulledCentral, changed);
            }

            return Figures.Line("resync", options.Provider,
                new JsonObject
                {
                    ["centralRecords"] = centralRecords,
                    ["storeRecords"] = storeRecords,
                    ["changedCentralRecords"] = changed,
                    ["runs"] = runs,
                    ["recordBytes"] = records.RecordBytes,
                },
                new JsonObject
                {
                    ["emptyWarmMs"] = Figures.Summary(emptyWarm),
                    ["emptyProcessMs"] = Figures.Summary(emptyProcess.Select(r => r.Elapsed.TotalMilliseconds)),
                    ["changedWarmMs"] = Figures.Summary(changedWarm),
                    ["changedProcessMs"] = Figures.Summary(changedProcess.Select(r => r.Elapsed.TotalMilliseconds)),
                    ["remotePeakMiB"] = new JsonObject
                    {
                        ["initialSync"] = Figures.Round(initial.PeakMiB),
                        ["emptyProcess"] = new JsonArray([.. emptyProcess.Select(r => Figures.Round(r.PeakMiB))]),
                        ["changedProcess"] = new JsonArray([.. changedProcess.Select(r => Figures.Round(r.PeakMiB))]),
                    },
                    ["centralPeakMiB"] = Figures.Round(central.PeakMemoryMiB()),
                    ["initialSyncSeconds"] = Figures.Seconds(initial.Elapsed),
                });
        }
        finally
        {
            Setup.DeleteRemote(data);
        }
    }

    private static async Task<CliRun> CheckedAsync(Task<CliRun> running, int changed)
    {
        var run = await running;
        Expect((int)JsonNode.Parse(run.Output)!["pulledCentral"]!, changed);
        return run;
    }

    private static void Expect(int pulled, int changed)
    {
        if (pulled != changed)
        {
            throw new InvalidOperationException($"The re-sync pulled {pulled} central records; {changed} were changed.");
        }
    }
}
