using SiteSync.Testing;

namespace SiteSync.IntegrationTests.Sync;

/// <summary>PBKDF2 costs ~50 ms of CPU: a syncing site must not pay it per request (reliability plan §4.3).</summary>
public sealed class AuthCostTests
{
    [Theory, ClassData(typeof(BothEngines))]
    public async Task AWholeSyncCycleVerifiesTheSitePasswordHashOnce(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var (store, _) = await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        await SyncScenario.AddItemsAsync(central, 1_200);
        using var client = SyncScenario.Client(central, "clinic");
        using var verifications = new HashVerificationCounter(central);

        await client.SyncAsync();
        client.Edit("transact", "t1", SyncScenario.Transaction("t1", store.Id));
        await client.SyncAsync();

        Assert.True(client.Requests.Count >= 12, $"{client.Requests.Count} requests");
        Assert.Equal(1, verifications.Count);
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task AChangedPasswordIsVerifiedAgainAndTheOldOneNoLongerWorks(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var (_, site) = await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        using var client = SyncScenario.Client(central, "clinic");
        await client.GetAsync("/sync/v5/site");

        await central.Admin.UpdateSiteAsync(site.Id, AdminClient.EditOf(await central.Admin.GetSiteAsync(site.Id)) with { Password = "a-new-password" });
        var old = await client.GetAsync("/sync/v5/site");
        client.PasswordSha256 = OmsTestClient.Sha256Hex("a-new-password");
        var renewed = await client.GetAsync("/sync/v5/site");

        Assert.Equal((401, "site_incorrect_password"), (old.Status, old.ErrorCode));
        Assert.Equal(200, renewed.Status);
    }
}
