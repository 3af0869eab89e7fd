using System.Text;
using System.Text.Json;
using SiteSync.FaultTests.Support;
using SiteSync.Testing;
using SiteSync.Protocol.Catalog;

namespace SiteSync.FaultTests;

/// <summary>Reliability plan F13/F14, DESIGN §8: every case of the hostile-input corpus, on both engines, against one central
/// per engine. Each case: an answer below 500, a reason in the body of any refusal, nothing written (a digest of every data
/// table and of the schema before and after), push-specific rules (a readable batch rejects its bad record explicitly and
/// applies the good one; an unreadable one is refused whole), and afterwards a healthy site's normal sync still works.</summary>
public sealed class HostileInputTests(HostileInputTests.Centrals centrals) : IClassFixture<HostileInputTests.Centrals>
{
    private static readonly string[] Tables =
        ["record", "central_change_log", "push_buffer", "sync_out", "site_snapshot", "store", "site", "app_user", "support_contract", "counter"];

    /// <summary>Columns a refused request may legitimately touch: when a site last connected, what it reported, its counters,
    /// and its health facts (a rejected record or a refused login is the site's latest error in the fleet view).</summary>
    private static readonly HashSet<string> Volatile = new(StringComparer.Ordinal)
    {
        "site.last_connected_at", "site.last_synced_at", "site.app_name", "site.app_version", "site.type", "site.failed_login_count",
        "site.cycle_started_at", "site.cycle_pushed", "site.cycle_pulled_central", "site.cycle_pulled_queue", "site.integration_status",
        "site.last_error_at", "site.last_error_event", "site.last_error_message", "site.auth_failure_streak", "site.last_auth_failure_at",
        "site.central_cursor_reached",
    };

    public static TheoryData<Engine, string> Cases()
    {
        var data = new TheoryData<Engine, string>();
        foreach (var engine in new[] { Engine.Sqlite, Engine.Postgres })
        {
            foreach (var hostile in HostileCorpus.Cases)
            {
                data.Add(engine, hostile.Id);
            }
        }
        return data;
    }

    [Fact]
    public void TheCorpusHasAtLeast150CasesWithUniqueIds()
    {
        Assert.True(HostileCorpus.Cases.Count >= 150, $"{HostileCorpus.Cases.Count} cases");
        Assert.Equal(HostileCorpus.Cases.Count, HostileCorpus.Cases.Select(c => c.Id).Distinct().Count());
    }

    /// <summary>The push cases judged as readable hold syntactically valid JSON (their bad record is bad by content only).</summary>
    [Fact]
    public void EveryReadablePushCaseIsValidJson()
    {
        var context = new CorpusContext("t", "s", "h", "store", 2, 3, "Basic x");
        foreach (var hostile in HostileCorpus.Cases.Where(c => c.Kind is HostileKind.PushWithBadRecord or HostileKind.PushUnknownTable))
        {
            var request = hostile.Build(context, hostile.Token);
            var body = request.AsSpan(request.AsSpan().IndexOf("\r\n\r\n"u8) + 4).ToArray();
            var error = Record.Exception(() => JsonDocument.Parse(body).Dispose());
            Assert.True(error is null, $"{hostile.Id}: {error?.Message}");
        }
    }

