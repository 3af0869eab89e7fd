using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using SiteSync.Protocol.Admin;
using SiteSync.Protocol.Json;
using SiteSync.Testing;

namespace SiteSync.IntegrationTests.Admin;

/// <summary>Rule 7: the password is write-only — never returned, never logged — nor is its SHA-256 or its stored hash.</summary>
public sealed class SecretsTests
{
    [Theory, ClassData(typeof(BothEngines))]
    public async Task NoResponseOrLogLineContainsAPasswordOrItsHashes(Engine engine)
    {
        const string password = "Tr0ub4dor-site-secret";
        const string changed = "Second-site-secret-9";
        var ct = TestContext.Current.CancellationToken;
        await using var central = await TestCentral.StartAsync(engine);
        var store = await central.Admin.CreateStoreAsync("S1", "Store one");
        List<string> bodies = [];

        using (var created = await central.Admin.Http.PostAsJsonAsync("api/sites",
            new SiteEdit("C", "clinic", password, null, [store.Id], null, null, null), SiteSyncJsonContext.Default.SiteEdit, ct))
        {
            bodies.Add(await created.Content.ReadAsStringAsync(ct));
        }
        using var client = new OmsTestClient(central.BaseAddress, "clinic", password);
        await client.SyncAsync();
        using var wrong = new OmsTestClient(central.BaseAddress, "clinic", "not-" + password);
        bodies.Add((await wrong.GetAsync("/sync/v5/site")).Body);
        bodies.Add((await client.GetAsync("/sync/v5/site")).Body);
        var site = await central.Admin.ListSitesAsync();
        using (var updated = await central.Admin.PutSiteAsync(site.Sites[1].Id, AdminClient.EditOf(site.Sites[1]) with { Password = changed }))
        {
            bodies.Add(await updated.Content.ReadAsStringAsync(ct));
        }
        bodies.Add(await central.Admin.Http.GetStringAsync("api/sites", ct));
        bodies.Add(await central.Admin.Http.GetStringAsync($"api/sites/{site.Sites[1].Id}", ct));
        bodies.Add(await central.Admin.Http.GetStringAsync($"api/sites/{site.Sites[1].Id}/logs", ct));
        var storedHash = await central.QueryAsync(db => db.Sites.Where(s => s.Name == "clinic").Select(s => s.PasswordHash).SingleAsync(ct));
        var siteLogs = await central.QueryAsync(db => db.SiteLogs.Select(l => l.Message).ToListAsync(ct));

        string[] secrets = [password, changed, OmsTestClient.Sha256Hex(password), OmsTestClient.Sha256Hex(changed), storedHash!,
            CentralFactory.AdminPassword];
        var everything = string.Join("\n", bodies.Concat(central.Factory.Logs.Lines).Concat(siteLogs));
        Assert.NotEmpty(central.Factory.Logs.Lines);
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, everything, StringComparison.Ordinal));
    }
}
