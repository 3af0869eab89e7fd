using SiteSync.Central.Hosting;
using SiteSync.Central.Logs;
using SiteSync.Central.Storage;

namespace SiteSync.Central.Integrity;

public static class IntegrityServiceCollectionExtensions
{
    /// <summary>The integrity audit (issue 8): digests of a site's records against central's copy.</summary>
    public static IHostApplicationBuilder AddIntegrityAudit(this IHostApplicationBuilder builder)
    {
        if (builder.IsRegistered(nameof(AddIntegrityAudit)))
        {
            return builder;
        }
        builder.Services.AddScoped<IntegrityService>();
        return builder.AddSiteSyncStorage().AddSiteLogs();
    }
}