    [Theory, MemberData(nameof(Cases))]
    public async Task AHostileRequestGetsAReasonBelow500WritesNothingAndTheNextSyncWorks(Engine engine, string caseId)
    {
        var hostile = HostileCorpus.Get(caseId);
        var central = await centrals.GetAsync(engine);
        var token = hostile.Token;
        var isPush = hostile.Kind is HostileKind.PushWithBadRecord or HostileKind.PushUnknownTable or HostileKind.PushUnreadable or HostileKind.PushMayAccept;
        var before = await DigestAsync(central, token, isPush);
        var schema = await central.Db.SchemaDigestAsync();
        var logMark = await central.Db.CountAsync("SELECT COALESCE(MAX(id), 0) FROM site_log");
        List<string> problems = [];

        RawResponse? response = null;
        try
        {
            response = await RawHttp.SendAsync(central.Port, hostile.Build(central.Context, token));
        }
        catch (Exception exception) when (exception is InvalidOperationException or System.Net.Sockets.SocketException or IOException)
        {
            problems.Add($"no HTTP answer: {exception.Message}");
        }

        if (response is not null)
        {
            if (response.Status >= 500)
            {
                problems.Add($"answered {response}");
            }
            else if (hostile.Kind == HostileKind.Protocol && response.Status < 400)
            {
                problems.Add($"malformed HTTP was accepted: {response}");
            }
            else if (response.Status >= 400 && hostile.Kind != HostileKind.Protocol && Reason(response) is null)
            {
                problems.Add($"refused with {response.Status} but no reason in the body: '{response.Body}'");
            }
            if (isPush)
            {
                await CheckPushAsync(central, hostile, response, logMark, problems);
            }
        }

        var after = await DigestAsync(central, token, isPush);
        foreach (var table in Tables.Where(t => before[t] != after[t]))
        {
            problems.Add($"table {table} changed ({before[table]} → {after[table]})");
        }
        if (await central.Db.SchemaDigestAsync() != schema)
        {
            problems.Add("the schema changed");
        }
        if (!isPush && await central.Db.CountAsync($"SELECT COUNT(*) FROM record WHERE record_id LIKE '%{token}%'") > 0)
        {
            problems.Add("a record of the case was stored");
        }
        if (await central.HealthySyncAsync(token) is { } failure)
        {
            problems.Add("the next normal sync of a healthy site failed: " + failure);
        }

        Assert.True(problems.Count == 0, $"{caseId} on {engine}: {response}\n" + string.Join("\n", problems));
    }

    /// <summary>Push rules: a readable batch answers 200, its bad record is rejected with a site-log line and never stored, its
    /// good record is applied once the final batch integrates; an unreadable batch is refused whole. Either way the final batch
    /// starts integration, the site returns to idle and its buffer is empty.</summary>
    private static async Task CheckPushAsync(CorpusCentral central, HostileCase hostile, RawResponse response, long logMark, List<string> problems)
    {
        var readable = hostile.Kind != HostileKind.PushUnreadable;
        if (readable && response.Status != 200)
        {
            problems.Add($"a readable batch with one bad record must answer 200 (rejecting that record), not {response.Status}");
        }
        if (!readable && response.Status is < 400 or >= 500)
        {
            problems.Add($"an unreadable batch must be refused with a 4xx, not {response.Status}");
        }

        var final = await central.Target.PostAsync("/sync/v5/queued_records", "{\"queueLength\":0,\"data\":[]}");
        if (final.Status != 200 || !final.Body.Contains("\"integrationStarted\":true", StringComparison.Ordinal))
        {
            problems.Add($"the final empty batch answered {final.Status} {final.Body}");
        }
        string? status = null;
        for (var i = 0; i < 100 && status != "idle"; i++)
        {
            var answer = await central.Target.GetAsync("/sync/v5/site_status");
            status = answer.Status == 200 ? answer.Json.GetProperty("code").GetString() : $"HTTP {answer.Status}";
            if (status != "idle")
            {
                await Task.Delay(50, TestContext.Current.CancellationToken);
            }
        }
        if (status != "idle")
        {
            problems.Add($"the site stayed '{status}' after the final batch");
        }

        var token = hostile.Token;
        var good = await central.Db.CountAsync("SELECT COUNT(*) FROM record WHERE record_id = @id AND is_deleted = @false",
            ("@id", HostileCorpus.GoodId(token)), ("@false", false));
        if (readable && response.Status == 200 && good != 1)
        {
            problems.Add("the good record of the batch was not applied");
        }
        if (!readable && good != 0)
        {
            problems.Add("a record of a refused batch was stored");
        }
        var stored = await central.Db.RecordsAsync("");
        var bad = stored.Where(r => r.RecordId.Contains(token, StringComparison.Ordinal) && r.RecordId != HostileCorpus.GoodId(token))
            .Where(r => hostile.Kind != HostileKind.PushUnknownTable || TableCatalog.Default[r.Table].Class != DataClass.Unknown)
            .Where(r => hostile.Kind != HostileKind.PushMayAccept || !IsVerbatim(r, hostile, central.Context))
            .ToList();
        if (bad.Count > 0)
        {
            problems.Add($"the bad record was stored: {string.Join(", ", bad.Select(b => $"{b.Table}/{Shorten(b.RecordId)}"))}");
        }
        if (await central.Db.CountAsync("SELECT COUNT(*) FROM push_buffer WHERE site_id = @site", ("@site", central.Context.TargetSiteId)) > 0)
        {
            problems.Add("records left in the push buffer");
        }
        if (status != "idle" || problems.Count > 0)
        {
            // Repair the target by hand so one poisoned case does not fail every later one: empty its buffer, mark it idle.
            await central.Db.ExecuteAsync(
                $"DELETE FROM push_buffer WHERE site_id = {central.Context.TargetSiteId}; UPDATE site SET integration_status = 'idle' WHERE id = {central.Context.TargetSiteId}");
        }
        if (readable && response.Status == 200 && (hostile.Kind != HostileKind.PushMayAccept || !stored.Any(r => r.RecordId == token)))
        {
            var lines = await central.Db.CountAsync(
                "SELECT COUNT(*) FROM site_log WHERE id > @mark AND site_id = @site AND level IN ('warning', 'error')",
                ("@mark", logMark), ("@site", central.Context.TargetSiteId));
            if (lines == 0)
            {
                problems.Add("the bad record was not rejected explicitly (no site-log warning or error)");
            }
        }
    }

