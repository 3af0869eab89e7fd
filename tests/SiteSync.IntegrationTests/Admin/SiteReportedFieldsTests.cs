using SiteSync.Protocol.Admin;
using SiteSync.Testing;

namespace SiteSync.IntegrationTests.Admin;

/// <summary>Rules 9 and 10: what the remote reports in its headers — its type (mobile or standalone), its device type and its
/// app version — is what the admin sees, updated whenever the remote syncs.</summary>
public sealed class SiteReportedFieldsTests
{
    public static TheoryData<Engine, string, string, string> Apps()
    {
        var data = new TheoryData<Engine, string, string, string>();
        foreach (var engine in new[] { Engine.Sqlite, Engine.Postgres })
        {
            data.Add(engine, "Open mSupply Desktop", "Open mSupply", SiteTypes.Standalone);
            data.Add(engine, "Open mSupply Android", "Open mSupply", SiteTypes.Mobile);
            data.Add(engine, "SiteSync Remote", "SiteSync Remote", SiteTypes.Standalone);
            data.Add(engine, "Field Tablet 3", "Field Tablet 3", SiteTypes.Standalone);
        }
        return data;
    }

    [Theory, MemberData(nameof(Apps))]
    public async Task TheAppNameAndVersionARemoteSendsAreShownMapped(Engine engine, string appName, string deviceType, string type)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var site = await central.Admin.CreateSiteAsync("kama");

        await central.Admin.ConnectAsSiteAsync("kama", "device-1", appName: appName, appVersion: "2.21.3");
        var shown = await central.Admin.GetSiteAsync(site.Id);
        var listed = (await central.Admin.ListSitesAsync()).Sites.Single(s => s.Id == site.Id);

        Assert.Equal((deviceType, "2.21.3", type), (shown.DeviceType, shown.AppVersion, shown.Type));
        Assert.Equal((deviceType, "2.21.3", type), (listed.DeviceType, listed.AppVersion, listed.Type));
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task TheRemoteUpdatesTheSiteTypeEachTimeItSyncsAndARequestWithoutAnAppKeepsIt(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var site = await central.Admin.CreateSiteAsync("kama");

        await central.Admin.ConnectAsSiteAsync("kama", "device-1", appName: "Open mSupply Android", appVersion: "2.21.0");
        var onTablet = await central.Admin.GetSiteAsync(site.Id);
        await central.Admin.ConnectAsSiteAsync("kama", "device-1", appName: "", appVersion: "");
        var withoutApp = await central.Admin.GetSiteAsync(site.Id);
        await central.Admin.ConnectAsSiteAsync("kama", "device-1", appName: "Open mSupply Desktop", appVersion: "2.22.0");
        var onDesktop = await central.Admin.GetSiteAsync(site.Id);

        Assert.Equal(SiteTypes.Standalone, site.Type);
        Assert.Equal((SiteTypes.Mobile, "Open mSupply", "2.21.0"), (onTablet.Type, onTablet.DeviceType, onTablet.AppVersion));
        Assert.Equal((SiteTypes.Mobile, "Open mSupply", "2.21.0"), (withoutApp.Type, withoutApp.DeviceType, withoutApp.AppVersion));
        Assert.Equal((SiteTypes.Standalone, "Open mSupply", "2.22.0"), (onDesktop.Type, onDesktop.DeviceType, onDesktop.AppVersion));
    }
}
