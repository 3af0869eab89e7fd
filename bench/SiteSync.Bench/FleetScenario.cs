using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace SiteSync.Bench;

/// <summary>DESIGN §9 "fleet": S simulated Open mSupply sites in this process, each cycling idle against one central exactly as
/// the client does (reference §3.3: <c>GET site</c>, the final empty push, 1 s, <c>GET site_status</c>, <c>GET
/// central_records</c>, <c>GET queued_records</c>; v6 steps left out), each on its own interval phase. Reports sustained
/// cycles/s, cycle latency (the client's 1 s sleep before <c>site_status</c> excluded), central CPU and memory, slow-hash
/// verifications per site (central's Meter, read over EventPipe), site-log growth, and the time for one central change to
/// reach every site.</summary>
/// <remarks>Each site waits <c>--interval-seconds</c> after a cycle ends (a sleep, as the client's driver does, not a fixed
/// rate), so S sites offer about S / (interval + 1 s + latency) cycles/s: 1,000 sites at 2 s offer about 330/s, the
/// target. The real client's default interval is 300 s.</remarks>
public static class FleetScenario
{
    private const string HashVerifications = "sitesync.auth.hash_verifications";

    public static async Task<JsonObject> RunAsync(BenchOptions options)
    {
        var count = options.Size("--sites", 1_000, 10);
        var interval = TimeSpan.FromSeconds(options.Number("--interval-seconds", 2, 0.5));
        var statusDelay = TimeSpan.FromMilliseconds(options.Size("--status-delay-ms", 1_000, 1_000));
        var window = TimeSpan.FromSeconds(options.Number("--window-seconds", 60, 3));
        var records = new LegacyRecords(options.RecordBytes);
        await using var central = await CentralProcess.StartAsync(options.Provider);
        await using var meter = await MeterSession.StartAsync(central.ProcessId, "SiteSync.Central");
        await Warmup.RunAsync(central, records, options);
        await MeterSession.SettleAsync();
        var hashesBefore = meter.Total(HashVerifications, "kind=site"); // the warm-up site's

        var setup = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
        {
            var store = await Setup.CreateStoreAsync(central, Invariant($"F{i:D5}"), Invariant($"Fleet store {i}"));
            await Setup.CreateSiteAsync(central, Name(i), Password(i), store);
        });
        var created = setup.Elapsed;
        using var http = V5Site.CreateHttpClient(central.BaseAddress);
        var fleet = Enumerable.Range(0, count).Select(i => new V5Site(http, Name(i), Password(i), Invariant($"{i:x32}"))).ToList();
        // Untimed: each site's first contact (slow hash, hardware-id claim, initialise), then it stands where a site that has
        // synced before stands: its change-log cursor at the end, its queue drained.
        await Parallel.ForEachAsync(fleet, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (site, token) =>
        {
            await site.GetAsync("sync/v5/site", token);
            await site.PostAsync("sync/v5/initialise", "{}", token);
            site.Cursor = (await site.GetAsync("sync/v5/central_records?cursor=0&limit=1", token)).GetProperty("maxCursor").GetInt64();
            await site.PullQueueAsync(token);
        });
        var firstContact = setup.Elapsed - created;

        var changeId = LegacyRecords.ItemId(900_000_000);
        var change = new ChangeWatch(count);
        var cycles = new ConcurrentQueue<Cycle>();
        var errors = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        var random = new Random(20261126);
        var period = interval + statusDelay;
        var phases = fleet.Select(_ => TimeSpan.FromTicks((long)(random.NextDouble() * period.Ticks))).ToList();
        var loops = fleet.Select((site, i) => Task.Run(() => CycleLoopAsync(
            site, i, phases[i], interval, statusDelay, id => { if (id == changeId) { change.Received(i); } },
            change, cycles, errors, stop.Token))).ToList();

        // Ramp: every site has finished a cycle (its first idle site-log line is written), then one more period.
        var ramp = Stopwatch.StartNew();
        while (cycles.Select(c => c.Site).Distinct().Count() < count && ramp.Elapsed < TimeSpan.FromMinutes(10))
        {
            await Task.Delay(500);
        }
        await Task.Delay(period);
        var (w0, cpu0, benchCpu0, log0, hashes0) = (Stopwatch.GetTimestamp(), central.CpuSeconds(), BenchCpuSeconds(),
            await SiteLogRowsAsync(central), meter.Total(HashVerifications, "kind=site"));
        await using (var trace = options.Text("--trace") is { } traceFile ? StartTrace(central.ProcessId, traceFile, window) : null)
        {
            await Task.Delay(window);
        }
        var (w1, cpu1, benchCpu1, log1) = (Stopwatch.GetTimestamp(), central.CpuSeconds(), BenchCpuSeconds(), await SiteLogRowsAsync(central));
        var rssAtEnd = central.MemoryMiB();