    /// <summary>Whether central holds the case's odd record exactly as it was pushed (the data bytes between the braces).</summary>
    private static bool IsVerbatim(StoredRecord record, HostileCase hostile, CorpusContext context)
    {
        var request = Encoding.UTF8.GetString(hostile.Build(context, hostile.Token));
        return record.Data is { } data && request.Contains("\"recordData\":" + data, StringComparison.Ordinal);
    }

    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "…" : text.Replace("\0", "\\0", StringComparison.Ordinal);

    /// <summary>The reason of a refusal: the sync envelope's message, a ProblemDetails title or detail, or any page text.</summary>
    private static string? Reason(RawResponse response)
    {
        if (string.IsNullOrWhiteSpace(response.Body))
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(response.Body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("message", out var message) && message.GetString() is { Length: > 0 } text)
            {
                return text;
            }
            foreach (var name in new[] { "detail", "title" })
            {
                if (root.TryGetProperty(name, out var value) && value.GetString() is { Length: > 0 } reason)
                {
                    return reason;
                }
            }
            return null;
        }
        catch (JsonException)
        {
            return response.Body.Trim();
        }
    }

    private static async Task<Dictionary<string, string>> DigestAsync(CorpusCentral central, string token, bool isPush)
    {
        var decoy = central.Context.DecoySiteId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var digests = await central.Db.DigestAsync(Tables.Where(t => !isPush || t != "counter"), Volatile, (table, row) =>
            !(table == "site" && row["id"] == decoy)
            && !(isPush && table is "record" or "push_buffer" && row["record_id"]?.Contains(token, StringComparison.Ordinal) == true));
        if (isPush)
        {
            digests["counter"] = "not compared for pushes: the good record takes a sequence number";
        }
        return digests;
    }

    /// <summary>One central per engine for the whole corpus, with a target site (the hostile requests' credentials), a healthy
    /// site (the normal sync after each case) and a decoy (wrong passwords may block it).</summary>
    public sealed class Centrals : IAsyncDisposable
    {
        private readonly Dictionary<Engine, Task<CorpusCentral>> _centrals = [];
        private readonly Lock _lock = new();

        public Task<CorpusCentral> GetAsync(Engine engine)
        {
            if (engine == Engine.Postgres && string.IsNullOrEmpty(TestDatabase.PostgresConnectionString))
            {
                // TestDatabase skips (or fails under CI) with the shared message.
                return CorpusCentral.StartAsync(engine);
            }
            lock (_lock)
            {
                if (!_centrals.TryGetValue(engine, out var central) || central.IsFaulted)
                {
                    central = CorpusCentral.StartAsync(engine);
                    _centrals[engine] = central;
                }
                return central;
            }
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var central in _centrals.Values)
            {
                if (central.IsCompletedSuccessfully)
                {
                    await central.Result.DisposeAsync();
                }
            }
        }
    }
}

