using System.Text.Json;
using System.Text.RegularExpressions;
using SiteSync.Testing;

namespace SiteSync.IntegrationTests.Admin;

/// <summary>The running server answers the admin API in the shapes pinned by the golden files (Protocol tests): the same
/// property names, at the top level and in each nested object, so the server's JSON settings cannot drift from the contract.</summary>
public sealed partial class AdminApiShapeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, ClassData(typeof(BothEngines))]
    public async Task EveryReadOfTheAdminApiHasTheGoldenShape(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var store = await central.Admin.CreateStoreAsync("PH1", "Pharmacy One");
        var site = await central.Admin.CreateSiteAsync("Kama", storeIds: [store.Id]);
        await central.Admin.UpsertRecordsAsync("""{"item":[{"ID":"item-1","code":"AMX"}]}""");
        await central.Admin.ImportContractsAsync("""[{"funderName":"Global Fund","siteName":"Kama","licenseCode":"LIC-1"}]""");

        await AssertShapeAsync(central, $"api/sites/{site.Id}", "site.json", "warnings");
        await AssertShapeAsync(central, "api/sites?limit=50", "site-list.json");
        await AssertShapeAsync(central, $"api/sites/{site.Id}/logs", "log-entries.json");
        await AssertShapeAsync(central, "api/logs", "fleet-log-page.json");
        await AssertShapeAsync(central, "api/stores", "stores.json");
        await AssertShapeAsync(central, "api/users", "users.json");
        await AssertShapeAsync(central, $"api/sites/{site.Id}/details", "site-details.json");
        await AssertShapeAsync(central, "api/records/item/item-1", "central-record.json");
        await AssertShapeAsync(central, $"api/sites/{site.Id}/integrity", "site-integrity.json");
    }

    /// <summary>Every object path of the live answer is one of the golden file's, and every golden path with a value in the live
    /// answer too; <paramref name="optional"/> names golden properties the server leaves out when they are empty.</summary>
    private static async Task AssertShapeAsync(TestCentral central, string path, string golden, params string[] optional)
    {
        using var live = JsonDocument.Parse(await central.Admin.Http.GetStringAsync(path, Ct));
        using var expected = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Golden", "Admin", golden), Ct));
        var livePaths = Paths(live.RootElement, "$").ToHashSet(StringComparer.Ordinal);
        var goldenPaths = Paths(expected.RootElement, "$").ToHashSet(StringComparer.Ordinal);

        Assert.Empty(livePaths.Except(goldenPaths).Order(StringComparer.Ordinal));
        // Only the top-level properties are all present whatever the data (nested ones need data the site may not have).
        Assert.Empty(goldenPaths.Where(p => TopLevel().IsMatch(p) && !optional.Any(o => p.EndsWith("." + o, StringComparison.Ordinal)))
            .Except(livePaths).Order(StringComparer.Ordinal));
    }

    private static IEnumerable<string> Paths(JsonElement element, string prefix) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Paths(p.Value, $"{prefix}.{p.Name}").Prepend($"{prefix}.{p.Name}")),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(e => Paths(e, prefix + "[]")),
        _ => [],
    };

    /// <summary>A property of the answer itself, or of each element when the answer is an array.</summary>
    [GeneratedRegex(@"^\$(\[\])?\.[^.\[]+$")]
    private static partial Regex TopLevel();
}
