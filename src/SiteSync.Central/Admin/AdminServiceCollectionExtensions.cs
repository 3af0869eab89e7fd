using SiteSync.Central.Logs;
using SiteSync.Central.Records;
using SiteSync.Central.Sites;
using SiteSync.Central.Stores;
using SiteSync.Central.Support;
using SiteSync.Central.Users;

namespace SiteSync.Central.Admin;

public static class AdminServiceCollectionExtensions
{
    /// <summary>The features behind the admin API and UI; each registers its own services.</summary>
    public static IHostApplicationBuilder AddAdmin(this IHostApplicationBuilder builder) =>
        builder.AddSites().AddStores().AddRecords().AddUsers().AddSupport().AddSiteLogs();
}
