using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using SiteSync.Protocol.Admin;
using SiteSync.Protocol.Json;
using SiteSync.Protocol.Sync;

namespace SiteSync.Protocol.Tests;

/// <summary>The admin API's JSON shapes (DESIGN §4), pinned like the sync API's: a known value written must give the golden
/// file's bytes, and the golden file read and written back must give them again. A diff here is a change to a published API
/// that scripts depend on.</summary>
public sealed class AdminGoldenJsonTests
{
    private static readonly SiteSyncJsonContext Json = SiteSyncJsonContext.Default;
    private static readonly DateTimeOffset At = new(2026, 11, 23, 14, 3, 22, TimeSpan.Zero);

    internal static Site Kama => new(
        5, "K1", "Kama", SiteTypes.Standalone, "Open mSupply Desktop", "2.20.0", At, At.AddMinutes(1), SiteStatuses.Active, false, false,
        null, "0123456789abcdef", InitialisationStatuses.Completed, [new StoreRef("store-1", "PH1", "Pharmacy One")], "Global Fund",
        SiteHealths.Failing, "The last sync failed: initialisation refused.", new SiteError(At, "initialised", "The site has no store."))
    {
        Warnings = [new SiteWarning(SiteWarningCodes.Renamed, "The site was renamed: change the name on the remote too.")],
    };

    [Fact]
    public void SiteIsPinned() => Pinned("site.json", Kama, Json.Site);

    [Fact]
    public void SiteListIsPinned() => Pinned("site-list.json",
        new SiteList(1, 2, [Kama with { Warnings = null }], new HealthCounts(0, 0, 1, 0, 1), 0, 50), Json.SiteList);

    [Fact]
    public void SiteEditIsPinned() => Pinned("site-edit.json",
        new SiteEdit("K1", "Kama", "a-new-password", SiteTypes.Mobile, ["store-1"], true, "https://oms.example.org", "Global Fund"), Json.SiteEdit);

    [Fact]
    public void LogEntriesArePinned() => Pinned("log-entries.json",
        [new LogEntry(At, "info", "site_created", "Site 'Kama' was created.", "admin")], Json.LogEntryArray);

    [Fact]
    public void FleetLogPageIsPinned() => Pinned("fleet-log-page.json",
        new FleetLogPage(1, 0, 100, [new FleetLogEntry(5, "Kama", At, "error", "auth_failed", "Wrong password.", null)]), Json.FleetLogPage);

    [Fact]
    public void StoresArePinned() => Pinned("stores.json", [new StoreInfo("store-1", "PH1", "Pharmacy One", "name-1", 5)], Json.StoreInfoArray);

    [Fact]
    public void CreateStoreRequestIsPinned() => Pinned("create-store-request.json", new CreateStoreRequest("PH1", "Pharmacy One"), Json.CreateStoreRequest);

    [Fact]
    public void UsersArePinned() => Pinned("users.json",
        [new User("admin", null, [Permissions.EditSyncSettings]) { IsDisabled = false }, new User("viewer", null, []) { IsDisabled = true }], Json.UserArray);

    [Fact]
    public void SupportContractsArePinned() => Pinned("support-contracts.json",
        [new SupportContract("Global Fund", "Kama", "LIC-1", 5, new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31))], Json.SupportContractArray);

    [Fact]
    public void SiteDetailsArePinned() => Pinned("site-details.json",
        new SiteDetails("Global Fund", "LIC-1", 5, new DateOnly(2026, 1, 1), null), Json.SiteDetails);

    [Fact]
    public void ImportResultIsPinned() => Pinned("import-result.json", new ImportResult(3, ["Nowhere"]), Json.ImportResult);

    [Fact]
    public void CentralRecordIsPinned() => Pinned("central-record.json",
        new CentralRecord("item", "item-1", new RawJson("""{"ID":"item-1","code":"AMX"}""")), Json.CentralRecord);

    [Fact]
    public void RecordsResultIsPinned() => Pinned("records-result.json", new RecordsResult(2, 2), Json.RecordsResult);

    [Fact]
    public void SiteIntegrityIsPinned() => Pinned("site-integrity.json",
        new SiteIntegrity(IntegrityStatuses.Differs, At, 3, 120, 121, 0, [new IntegrityGroupResult("transact", "store-1", false, 40, 41)], 1,
            [new IntegrityDifference("transact", "store-1", "t-7", IntegrityDifferenceKinds.MissingAtSite)]), Json.SiteIntegrity);

    internal static string Golden(string file) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "Admin", file)).TrimEnd('\n');

    private static void Pinned<T>(string file, T value, JsonTypeInfo<T> type)
    {
        var golden = Golden(file);

        Assert.Equal(golden, JsonSerializer.Serialize(value, type));
        Assert.Equal(golden, JsonSerializer.Serialize(JsonSerializer.Deserialize(golden, type)!, type));
    }
}
