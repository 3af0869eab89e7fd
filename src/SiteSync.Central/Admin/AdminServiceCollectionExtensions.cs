using SiteSync.Central.Bootstrap;
using SiteSync.Central.Logs;
using SiteSync.Central.Records;
using SiteSync.Central.Sites;
using SiteSync.Central.Stores;
using SiteSync.Central.Support;
using SiteSync.Central.Sync;
using SiteSync.Central.Users;

namespace SiteSync.Central.Admin;

public static class AdminServiceCollectionExtensions
{
    /// <summary>The application services behind the admin API and UI.</summary>
    public static IHostApplicationBuilder AddAdmin(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<FleetOptions>().BindConfiguration(FleetOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<FleetHealth>();
        builder.Services.AddScoped<FleetLog>();
        builder.Services.AddScoped<SiteService>();
        builder.Services.AddScoped<StoreService>();
        builder.Services.AddScoped<UserService>();
        builder.Services.AddScoped<SupportService>();
        builder.Services.AddScoped<CentralRecordService>();
        builder.Services.AddScoped<RecordStore>();
        builder.Services.AddScoped<StoreDelivery>();
        builder.Services.AddScoped<StartupSeeder>();
        return builder;
    }
}
