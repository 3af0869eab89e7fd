using SiteSync.Remote.Tests.Support;
using SiteSync.Testing;

namespace SiteSync.Remote.Tests;

/// <summary>Rule 24: a site enters data only for stores active on it; central data is read-only there.</summary>
public sealed class LocalEditTests : IDisposable
{
    private readonly FakeCentral _central = new();
    private TestSite? _site;

    private async Task<RemoteSite> SyncedSiteAsync()
    {
        _central.AddStore("store-1", FakeCentral.SiteId);
        _central.AddStore("store-other", 99);
        _site = await TestSite.CreateAsync(_central);
        await _site.SyncAsync();
        return _site.Site;
    }

    [Fact]
    public async Task PutForAStoreOfAnotherSiteIsRefusedAndNothingIsStored()
    {
        var site = await SyncedSiteAsync();

        var refusal = await Assert.ThrowsAsync<RemoteRefusedException>(() => site.PutRecordsAsync(
            "transact", """[{"ID":"t-1","store_ID":"store-1"},{"ID":"t-2","store_ID":"store-other"}]""", TestContext.Current.CancellationToken));

        Assert.Equal(RefusalCodes.StoreNotActive, refusal.Code);
        Assert.Contains("store-other", refusal.Message, StringComparison.Ordinal);
        Assert.Empty(await site.ListRecordsAsync("transact", null, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task PutOfCentralDataIsRefused()
    {
        var site = await SyncedSiteAsync();

        var refusal = await Assert.ThrowsAsync<RemoteRefusedException>(
            () => site.PutRecordsAsync("item", """{"ID":"item-x","name":"x"}""", TestContext.Current.CancellationToken));

        Assert.Equal(RefusalCodes.CentralData, refusal.Code);
    }

    [Fact]
    public async Task PutOfCentralStoreDataIsRefused()
    {
        var site = await SyncedSiteAsync();

        var refusal = await Assert.ThrowsAsync<RemoteRefusedException>(
            () => site.PutRecordsAsync("item_store_join", """{"ID":"isj","store_ID":"store-1"}""", TestContext.Current.CancellationToken));

        Assert.Equal(RefusalCodes.CentralData, refusal.Code);
    }

    [Fact]
    public async Task PutOfANonPatientNameIsRefusedAndAPatientIsAccepted()
    {
        var site = await SyncedSiteAsync();

        var refusal = await Assert.ThrowsAsync<RemoteRefusedException>(
            () => site.PutRecordsAsync("name", """{"ID":"f1","type":"facility"}""", TestContext.Current.CancellationToken));
        await site.PutRecordsAsync("name", """{"ID":"p1","type":"patient","first":"Ana"}""", TestContext.Current.CancellationToken);

        Assert.Equal(RefusalCodes.CentralData, refusal.Code);
    }

    [Fact]
    public async Task PutBeforeTheFirstSyncIsRefusedBecauseNoStoreIsActive()
    {
        _site = await TestSite.CreateAsync(_central);

        var refusal = await Assert.ThrowsAsync<RemoteRefusedException>(() => _site.Site.PutRecordsAsync(
            "transact", """{"ID":"t-1","store_ID":"store-1"}""", TestContext.Current.CancellationToken));

        Assert.Equal(RefusalCodes.StoreNotActive, refusal.Code);
    }

    [Fact]
    public async Task LineTakesItsStoreFromItsHeaderInTheSamePut()
    {
        var site = await SyncedSiteAsync();

        await site.PutRecordsAsync("transact", """{"ID":"t-1","store_ID":"store-1"}""", TestContext.Current.CancellationToken);
        await site.PutRecordsAsync("trans_line", """{"ID":"tl-1","transaction_ID":"t-1"}""", TestContext.Current.CancellationToken);

        Assert.Equal("store-1", (await site.GetRecordAsync("trans_line", "tl-1", TestContext.Current.CancellationToken))!.StoreId);
    }

    [Fact]
    public async Task LineOfAnUnknownHeaderIsRefused()
    {
        var site = await SyncedSiteAsync();

        var refusal = await Assert.ThrowsAsync<RemoteRefusedException>(
            () => site.PutRecordsAsync("trans_line", """{"ID":"tl-1","transaction_ID":"nope"}""", TestContext.Current.CancellationToken));

        Assert.Equal(RefusalCodes.InvalidRecord, refusal.Code);
    }

    [Fact]
    public async Task RecordWithoutIdIsRefused()
    {
        var site = await SyncedSiteAsync();

        var refusal = await Assert.ThrowsAsync<RemoteRefusedException>(
            () => site.PutRecordsAsync("transact", """{"store_ID":"store-1"}""", TestContext.Current.CancellationToken));

        Assert.Equal(RefusalCodes.InvalidRecord, refusal.Code);
    }

    [Fact]
    public async Task AcceptedPutIsPendingForPushUntilTheNextCycle()
    {
        var site = await SyncedSiteAsync();

        await site.PutRecordsAsync("transact", """[{"ID":"t-1","store_ID":"store-1"},{"ID":"t-2","store_ID":"store-1"}]""", TestContext.Current.CancellationToken);
        var before = await site.GetStatusAsync(TestContext.Current.CancellationToken);
        await _site!.SyncAsync();
        var after = await site.GetStatusAsync(TestContext.Current.CancellationToken);

        Assert.Equal((2L, 0L), (before.PendingPush, after.PendingPush));
    }

    public void Dispose()
    {
        _site?.Dispose();
        _central.Dispose();
    }
}