        // One central change, then the time until every site has pulled it.
        await central.PostJsonAsync("api/records", $$"""{"item":[{{records.Item(900_000_000)}}]}""");
        var saved = change.Saved();
        var deadline = Stopwatch.StartNew();
        while (!change.ReachedAll && deadline.Elapsed < 3 * period + TimeSpan.FromSeconds(60))
        {
            await Task.Delay(50);
        }
        var reach = change.ReceivedAt.Where(r => r != 0).Select(r => Stopwatch.GetElapsedTime(saved, r).TotalSeconds).Order().ToList();
        var pullGaps = cycles.Where(c => c.PullStart >= w0 && c.PullStart < w1).GroupBy(c => c.Site)
            .SelectMany(g => g.OrderBy(c => c.PullStart).Select(c => c.PullStart).Zip(g.OrderBy(c => c.PullStart).Skip(1).Select(c => c.End),
                (pull, nextEnd) => Stopwatch.GetElapsedTime(pull, nextEnd).TotalSeconds))
            .Order().ToList();

        await stop.CancelAsync();
        await Task.WhenAll(loops);
        await MeterSession.SettleAsync();
        var hashes = meter.Total(HashVerifications, "kind=site") - hashesBefore;
        var hashesInWindow = meter.Total(HashVerifications, "kind=site") - hashes0;

