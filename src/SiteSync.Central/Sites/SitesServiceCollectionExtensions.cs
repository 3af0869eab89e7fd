using SiteSync.Central.Hosting;
using SiteSync.Central.Logs;
using SiteSync.Central.Records;
using SiteSync.Central.Sync;

namespace SiteSync.Central.Sites;

public static class SitesServiceCollectionExtensions
{
    /// <summary>The site registry (rules 1–18) and fleet health; a site's stores are delivered by the sync feature.</summary>
    public static IHostApplicationBuilder AddSites(this IHostApplicationBuilder builder)
    {
        if (builder.IsRegistered(nameof(AddSites)))
        {
            return builder;
        }
        builder.AddValidatedOptions<FleetOptions>(FleetOptions.SectionName);
        builder.Services.AddSingleton<FleetHealth>();
        builder.Services.AddScoped<SiteService>();
        return builder.AddRecords().AddSiteLogs().AddSync();
    }
}
