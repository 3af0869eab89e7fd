using System.Diagnostics;
using SiteSync.FaultTests.Support;
using SiteSync.Testing;

namespace SiteSync.FaultTests;

/// <summary>Reliability plan F20 and issue 8's first defect: one record that cannot be stored or routed never stops central.
/// Against a real central process: the poison record is rejected explicitly at push time, the good record of the same batch
/// is applied, the site returns to idle, the next sync works, and a restart comes up (no crash loop on a stored record). A
/// central that cannot start exits with a non-zero status.</summary>
public sealed class PoisonRecordTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<Engine, string> Poisons() => new()
    {
        { Engine.Sqlite, "store_ID with a lone surrogate" },
        { Engine.Postgres, "store_ID with a lone surrogate" },
        { Engine.Postgres, "transaction_ID with a NUL" },
    };

    private static string PoisonOf(string kind, string id) => kind == "store_ID with a lone surrogate"
        ? $$$"""{"syncOutId":"1","tableName":"transact","recordId":"{{{id}}}","action":"Update","recordData":{"ID":"{{{id}}}","store_ID":"\ud800x"}}"""
        : $$$"""{"syncOutId":"1","tableName":"trans_line","recordId":"{{{id}}}","action":"Update","recordData":{"ID":"{{{id}}}","transaction_ID":"\u0000p"}}""";

    [Theory, MemberData(nameof(Poisons))]
    public async Task APoisonRecordIsRejectedTheGoodOneAppliedAndCentralKeepsRunningAcrossARestart(Engine engine, string poison)
    {
        await using var central = await CentralProcess.StartAsync(engine);
        var (store, site) = await SiteAsync(central);
        using var client = new OmsTestClient(central.BaseAddress, "clinic", SyncScenario.SitePassword);
        await client.SyncAsync();
        var batch = $$$"""{"queueLength":2,"data":[{{{PoisonOf(poison, "poison-1")}}},{"syncOutId":"2","tableName":"transact","recordId":"good-1","action":"Update","recordData":{"ID":"good-1","store_ID":"{{{store}}}","type":"ci"}}]}""";

        var pushed = await client.PostAsync("/sync/v5/queued_records", batch);
        var final = await client.PostAsync("/sync/v5/queued_records", """{"queueLength":0,"data":[]}""");
        var status = await WaitIdleAsync(client);
        var afterPush = await new CentralDb(central.Database).CountAsync("SELECT COUNT(*) FROM record WHERE record_id = 'good-1'");
        var rejected = await RejectionLogsAsync(central, site);
        await central.KillAsync();
        await central.RestartAsync();
        var alive = await StaysUpAsync(central, TimeSpan.FromSeconds(5));
        client.Edit("transact", "after-restart", SyncScenario.Transaction("after-restart", store));
        var next = await Record.ExceptionAsync(client.SyncAsync);

        Assert.Equal((200, 200), (pushed.Status, final.Status));
        Assert.Contains("\"integrationStarted\":true", final.Body, StringComparison.Ordinal);
        Assert.Equal("idle", status);
        Assert.Equal(1, afterPush);
        Assert.Equal(0, await new CentralDb(central.Database).CountAsync("SELECT COUNT(*) FROM record WHERE record_id = 'poison-1'"));
        Assert.True(rejected > 0, "the poison record was not rejected explicitly in the site log");
        Assert.True(alive, $"central did not stay up after the restart (exit code {central.ExitCode}):\n" + central.Tail(25));
        Assert.Null(next);
    }

    /// <summary>A poison record already buffered (left by an older version, or written before a fix) with the site marked
    /// integrating: start-up recovery must not crash or loop on it; the site ends idle and the good record is applied.</summary>
    [Theory, MemberData(nameof(Poisons))]
    public async Task AStoredPoisonRecordCannotMakeStartUpFail(Engine engine, string poison)
    {
        await using var central = await CentralProcess.StartAsync(engine);
        var (store, site) = await SiteAsync(central);
        var db = new CentralDb(central.Database);
        await central.KillAsync();
        var data = PoisonOf(poison, "stored-poison");
        var recordData = data[(data.IndexOf("\"recordData\":", StringComparison.Ordinal) + 13)..^1];
        var table = poison.StartsWith("store_ID", StringComparison.Ordinal) ? "transact" : "trans_line";
        var at = engine == Engine.Sqlite ? "0" : "now()";
        var good = $"{{\"ID\":\"stored-good\",\"store_ID\":\"{store}\"}}";
        await db.ExecuteAsync($"""
            INSERT INTO push_buffer (site_id, table_name, record_id, action, data, received_seq, received_at)
            VALUES ({site}, '{table}', 'stored-poison', 'Update', '{recordData.Replace("'", "''", StringComparison.Ordinal)}', 1, {at});
            INSERT INTO push_buffer (site_id, table_name, record_id, action, data, received_seq, received_at)
            VALUES ({site}, 'transact', 'stored-good', 'Update', '{good}', 2, {at});
            UPDATE site SET integration_status = 'integration_in_progress' WHERE id = {site};
            """);

        await central.RestartAsync();
        var alive = await StaysUpAsync(central, TimeSpan.FromSeconds(5));
        var status = (string?)await db.ScalarAsync($"SELECT integration_status FROM site WHERE id = {site}");

        Assert.True(alive, $"central did not stay up with a poison record in the buffer (exit code {central.ExitCode}):\n" + central.Tail(25));
        Assert.Equal("idle", status);
        Assert.Equal(1, await db.CountAsync("SELECT COUNT(*) FROM record WHERE record_id = 'stored-good'"));
        Assert.Equal(0, await db.CountAsync("SELECT COUNT(*) FROM record WHERE record_id = 'stored-poison'"));
    }

    /// <summary>A central that cannot start (its database unreachable) exits with a non-zero status, so a supervisor restarts
    /// it or reports the failure instead of believing it stopped cleanly.</summary>
    [Fact]
    public async Task ACentralThatCannotStartExitsNonZero()
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "SiteSync.Central.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{CentralProcess.FreePort()}";
        start.Environment["SiteSync__Database__Provider"] = "postgres";
        start.Environment["SiteSync__Database__ConnectionString"] = $"Host=127.0.0.1;Port={CentralProcess.FreePort()};Username=nobody;Timeout=2";
        start.Environment["SiteSync__Admin__InitialPassword"] = CentralFactory.AdminPassword;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);

        Assert.True(process.ExitCode != 0, $"exited with 0:\n{await stdout}\n{await stderr}");
    }

    private static async Task<(string Store, int Site)> SiteAsync(CentralProcess central)
    {
        var store = await central.Admin.CreateStoreAsync("CL", "Clinic store");
        var site = await central.Admin.CreateSiteAsync("clinic", SyncScenario.SitePassword, storeIds: [store.Id]);
        return (store.Id, site.Id);
    }

    private static async Task<string?> WaitIdleAsync(OmsTestClient client)
    {
        string? status = null;
        for (var i = 0; i < 100 && status != "idle"; i++)
        {
            var answer = await client.GetAsync("/sync/v5/site_status");
            status = answer.Status == 200 ? answer.Json.GetProperty("code").GetString() : $"HTTP {answer.Status}";
            await Task.Delay(50, Ct);
        }
        return status;
    }

    private static Task<long> RejectionLogsAsync(CentralProcess central, int site) => new CentralDb(central.Database).CountAsync(
        $"SELECT COUNT(*) FROM site_log WHERE site_id = {site} AND level IN ('warning', 'error') AND message LIKE '%poison-1%'");

    /// <summary>True when the process answers and is still running after <paramref name="duration"/> (a crash loop would not).</summary>
    private static async Task<bool> StaysUpAsync(CentralProcess central, TimeSpan duration)
    {
        await Task.Delay(duration, Ct);
        if (!central.IsRunning)
        {
            return false;
        }
        using var http = new HttpClient { BaseAddress = central.BaseAddress };
        using var response = await http.GetAsync("health", Ct);
        return response.IsSuccessStatusCode;
    }
}
