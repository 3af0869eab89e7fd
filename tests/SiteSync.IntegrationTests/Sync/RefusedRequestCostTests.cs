using Microsoft.EntityFrameworkCore;
using SiteSync.Testing;

namespace SiteSync.IntegrationTests.Sync;

/// <summary>A refused request must cost almost nothing (issue 8): no slow hash for a name no site has, and no site-log write
/// per request to a blocked site, however many arrive.</summary>
public sealed class RefusedRequestCostTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, ClassData(typeof(BothEngines))]
    public async Task RequestsWithUnknownSiteNamesCostNoSlowHashAndWriteNothing(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        using var verifications = new HashVerificationCounter(central);
        var logRows = await central.QueryAsync(db => db.SiteLogs.CountAsync(Ct));

        var answers = await Task.WhenAll(Enumerable.Range(0, 60).Select(async i =>
        {
            using var guesser = SyncScenario.Client(central, $"no-such-site-{i}");
            return (await guesser.GetAsync("/sync/v5/site")).ErrorCode;
        }));

        Assert.All(answers, code => Assert.Equal("site_name_not_found", code));
        Assert.Equal(0, verifications.Count);
        Assert.Equal(logRows, await central.QueryAsync(db => db.SiteLogs.CountAsync(Ct)));
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task ABlockedSiteIsRefusedWithOneLogLinePerBurstAndNoSlowHash(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var (_, site) = await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        using var guesser = SyncScenario.Client(central, "clinic");
        guesser.PasswordSha256 = OmsTestClient.Sha256Hex("wrong");
        for (var i = 0; i < 10; i++)
        {
            await guesser.GetAsync("/sync/v5/site");
        }
        Assert.Equal("blocked", (await central.Admin.GetSiteAsync(site.Id)).Status);
        var logRows = await central.QueryAsync(db => db.SiteLogs.CountAsync(l => l.SiteId == site.Id, Ct));
        using var verifications = new HashVerificationCounter(central);

        var answers = await Task.WhenAll(Enumerable.Range(0, 60).Select(async _ => (await guesser.GetAsync("/sync/v5/site")).ErrorCode));

        Assert.All(answers, code => Assert.Equal("site_auth_timeout", code));
        Assert.Equal(0, verifications.Count);
        Assert.InRange(await central.QueryAsync(db => db.SiteLogs.CountAsync(l => l.SiteId == site.Id, Ct)) - logRows, 0, 1);
    }
}
