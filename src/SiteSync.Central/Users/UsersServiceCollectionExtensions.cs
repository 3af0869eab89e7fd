using SiteSync.Central.Auth;
using SiteSync.Central.Diagnostics;
using SiteSync.Central.Hosting;
using SiteSync.Central.Storage;

namespace SiteSync.Central.Users;

public static class UsersServiceCollectionExtensions
{
    /// <summary>Central's users: who may log in, with which permissions.</summary>
    public static IHostApplicationBuilder AddUsers(this IHostApplicationBuilder builder)
    {
        if (builder.IsRegistered(nameof(AddUsers)))
        {
            return builder;
        }
        builder.Services.AddScoped<UserService>();
        return builder.AddSiteSyncStorage().AddCredentialCache().AddSiteSyncMetrics();
    }
}
