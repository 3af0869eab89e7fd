using SiteSync.Central.Hosting;
using SiteSync.Central.Storage;

namespace SiteSync.Central.Logs;

public static class LogsServiceCollectionExtensions
{
    /// <summary>The site log (rule 19) and the fleet log over it.</summary>
    public static IHostApplicationBuilder AddSiteLogs(this IHostApplicationBuilder builder)
    {
        if (builder.IsRegistered(nameof(AddSiteLogs)))
        {
            return builder;
        }
        builder.Services.AddScoped<SiteLog>();
        builder.Services.AddScoped<FleetLog>();
        return builder.AddSiteSyncStorage();
    }
}
