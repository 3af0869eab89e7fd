using SiteSync.Central.Hosting;
using SiteSync.Central.Users;

namespace SiteSync.Central.Bootstrap;

public static class BootstrapServiceCollectionExtensions
{
    /// <summary>What a fresh datafile gets at its first start (site 1 and the <c>admin</c> user); run by the migrator.</summary>
    public static IHostApplicationBuilder AddBootstrap(this IHostApplicationBuilder builder)
    {
        if (builder.IsRegistered(nameof(AddBootstrap)))
        {
            return builder;
        }
        builder.AddValidatedOptions<AdminOptions>(AdminOptions.SectionName);
        builder.Services.AddScoped<StartupSeeder>();
        return builder.AddUsers();
    }
}