        var seconds = Stopwatch.GetElapsedTime(w0, w1).TotalSeconds;
        var inWindow = cycles.Where(c => c.End >= w0 && c.End < w1).ToList();
        var latencies = inWindow.Where(c => !c.Failed).Select(c => c.Latency.TotalMilliseconds).Order().ToList();
        var centralCpu = cpu1 - cpu0;
        return Figures.Line("fleet", options.Provider,
            new JsonObject
            {
                ["sites"] = count,
                ["intervalSeconds"] = interval.TotalSeconds,
                ["statusDelayMs"] = statusDelay.TotalMilliseconds,
                ["windowSeconds"] = window.TotalSeconds,
                ["requestsPerIdleCycle"] = 5,
            },
            new JsonObject
            {
                ["cyclesPerSecond"] = Figures.Round(inWindow.Count(c => !c.Failed) / seconds),
                ["failedCycles"] = inWindow.Count(c => c.Failed),
                ["cycleLatencyMs"] = new JsonObject
                {
                    ["p50"] = Figures.Round(Figures.Percentile(latencies, 0.5)),
                    ["p99"] = Figures.Round(Figures.Percentile(latencies, 0.99)),
                    ["max"] = Figures.Round(latencies.Count > 0 ? latencies[^1] : null),
                },
                ["centralCpuCores"] = Figures.Round(centralCpu / seconds, 2),
                ["centralCpuMsPerCycle"] = Figures.Round(centralCpu * 1000 / Math.Max(1, inWindow.Count), 2),
                ["benchCpuCores"] = Figures.Round((benchCpu1 - benchCpu0) / seconds, 2),
                ["centralRssMiB"] = Figures.Round(rssAtEnd),
                ["centralPeakMiB"] = Figures.Round(central.PeakMemoryMiB()),
                ["hashVerificationsPerSite"] = Figures.Round(hashes / count, 2),
                ["runMinutes"] = Figures.Round(setup.Elapsed.TotalMinutes, 1),
                ["hashVerificationsInWindow"] = hashesInWindow,
                ["siteLogRowsAddedPerSiteInWindow"] = Figures.Round((double)(log1 - log0) / count, 2),
                ["changeReachedSites"] = reach.Count,
                ["changeReachAllSeconds"] = Figures.Round(reach.Count > 0 ? reach[^1] : null, 2),
                ["changeReachMedianSeconds"] = Figures.Round(reach.Count > 0 ? Figures.Percentile(reach, 0.5) : null, 2),
                ["roundSeconds"] = Figures.Round(period.TotalSeconds + (latencies.Count > 0 ? Figures.Percentile(latencies, 0.5) / 1000 : 0), 2),
                // "Within one round of their interval": each site has it from the first change-log pull it started after the
                // change was saved (0 = a pull already under way brought it, 1 = the next one).
                ["changeSitesNeedingAFurtherPull"] = change.PullsAfterSave.Count(n => n > 1) + (count - reach.Count),
                ["changeMaxPullsAfterSave"] = change.PullsAfterSave.Max(),
                // The longest a site's change-log pull can be from a change saved just after it started: from that pull's start
                // to the end of the site's next cycle (its interval, the client's 1 s, and the next cycle's requests).
                ["maxPullToNextCycleEndSeconds"] = Figures.Round(pullGaps.Count > 0 ? pullGaps[^1] : null, 2),
                ["setupSeconds"] = new JsonObject
                {
                    ["ramp"] = Figures.Seconds(ramp.Elapsed),
                    ["createSites"] = Figures.Seconds(created),
                    ["firstContact"] = Figures.Seconds(firstContact),
                },
                ["errors"] = new JsonArray([.. errors.Take(5).Select(e => (JsonNode)e)]),
            });
    }

    private sealed record Cycle(int Site, long Start, long PullStart, long End, TimeSpan Latency, bool Failed);

    /// <summary>When the one central change was saved, when each site had it, and how many change-log pulls each site
    /// started after the save until it had it.</summary>
    private sealed class ChangeWatch(int sites)
    {
        private long _saved;

        public long[] ReceivedAt { get; } = new long[sites];

        public int[] PullsAfterSave { get; } = new int[sites];

        public bool ReachedAll => ReceivedAt.All(r => r != 0);

        public long Saved()
        {
            var now = Stopwatch.GetTimestamp();
            Interlocked.Exchange(ref _saved, now);
            return now;
        }

        public void Received(int site) => Interlocked.CompareExchange(ref ReceivedAt[site], Stopwatch.GetTimestamp(), 0);

        /// <summary>A site starts a change-log pull at <paramref name="at"/>.</summary>
        public void PullStarting(int site, long at)
        {
            var saved = Interlocked.Read(ref _saved);
            if (saved != 0 && at > saved && Interlocked.Read(ref ReceivedAt[site]) == 0)
            {
                PullsAfterSave[site]++;
            }
        }
    }

    private static async Task CycleLoopAsync(V5Site site, int index, TimeSpan phase, TimeSpan interval, TimeSpan statusDelay,
        Action<string> onRecord, ChangeWatch change, ConcurrentQueue<Cycle> cycles, ConcurrentQueue<string> errors, CancellationToken stop)
    {
        try
        {
            await Task.Delay(phase, stop);
            while (!stop.IsCancellationRequested)
            {
                var start = Stopwatch.GetTimestamp();
                var pullStart = 0L;
                var slept = TimeSpan.Zero;
                var failed = false;
                try
                {
                    await site.GetAsync("sync/v5/site", stop);
                    var final = await site.PostAsync("sync/v5/queued_records", """{"queueLength":0,"data":[]}""", stop);
                    if (!final.GetProperty("integrationStarted").GetBoolean())
                    {
                        throw new InvalidOperationException("Total remaining sent to server is 0 but integration not started");
                    }
                    while (true)
                    {
                        var sleep = Stopwatch.GetTimestamp();
                        await Task.Delay(statusDelay, stop);
                        slept += Stopwatch.GetElapsedTime(sleep);
                        if ((await site.GetAsync("sync/v5/site_status", stop)).GetProperty("code").GetString() == "idle")
                        {
                            break;
                        }
                    }
                    pullStart = Stopwatch.GetTimestamp();
                    change.PullStarting(index, pullStart);
                    await site.PullCentralAsync(onRecord, stop);
                    await site.PullQueueAsync(stop);
                }
                catch (Exception exception) when (!stop.IsCancellationRequested)
                {
                    failed = true;
                    if (errors.Count < 100)
                    {
                        errors.Enqueue($"{site.Name}: {exception.GetType().Name}: {exception.Message}");
                    }
                }
                var end = Stopwatch.GetTimestamp();
                cycles.Enqueue(new Cycle(index, start, pullStart, end, Stopwatch.GetElapsedTime(start, end) - slept, failed));
                await Task.Delay(interval, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The run is over.
        }
    }

    /// <summary><c>--trace FILE</c>: a sampled thread-time trace (managed stacks, ~100 Hz) of central over the window, by the repository's local
    /// <c>dotnet-trace</c> tool (<c>dotnet tool restore</c>; run the bench from the repository root).</summary>
    private static TraceProcess StartTrace(int processId, string file, TimeSpan window) => new(Process.Start(new ProcessStartInfo("dotnet",
        ["dotnet-trace", "collect", "-p", processId.ToString(CultureInfo.InvariantCulture), "--profile", "dotnet-sampled-thread-time", "-o", file,
         "--duration", window.ToString(@"dd\:hh\:mm\:ss", CultureInfo.InvariantCulture)])
    {
        RedirectStandardOutput = true,
        RedirectStandardInput = true,
    })!);

    private sealed class TraceProcess(Process process) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            _ = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            process.Dispose();
        }
    }

    private static Task<long> SiteLogRowsAsync(CentralProcess central) => CentralDatabase.ScalarAsync(central, "SELECT COUNT(*) FROM site_log");

    private static double BenchCpuSeconds() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

    private static string Name(int i) => Invariant($"fleet-{i:D5}");

    private static string Password(int i) => Invariant($"fleet-password-{i:D5}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
