using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SiteSync.Testing;

namespace SiteSync.IntegrationTests.Admin;

/// <summary>Central data authoring (change log), store creation, the site log (rule 19) and the support database (rule 18).</summary>
public sealed class RecordsAndLogsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, ClassData(typeof(BothEngines))]
    public async Task UpsertingCentralDataWritesOneChangeLogRowPerChange(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var fixture = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "legacy-records.json"));
        using var document = JsonDocument.Parse(fixture);
        var centralTables = new[] { "unit", "item", "list_master", "list_master_line", "options", "currency" };
        var body = "{" + string.Join(",", centralTables.Select(t => $"\"{t}\":{document.RootElement.GetProperty(t).GetRawText()}")) + "}";

        var first = await central.Admin.UpsertRecordsAsync(body);
        var again = await central.Admin.UpsertRecordsAsync(body);

        var expected = centralTables.Sum(t => document.RootElement.GetProperty(t).GetArrayLength());
        Assert.Equal((expected, expected), (first.Changed, first.ChangeLogRows));
        Assert.Equal(expected, again.ChangeLogRows);
        Assert.Equal(2 * expected, await central.QueryAsync(db => db.ChangeLog.CountAsync(Ct)));
        var item = await central.Admin.GetRecordAsync("item", "8F252B5884B74888AAB73A0D42C09E7A");
        Assert.Equal(JsonSerializer.Serialize(document.RootElement.GetProperty("item")[0]), JsonSerializer.Serialize(item));
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task CreatingAStoreWritesItsNameAndStoreRecordsToTheChangeLog(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);

        var store = await central.Admin.CreateStoreAsync("DST", "District Store");

        var rows = await central.QueryAsync(db => db.ChangeLog.OrderBy(c => c.Id).Select(c => c.TableName + "/" + c.RecordId).ToListAsync(Ct));
        Assert.Equal([$"name/{store.NameId}", $"store/{store.Id}"], rows);
        var record = await central.Admin.GetRecordAsync("store", store.Id);
        Assert.Equal(("District Store", "DST", store.NameId, 1), (record?.GetProperty("name").GetString(), record?.GetProperty("code").GetString(),
            record?.GetProperty("name_ID").GetString(), record?.GetProperty("sync_id_remote_site").GetInt32()));
        Assert.Equal("store", (await central.Admin.GetRecordAsync("name", store.NameId))?.GetProperty("type").GetString());
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task StoreDataOfAStoreOnARemoteSiteIsEditedThereNotOnCentral(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var (store, _) = await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        var centralStore = await central.Admin.CreateStoreAsync("C1", "Central pharmacy");

        using var remote = await central.Admin.Http.PostAsync("api/records",
            new StringContent($$"""{"transact":[{"ID":"t1","store_ID":"{{store.Id}}"}]}""", Encoding.UTF8, "application/json"), Ct);
        var local = await central.Admin.UpsertRecordsAsync($$"""{"transact":[{"ID":"t2","store_ID":"{{centralStore.Id}}"}]}""");

        Assert.Equal(HttpStatusCode.Conflict, remote.StatusCode);
        Assert.Equal("not_central_data", (await AdminClient.ProblemAsync(remote)).Code);
        Assert.Equal((1, 0), (local.Changed, local.ChangeLogRows));
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task TheLogShowsTodayByDefaultAndFiltersByDateLevelAndText(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var site = await central.Admin.CreateSiteAsync("clinic", "site-password");
        using var wrong = new OmsTestClient(central.BaseAddress, "clinic", "bad-guess");
        await wrong.GetAsync("/sync/v5/site");
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var byDefault = await central.Admin.LogsAsync(site.Id);
        var explicitToday = await central.Admin.LogsAsync(site.Id, $"?from={today}&to={today}");
        var longAgo = await central.Admin.LogsAsync(site.Id, "?from=2001-01-01&to=2001-12-31");
        var warnings = await central.Admin.LogsAsync(site.Id, "?level=warning");
        var text = await central.Admin.LogsAsync(site.Id, "?search=CREATED");

        Assert.Equal(["auth_failed", "site_created"], byDefault.Select(l => l.Event));
        Assert.Equal(byDefault, explicitToday);
        Assert.Empty(longAgo);
        Assert.Equal(["auth_failed"], warnings.Select(l => l.Event));
        Assert.Equal(["site_created"], text.Select(l => l.Event));
        Assert.Equal("admin", byDefault.Single(l => l.Event == "site_created").User);
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task SupportContractsImportAsCsvOrJsonAndShowInTheSiteDetails(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var site = await central.Admin.CreateSiteAsync("Kama");
        var other = await central.Admin.CreateSiteAsync("Louisa");
        const string csv = "funderName,siteName,licenseCode,licensedUsers,supportStart,supportEnd\r\n" +
            "\"Global Fund, Malaria\",Kama,LIC-001,5,2025-01-01,2026-12-31\r\n" +
            "USAID,Djibouti,LIC-002,2,2024-06-01,2025-05-31\r\n";

        using var csvImport = await central.Admin.Http.PostAsync("api/support/contracts", new StringContent(csv, Encoding.UTF8, "text/csv"), Ct);
        using var jsonImport = await central.Admin.Http.PostAsync("api/support/contracts", new StringContent(
            """[{"funderName":"Gates Foundation","siteName":"louisa","licenseCode":null,"licensedUsers":1,"supportStart":"2026-01-01","supportEnd":null}]""",
            Encoding.UTF8, "application/json"), Ct);
        var funders = await central.Admin.Http.GetStringAsync("api/support/funders?search=F", Ct);
        var details = await central.Admin.Http.GetStringAsync($"api/sites/{site.Id}/details", Ct);
        var otherDetails = await central.Admin.Http.GetStringAsync($"api/sites/{other.Id}/details", Ct);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (csvImport.StatusCode, jsonImport.StatusCode));
        Assert.Equal("""{"imported":2,"unknownSites":["Djibouti"]}""", await csvImport.Content.ReadAsStringAsync(Ct));
        Assert.Equal("""["Gates Foundation","Global Fund, Malaria"]""", funders);
        Assert.Equal("""{"funderName":"Global Fund, Malaria","licenseCode":"LIC-001","licensedUsers":5,"supportStart":"2025-01-01","supportEnd":"2026-12-31"}""", details);
        Assert.Equal("""{"funderName":"Gates Foundation","licenseCode":null,"licensedUsers":1,"supportStart":"2026-01-01","supportEnd":null}""", otherDetails);
    }
}
