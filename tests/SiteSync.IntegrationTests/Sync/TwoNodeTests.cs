using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using SiteSync.Testing;

namespace SiteSync.IntegrationTests.Sync;

/// <summary>Two central nodes on one PostgreSQL database (DESIGN §7, reliability plan F12): all state is in the database.</summary>
public sealed class TwoNodeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ChangeLogReadersNeverSkipARowWhileBothNodesCommitConcurrently()
    {
        await using var central = await TestCentral.StartAsync(Engine.Postgres);
        var nodeB = central.StartNode();
        await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        var admins = new[] { central.Admin, new AdminClient(nodeB.CreateHttpClient("admin", CentralFactory.AdminPassword)) };
        using var readerA = new OmsTestClient(central.BaseAddress, "clinic", SyncScenario.SitePassword);
        using var readerB = new OmsTestClient(nodeB.BaseAddress, "clinic", SyncScenario.SitePassword);
        var before = await central.QueryAsync(db => db.ChangeLog.CountAsync(Ct));
        var seen = new ConcurrentBag<long>();
        var writing = true;

        // Eight writers, alternating nodes, each committing 20 small batches; a reader pages by cursor all along,
        // alternating nodes too, with a small limit so it keeps catching up with the writers.
        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var batch = 0; batch < 20; batch++)
            {
                var items = new JsonArray([.. Enumerable.Range(0, 3).Select(i => (JsonNode)new JsonObject
                {
                    ["ID"] = $"w{w}-b{batch}-i{i}", ["code"] = "C", ["item_name"] = "concurrent", ["type_of"] = "general",
                })]);
                await admins[(w + batch) % 2].UpsertRecordsAsync(new JsonObject { ["item"] = items }.ToJsonString());
            }
        }, Ct)).ToList();
        var reader = Task.Run(async () =>
        {
            long cursor = 0;
            var turn = 0;
            while (true)
            {
                var finished = !Volatile.Read(ref writing);
                var client = turn++ % 2 == 0 ? readerA : readerB;
                var page = (await client.GetAsync($"/sync/v5/central_records?cursor={cursor}&limit=7")).Json;
                var ids = page.GetProperty("data").EnumerateArray().Select(r => r.GetProperty("ID").GetInt64()).ToList();
                foreach (var id in ids)
                {
                    seen.Add(id);
                }
                cursor = ids.Count > 0 ? ids[^1] : cursor;
                if (ids.Count == 0 && finished)
                {
                    return;
                }
            }
        }, Ct);
        await Task.WhenAll(writers);
        Volatile.Write(ref writing, false);
        await reader;

        var all = await central.QueryAsync(db => db.ChangeLog.Select(c => (long)c.Id).OrderBy(id => id).ToListAsync(Ct));
        Assert.Equal(before + 8 * 20 * 3, all.Count);
        Assert.Equal(all, seen.Order());
    }

    [Fact]
    public async Task WrongPasswordsSentToBothNodesBlockTheSiteAtTheSameCount()
    {
        await using var central = await TestCentral.StartAsync(Engine.Postgres);
        var nodeB = central.StartNode();
        var (_, site) = await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        using var viaA = new OmsTestClient(central.BaseAddress, "clinic", "guess");
        using var viaB = new OmsTestClient(nodeB.BaseAddress, "clinic", "guess");

        var codes = new List<string?>();
        for (var i = 0; i < 10; i++)
        {
            codes.Add((await (i % 2 == 0 ? viaA : viaB).GetAsync("/sync/v5/site")).ErrorCode);
        }

        Assert.Equal([.. Enumerable.Repeat("site_incorrect_password", 9), "site_auth_timeout"], codes);
        Assert.Equal("blocked", (await central.Admin.GetSiteAsync(site.Id)).Status);
    }

    [Fact]
    public async Task AHardwareIdClaimedThroughOneNodeIsEnforcedByTheOther()
    {
        await using var central = await TestCentral.StartAsync(Engine.Postgres);
        var nodeB = central.StartNode();
        await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        using var first = SyncScenario.Client(central, "clinic", "device-one");
        using var second = new OmsTestClient(nodeB.BaseAddress, "clinic", SyncScenario.SitePassword, "device-two");

        var claimed = await first.GetAsync("/sync/v5/site");
        var refused = await second.GetAsync("/sync/v5/site");

        Assert.Equal(200, claimed.Status);
        Assert.Equal((401, "site_incorrect_hardware_id"), (refused.Status, refused.ErrorCode));
    }

    [Fact]
    public async Task ABrowserSessionFromOneNodeIsAcceptedByTheOther()
    {
        await using var central = await TestCentral.StartAsync(Engine.Postgres);
        var nodeB = central.StartNode();
        var cookies = new CookieContainer();
        using var browserA = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = central.BaseAddress };

        var form = await browserA.GetStringAsync("login", Ct);
        var token = System.Text.RegularExpressions.Regex.Match(form, "name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"").Groups[1].Value;
        using var login = await browserA.PostAsync("login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["_handler"] = "login",
            ["Input.Username"] = "admin",
            ["Input.Password"] = CentralFactory.AdminPassword,
        }), Ct);
        var session = cookies.GetCookies(central.BaseAddress)["sitesync.session"];
        using var browserB = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = nodeB.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/sites");
        request.Headers.Add("Cookie", $"{session?.Name}={session?.Value}");
        using var onB = await browserB.SendAsync(request, Ct);

        Assert.False(string.IsNullOrEmpty(token), form);
        Assert.NotNull(session);
        Assert.Equal(HttpStatusCode.OK, onB.StatusCode);
    }
}