/// <summary>A central for the corpus and its three sites.</summary>
public sealed class CorpusCentral : IAsyncDisposable
{
    private int _healthy;

    private CorpusCentral(TestCentral central, CorpusContext context, OmsTestClient target, OmsTestClient healthy, string healthyStoreId)
    {
        Central = central;
        Context = context;
        Target = target;
        Healthy = healthy;
        HealthyStoreId = healthyStoreId;
        Db = new CentralDb(central.Database);
    }

    public TestCentral Central { get; }

    public CorpusContext Context { get; }

    public OmsTestClient Target { get; }

    public OmsTestClient Healthy { get; }

    public string HealthyStoreId { get; }

    public CentralDb Db { get; }

    public int Port => Central.BaseAddress.Port;

    public static async Task<CorpusCentral> StartAsync(Engine engine)
    {
        var central = await TestCentral.StartAsync(engine);
        var (targetStore, targetSite) = await SyncScenario.SiteWithStoreAsync(central, "target", "TGT");
        var (healthyStore, _) = await SyncScenario.SiteWithStoreAsync(central, "healthy", "HLT");
        var decoy = await central.Admin.CreateSiteAsync("decoy", SyncScenario.SitePassword);
        await SyncScenario.AddItemsAsync(central, 5, "corpus-item");
        var target = SyncScenario.Client(central, "target", "target-hardware-id");
        await target.SyncAsync();
        var healthy = SyncScenario.Client(central, "healthy", "healthy-hardware-id");
        await healthy.SyncAsync();
        var admin = CentralFactory.BasicHeader("admin", CentralFactory.AdminPassword);
        var login = await RawHttp.SendAsync(central.BaseAddress.Port, RawHttp.Request("GET", "/login", [], null));
        var cookie = login.Headers.TryGetValue("set-cookie", out var setCookie) ? setCookie.Split(';')[0] : "";
        var token = System.Text.RegularExpressions.Regex.Match(login.Body, "name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"").Groups[1].Value;
        var context = new CorpusContext("target", target.PasswordSha256, target.HardwareId, targetStore.Id, targetSite.Id, decoy.Id,
            $"{admin.Scheme} {admin.Parameter}") { LoginCookie = cookie, LoginToken = token };
        return new CorpusCentral(central, context, target, healthy, healthyStore.Id);
    }

    /// <summary>A normal cycle of the healthy site with one local edit; null when it worked (the edit reached central).</summary>
    public async Task<string?> HealthySyncAsync(string token)
    {
        var id = $"healthy-{Interlocked.Increment(ref _healthy)}-{token}";
        Healthy.Edit("transact", id, SyncScenario.Transaction(id, HealthyStoreId));
        try
        {
            await Healthy.SyncAsync();
        }
        catch (SyncFailedException exception)
        {
            Healthy.LocalChanges.Clear();
            return exception.Message;
        }
        catch (HttpRequestException exception)
        {
            Healthy.LocalChanges.Clear();
            return exception.Message;
        }
        return await Db.CountAsync("SELECT COUNT(*) FROM record WHERE record_id = @id", ("@id", id)) == 1 ? null : "the edit did not reach central";
    }

    public async ValueTask DisposeAsync()
    {
        Target.Dispose();
        Healthy.Dispose();
        await Central.DisposeAsync();
    }
}
