using SiteSync.Central.Hosting;
using SiteSync.Central.Records;

namespace SiteSync.Central.Stores;

public static class StoresServiceCollectionExtensions
{
    /// <summary>Stores: listed and created through the admin API (a store is a central record).</summary>
    public static IHostApplicationBuilder AddStores(this IHostApplicationBuilder builder)
    {
        if (builder.IsRegistered(nameof(AddStores)))
        {
            return builder;
        }
        builder.Services.AddScoped<StoreService>();
        return builder.AddRecords();
    }
}
