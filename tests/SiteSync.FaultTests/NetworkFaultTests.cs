using System.Collections.Concurrent;
using System.Diagnostics;
using SiteSync.FaultTests.Support;
using SiteSync.Testing;

namespace SiteSync.FaultTests;

/// <summary>The network between remotes and central (reliability plan F2, F5, F6, F7): a slow, lossy link, a flapping one, a
/// blackhole, responses cut mid-body, every request delivered twice, an older batch arriving after a newer one. Remotes are the
/// real engine in-process, one request per connection, so the proxy's plans hit single requests.</summary>
public sealed class NetworkFaultTests(ITestOutputHelper output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed class Run : IAsyncDisposable
    {
        public required TestCentral Central { get; init; }
        public required FaultProxy Proxy { get; init; }
        public required Fleet Fleet { get; init; }
        public required Scratch Scratch { get; init; }
        public CentralDb Db => new(Central.Database);

        public static async Task<Run> StartAsync(Engine engine, int seed, Func<int, HttpMessageHandler?>? faults = null, TimeSpan? requestTimeout = null)
        {
            var central = await TestCentral.StartAsync(engine);
            await new CentralDb(central.Database).InstallApplyLogAsync();
            var scratch = new Scratch();
            var proxy = new FaultProxy(central.BaseAddress.Port, seed);
            var fleet = await Fleet.InProcessAsync(central.Admin, proxy.Address, scratch, 2, faults, connectionPerRequest: true,
                requestTimeout: requestTimeout ?? TimeSpan.FromSeconds(3));
            return new Run { Central = central, Proxy = proxy, Fleet = fleet, Scratch = scratch };
        }

        /// <summary>300 items on central, 300 transactions on each remote (edited twice, 100 of them).</summary>
        public async Task WriteAsync()
        {
            await Fleet.Workload.CentralItemsAsync(300);
            foreach (var member in Fleet.Members)
            {
                var ops = await Fleet.PutTransactionsAsync(member, 300);
                await Fleet.PutTransactionsAsync(member, 0, [.. ops.Take(100).Select(o => o.RecordId)]);
            }
        }

        public async Task<int> SyncAllToQuiescenceAsync(int attempts)
        {
            var cycles = 0;
            foreach (var member in Fleet.Members)
            {
                cycles += (await member.InProcess.SyncToQuiescenceAsync(attempts)).Count;
            }
            foreach (var member in Fleet.Members)
            {
                cycles += (await member.InProcess.SyncToQuiescenceAsync(attempts)).Count;
            }
            return cycles;
        }

        public Task<CheckResult> CheckAsync() => Checker.CheckAsync(Fleet.History, Db, Fleet.Nodes);

        public async ValueTask DisposeAsync()
        {
            Fleet.Dispose();
            await Proxy.DisposeAsync();
            Scratch.Dispose();
            await Central.DisposeAsync();
        }
    }

    /// <summary>F5 "rural": 64 kB/s, 100–300 ms per chunk, and a third of the connections reset, cut or blackholed for a moment.
    /// Everything arrives exactly once; the bytes sent are compared with a clean run of the same workload.</summary>
    [Theory, MemberData(nameof(Tier.SqliteFastBothLong), MemberType = typeof(Tier))]
    public async Task ASlowLossyLinkDeliversEverythingExactlyOnce(Engine engine)
    {
        var seed = Tier.Seed(501);
        await using var clean = await Run.StartAsync(engine, seed);
        await clean.WriteAsync();
        var before = clean.Proxy.BytesUp + clean.Proxy.BytesDown;
        await clean.SyncAllToQuiescenceAsync(5);
        var cleanBytes = clean.Proxy.BytesUp + clean.Proxy.BytesDown - before;

        await using var run = await Run.StartAsync(engine, seed);
        await run.WriteAsync();
        run.Proxy.Planner = c => run.Proxy.Next(100) switch
        {
            < 66 => ConnectionPlan.Throttled(64_000) with { Delay = TimeSpan.FromMilliseconds(100), Jitter = TimeSpan.FromMilliseconds(200) },
            < 76 => ConnectionPlan.ResetAtOnce(),
            < 86 => ConnectionPlan.CutResponse(run.Proxy.Next(3_000)),
            < 96 => ConnectionPlan.CutRequest(run.Proxy.Next(5_000)),
            _ => ConnectionPlan.BlackholeThenReset(TimeSpan.FromMilliseconds(800)),
        };
        var faultyBefore = run.Proxy.BytesUp + run.Proxy.BytesDown;
        var cycles = await run.SyncAllToQuiescenceAsync(60);
        var faultyBytes = run.Proxy.BytesUp + run.Proxy.BytesDown - faultyBefore;
        var check = await run.CheckAsync();
        output.WriteLine($"{engine} seed {seed}: {cycles} cycles, {run.Proxy.ConnectionCount} connections; bytes {faultyBytes:N0} vs clean {cleanBytes:N0} " +
            $"({(double)faultyBytes / cleanBytes:0.00}×); {check.Summary}");

        Assert.True(check.Valid, check.ToString());
        Assert.True(faultyBytes <= 3 * cleanBytes, $"the lossy run sent {(double)faultyBytes / cleanBytes:0.00}× the bytes of a clean run");
    }

    /// <summary>F5 "flapping": the link is up 300 ms, down 300 ms (every connection reset), over and over; the remotes get
    /// through between the outages.</summary>
    [Theory, MemberData(nameof(Tier.SqliteFastBothLong), MemberType = typeof(Tier))]
    public async Task AFlappingLinkConverges(Engine engine)
    {
        await using var run = await Run.StartAsync(engine, Tier.Seed(502));
        await run.WriteAsync();
        var clock = Stopwatch.StartNew();
        run.Proxy.Planner = _ => (clock.ElapsedMilliseconds / 300) % 2 == 1 ? ConnectionPlan.ResetAtOnce() : ConnectionPlan.Clean;

        var cycles = await run.SyncAllToQuiescenceAsync(60);
        var check = await run.CheckAsync();
        output.WriteLine($"{engine}: {cycles} cycles over {clock.Elapsed.TotalSeconds:0} s; {check.Summary}");

        Assert.True(check.Valid, check.ToString());
    }

    /// <summary>F5 "blackhole": central accepts connections and never answers for 6 s. No request lives longer than the remote's
    /// timeout (3 s) plus 5 s; the cycle fails with a timeout, and the next one after the outage delivers everything once.</summary>
    [Theory, MemberData(nameof(Tier.SqliteFastBothLong), MemberType = typeof(Tier))]
    public async Task ABlackholeTimesRequestsOutAndTheNextCycleDeliversEverything(Engine engine)
    {
        var durations = new ConcurrentBag<TimeSpan>();
        await using var run = await Run.StartAsync(engine, 503, _ => new TimingHandler(durations));
        await run.WriteAsync();
        var clock = Stopwatch.StartNew();
        run.Proxy.Planner = _ => clock.Elapsed < TimeSpan.FromSeconds(6) ? ConnectionPlan.BlackholeForever() : ConnectionPlan.Clean;

        var cycle = Stopwatch.StartNew();
        var (_, error) = await run.Fleet.Members[0].InProcess.TrySyncAsync(guard: TimeSpan.FromSeconds(30));
        var hung = cycle.Elapsed >= TimeSpan.FromSeconds(29);
        while (clock.Elapsed < TimeSpan.FromSeconds(6))
        {
            await Task.Delay(200, Ct);
        }
        await run.SyncAllToQuiescenceAsync(10);
        var check = await run.CheckAsync();
        var longest = durations.IsEmpty ? TimeSpan.Zero : durations.Max();
        output.WriteLine($"{engine}: first cycle ended after {cycle.Elapsed.TotalSeconds:0.0} s with {error?.GetType().Name}: {error?.Message}; " +
            $"longest completed request {longest.TotalSeconds:0.0} s; {check.Summary}");

        Assert.True(check.Valid, check.ToString());
        Assert.False(hung, "the cycle was still waiting on a blackholed request after 30 s: a request without a timeout");
        Assert.NotNull(error);
        Assert.True(longest < TimeSpan.FromSeconds(8), $"a request lived {longest}");
    }

    /// <summary>F2: responses to pulls cut mid-body (40% of them, at a random byte): a truncated page is never buffered,
    /// integrated or acknowledged; every record arrives exactly once.</summary>
    [Theory, ClassData(typeof(BothEngines))]
    public async Task PullResponsesCutMidBodyAreNeverSavedOrAcknowledged(Engine engine)
    {
        await using var run = await Run.StartAsync(engine, Tier.Seed(504));
        await run.WriteAsync();
        await run.Fleet.Workload.StoreJoinsAsync(run.Fleet.Members[0].SiteName, run.Fleet.Members[0].StoreId, 300);
        run.Proxy.Planner = c => (c.Is("GET", "/sync/v5/central_records") || c.Is("GET", "/sync/v5/queued_records")) && run.Proxy.Next(100) < 40
            ? ConnectionPlan.CutResponse(150 + run.Proxy.Next(1_500))
            : ConnectionPlan.Clean;

        var cycles = await run.SyncAllToQuiescenceAsync(40);
        var check = await run.CheckAsync();
        var cuts = run.Proxy.Log.Count(c => c.Outcome == "response-cut");
        output.WriteLine($"{engine}: {cuts} responses cut, {cycles} cycles; {check.Summary}");

        Assert.True(cuts > 0);
        Assert.True(check.Valid, check.ToString());
    }

    /// <summary>F6: every push and acknowledgement is delivered twice in a row, and one push in ten five times at once. Every
    /// record takes effect once, and a repeated request gets the same answer as the first.</summary>
    [Theory, ClassData(typeof(BothEngines))]
    public async Task EveryRequestDeliveredTwiceOrFiveTimesAtOnceAppliesOnce(Engine engine)
    {
        var mismatches = new ConcurrentBag<string>();
        await using var run = await Run.StartAsync(engine, 506, i => new DuplicatingHandler(new Random(600 + i), mismatches));
        await run.WriteAsync();

        await run.SyncAllToQuiescenceAsync(10);
        var check = await run.CheckAsync();
        output.WriteLine($"{engine}: {check.Summary}; {mismatches.Count} replays answered differently");

        Assert.True(check.Valid, check.ToString());
        Assert.True(mismatches.IsEmpty, string.Join("\n", mismatches.Take(10)));
    }

    /// <summary>F7: a push attempt delayed on the network arrives after the retry that carried a newer version of the same
    /// record (its change-log position, <c>syncOutId</c>, is lower). Central must keep the newer version.</summary>
    [Theory, ClassData(typeof(BothEngines))]
    public async Task AnOlderVersionArrivingAfterANewerOneNeverOverwritesIt(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var (store, _) = await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        using var client = SyncScenario.Client(central, "clinic");
        await client.SyncAsync();
        string Batch(string syncOutId, string version) =>
            $$$"""{"queueLength":2,"data":[{"syncOutId":"{{{syncOutId}}}","tableName":"transact","recordId":"t1","action":"Update","recordData":{"ID":"t1","store_ID":"{{{store.Id}}}","comment":"{{{version}}}"}}]}""";

        var newer = await client.PostAsync("/sync/v5/queued_records", Batch("9", "newer"));
        var older = await client.PostAsync("/sync/v5/queued_records", Batch("5", "older"));
        var final = await client.PostAsync("/sync/v5/queued_records", """{"queueLength":0,"data":[]}""");
        await Task.Delay(200, Ct);

        Assert.Equal((200, 200, 200), (newer.Status, older.Status, final.Status));
        Assert.Equal("newer", (await central.Admin.GetRecordAsync("transact", "t1"))?.GetProperty("comment").GetString());
    }

    /// <summary>Times every request the remote sends.</summary>
    private sealed class TimingHandler(ConcurrentBag<TimeSpan> durations) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var watch = Stopwatch.StartNew();
            try
            {
                return await base.SendAsync(request, cancellationToken);
            }
            finally
            {
                durations.Add(watch.Elapsed);
            }
        }
    }

    /// <summary>Sends every POST twice in a row (returning the second answer, after checking it equals the first), and one push in
    /// ten five times at once.</summary>
    private sealed class DuplicatingHandler(Random random, ConcurrentBag<string> mismatches) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method != HttpMethod.Post || request.Content is null)
            {
                return await base.SendAsync(request, cancellationToken);
            }
            var body = await request.Content.ReadAsByteArrayAsync(cancellationToken);
            var path = request.RequestUri!.AbsolutePath;
            HttpRequestMessage Copy()
            {
                var copy = new HttpRequestMessage(request.Method, request.RequestUri) { Content = new ByteArrayContent(body) };
                foreach (var header in request.Headers)
                {
                    copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }
                return copy;
            }
            bool concurrent;
            lock (random)
            {
                concurrent = path.EndsWith("/queued_records", StringComparison.Ordinal) && random.Next(10) == 0;
            }
            if (concurrent)
            {
                var all = await Task.WhenAll(Enumerable.Range(0, 5).Select(async _ =>
                {
                    using var copy = Copy();
                    using var response = await base.SendAsync(copy, cancellationToken);
                    return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
                }));
                if (all.Select(a => a.Item1).Distinct().Count() > 1)
                {
                    mismatches.Add($"{path}: concurrent copies answered {string.Join(", ", all.Select(a => a.Item1))}");
                }
            }
            string first;
            int firstStatus;
            using (var copy = Copy())
            {
                using var response = await base.SendAsync(copy, cancellationToken);
                firstStatus = (int)response.StatusCode;
                first = await response.Content.ReadAsStringAsync(cancellationToken);
            }
            var second = await base.SendAsync(Copy(), cancellationToken);
            var secondBody = await second.Content.ReadAsStringAsync(cancellationToken);
            if (firstStatus != (int)second.StatusCode || first != secondBody)
            {
                mismatches.Add($"{path}: {firstStatus} {first} then {(int)second.StatusCode} {secondBody}");
            }
            return second;
        }
    }
}
