using System.Diagnostics;
using System.Text.Json.Nodes;

namespace SiteSync.Bench;

/// <summary>DESIGN §9 "move": a store with N records moves to a synced site (admin <c>PUT /api/sites/{id}</c> with the store
/// added); the time from the saved edit until the site holds all N, counted in its own SQLite. The site syncs at once in a
/// fresh <c>sitesync remote sync</c> process (a running loop would wait for its interval first).</summary>
public static class MoveScenario
{
    public static async Task<JsonObject> RunAsync(BenchOptions options)
    {
        var count = options.Size("--records", 50_000, 1_000);
        var records = new LegacyRecords(options.RecordBytes);
        await using var central = await CentralProcess.StartAsync(options.Provider);
        await Warmup.RunAsync(central, records, options);
        var home = await Setup.CreateStoreAsync(central, "HOME", "Clinic store");
        var moving = await Setup.CreateStoreAsync(central, "BIG", "Regional warehouse");
        var load = await Setup.LoadAsync(central, "transact", count, i => records.Transact(i, moving));
        var siteId = await Setup.CreateSiteAsync(central, "bench-site", Setup.SitePassword, home);
        var (data, _) = await Setup.RemoteAsync(central, "bench-site");
        try
        {
            var site = await central.GetJsonAsync($"api/sites/{siteId}");
            var edit = new JsonObject
            {
                ["code"] = site.GetProperty("code").GetString(),
                ["name"] = site.GetProperty("name").GetString(),
                ["type"] = site.GetProperty("type").GetString(),
                ["storeIds"] = new JsonArray(home, moving),
            };
            var save = Stopwatch.StartNew();
            await central.PutJsonAsync($"api/sites/{siteId}", edit.ToJsonString());
            var saved = save.Elapsed;
            var fromSaved = Stopwatch.StartNew();
            var sync = await Cli.RunOkAsync("", "remote", "sync", "--json", "--data", data);
            var held = await Setup.CountRemoteRecordsAsync(data, "transact", moving);
            var elapsed = fromSaved.Elapsed;
            if (held != count)
            {
                throw new InvalidOperationException($"The site holds {held} of the moved store's {count} records.");
            }
            return Figures.Line("move", options.Provider,
                new JsonObject { ["records"] = count, ["recordBytes"] = records.RecordBytes },
                new JsonObject
                {
                    ["secondsFromSavedToHeld"] = Figures.Seconds(elapsed),
                    ["recordsPerSecond"] = Figures.Round(count / elapsed.TotalSeconds, 0),
                    ["held"] = held,
                    ["editSaveMs"] = Figures.Milliseconds(saved),
                    ["syncSeconds"] = Figures.Seconds(sync.Elapsed),
                    ["remotePeakMiB"] = Figures.Round(sync.PeakMiB),
                    ["centralPeakMiB"] = Figures.Round(central.PeakMemoryMiB()),
                    ["loadSeconds"] = Figures.Seconds(load),
                });
        }
        finally
        {
            Setup.DeleteRemote(data);
        }
    }
}
