using SiteSync.Central.Hosting;
using SiteSync.Central.Storage;

namespace SiteSync.Central.Support;

public static class SupportServiceCollectionExtensions
{
    /// <summary>Support contracts: imported, and shown with a site's details.</summary>
    public static IHostApplicationBuilder AddSupport(this IHostApplicationBuilder builder)
    {
        if (builder.IsRegistered(nameof(AddSupport)))
        {
            return builder;
        }
        builder.Services.AddScoped<SupportService>();
        return builder.AddSiteSyncStorage();
    }
}
