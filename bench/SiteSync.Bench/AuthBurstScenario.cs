using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace SiteSync.Bench;

/// <summary>Issue 8: a password guesser must not slow everyone. A legitimate site runs idle cycles (the Open mSupply client's
/// five requests) one after another; its median cycle is measured alone, then during a burst of wrong-password requests
/// against another site and requests with made-up site names, sent by 8 workers. Reports both medians and their ratio.</summary>
public static class AuthBurstScenario
{
    public static async Task<JsonObject> RunAsync(BenchOptions options)
    {
        var cycles = options.Size("--cycles", 60, 20);
        var wrong = options.Size("--wrong", 300, 60);
        var unknown = options.Size("--unknown", 300, 60);
        await using var central = await CentralProcess.StartAsync(options.Provider);
        var store = await Setup.CreateStoreAsync(central, "LEGIT", "Legitimate store");
        await Setup.CreateSiteAsync(central, "legit-site", Setup.SitePassword, store);
        await Setup.CreateSiteAsync(central, "victim-site", Setup.SitePassword, await Setup.CreateStoreAsync(central, "VICTIM", "Victim store"));
        using var http = V5Site.CreateHttpClient(central.BaseAddress);
        var legit = new V5Site(http, "legit-site", Setup.SitePassword, "legit-hardware");
        await legit.InitialSyncAsync(CancellationToken.None);
        for (var i = 0; i < 10; i++)
        {
            await IdleCycleAsync(legit); // untimed warm-up
        }

        var before = new List<double>();
        for (var i = 0; i < cycles; i++)
        {
            before.Add(await IdleCycleAsync(legit));
        }

        // One burst is 300 wrong passwords and 300 made-up names from 8 workers, as fast as they can send; the cycles measured
        // "during" are those the legitimate site ran while a burst was under way. Bursts are repeated (with a pause of a few
        // cycles between them) until as many cycles ran under a burst as ran alone.
        var cpuBefore = central.CpuSeconds();
        var refused = new Dictionary<HttpStatusCode, int>();
        var attackWatch = new Stopwatch();
        var bursts = 0;
        var during = new List<double>();
        while (during.Count < cycles && bursts < 100)
        {
            attackWatch.Start();
            var burst = RunBurstAsync(central, wrong, unknown, refused);
            while (!burst.IsCompleted)
            {
                during.Add(await IdleCycleAsync(legit));
            }
            await burst;
            attackWatch.Stop();
            bursts++;
            for (var i = 0; i < 5; i++)
            {
                await IdleCycleAsync(legit);
            }
        }
        var attackSeconds = attackWatch.Elapsed.TotalSeconds;

        before.Sort();
        during.Sort();
        var medianBefore = Figures.Percentile(before, 0.5);
        var medianDuring = Figures.Percentile(during, 0.5);
        return Figures.Line("auth-burst", options.Provider,
            new JsonObject { ["cycles"] = cycles, ["wrongPasswordRequests"] = wrong, ["unknownNameRequests"] = unknown, ["workers"] = 8 },
            new JsonObject
            {
                ["idleCycleMsBefore"] = Figures.Summary(before),
                ["idleCycleMsDuringBurst"] = Figures.Summary(during),
                ["medianRatio"] = Figures.Ratio(medianDuring, medianBefore),
                ["secondsUnderBurst"] = Figures.Round(attackSeconds, 2),
                ["bursts"] = bursts,
                ["refusedPerSecondDuringBursts"] = Figures.Round(refused.Values.Sum() / attackSeconds, 0),
                ["refusals"] = new JsonObject(refused.Select(r => KeyValuePair.Create(((int)r.Key).ToString(CultureInfo.InvariantCulture), (JsonNode?)r.Value))),
                ["centralCpuSecondsDuringBurst"] = Figures.Round(central.CpuSeconds() - cpuBefore, 2),
                ["centralPeakMiB"] = Figures.Round(central.PeakMemoryMiB()),
            });
    }

    /// <summary>One idle cycle of the client (site, final empty push, status, central pull, queue pull) without its 1 s sleep.</summary>
    private static async Task<double> IdleCycleAsync(V5Site site)
    {
        var watch = Stopwatch.StartNew();
        await site.GetAsync("sync/v5/site", CancellationToken.None);
        await site.PostAsync("sync/v5/queued_records", """{"queueLength":0,"data":[]}""", CancellationToken.None);
        await site.GetAsync("sync/v5/site_status", CancellationToken.None);
        await site.PullCentralAsync(null, CancellationToken.None);
        await site.PullQueueAsync(CancellationToken.None);
        return watch.Elapsed.TotalMilliseconds;
    }

    private static async Task RunBurstAsync(CentralProcess central, int wrong, int unknown, Dictionary<HttpStatusCode, int> refused)
    {
        var requests = Enumerable.Range(0, wrong).Select(i => ("victim-site", "a-wrong-password", $"hw-guess-{i % 7}"))
            .Concat(Enumerable.Range(0, unknown).Select(i => ($"no-such-site-{i}", "any-password", $"hw-guess-{i % 7}")))
            .OrderBy(r => r.Item3, StringComparer.Ordinal)
            .ToList();
        var next = -1;
        using var http = V5Site.CreateHttpClient(central.BaseAddress);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) is var i && i < requests.Count)
            {
                var (name, password, hardware) = requests[i];
                try
                {
                    await new V5Site(http, name, password, hardware).GetAsync("sync/v5/site", CancellationToken.None);
                }
                catch (HttpRequestException refusal) when (refusal.StatusCode is { } status)
                {
                    lock (refused)
                    {
                        refused[status] = refused.GetValueOrDefault(status) + 1;
                    }
                }
            }
        }));
    }
}
