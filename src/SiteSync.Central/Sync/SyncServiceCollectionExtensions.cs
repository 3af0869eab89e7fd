using Microsoft.EntityFrameworkCore;
using SiteSync.Central.Auth;
using SiteSync.Central.Diagnostics;
using SiteSync.Central.Hosting;
using SiteSync.Central.Logs;
using SiteSync.Central.Records;
using SiteSync.Central.Storage;
using SiteSync.Protocol.Sync;

namespace SiteSync.Central.Sync;

public static class SyncServiceCollectionExtensions
{
    /// <summary>The sync API: its options, the site authentication scheme and policy, the services behind pull, push and
    /// store delivery, gzip responses, and the recovery of integrations a crash interrupted. Registers the features it uses.</summary>
    public static IHostApplicationBuilder AddSync(this IHostApplicationBuilder builder)
    {
        if (builder.IsRegistered(nameof(AddSync)))
        {
            return builder;
        }
        builder.AddValidatedOptions<SyncOptions>(SyncOptions.SectionName);
        builder.Services.AddAuthentication().AddSiteScheme();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Site, policy => policy.AddAuthenticationSchemes(Policies.SiteScheme).RequireAuthenticatedUser())
            .AddPolicy(Policies.SiteV4, policy => policy.AddAuthenticationSchemes(Policies.SiteV4Scheme).RequireAuthenticatedUser());
        builder.Services.AddScoped<SiteAuthenticator>();
        builder.Services.AddSingleton<BlockedRefusals>();
        builder.Services.AddSingleton<IdleCycles>();
        builder.Services.AddSingleton<PushFacts>();
        builder.Services.AddScoped<StoreDelivery>();
        builder.Services.AddScoped<SyncService>();
        builder.Services.AddScoped<PushService>();
        builder.Services.AddScoped<SiteOutbox>();
        builder.Services.AddScoped<CentralChangeLog>();
        builder.Services.AddResponseCompression(options =>
        {
            options.EnableForHttps = true;
            options.MimeTypes = ["application/json", "application/problem+json"];
        });
        builder.Services.AddHostedService<IntegrationRecovery>();
        return builder.AddSiteSyncBasics().AddSiteSyncStorage().AddRecords().AddSiteLogs().AddCredentialCache().AddSiteSyncMetrics();
    }

    /// <summary>An integration interrupted by a crash left its buffer and its "in progress" flag in the database; finish it
    /// at start-up so the site's status returns to idle and nothing it pushed is lost.</summary>
    /// <remarks>Never fatal: a site whose integration still fails is logged and left for its next push to retry, so no
    /// stored record can stop central from starting (a crash loop would stop every other site too).</remarks>
    private sealed class IntegrationRecovery(IServiceProvider services, ILogger<IntegrationRecovery> logger) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            List<int> pending;
            await using (var scope = services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<SiteSyncDbContext>();
                pending = await db.Sites.AsNoTracking().Where(s => s.IntegrationStatus == SiteStatusCodes.IntegrationInProgress)
                    .Select(s => s.Id).ToListAsync(stoppingToken);
            }
            foreach (var siteId in pending)
            {
                try
                {
                    await using var siteScope = services.CreateAsyncScope();
                    await siteScope.ServiceProvider.GetRequiredService<PushService>().IntegrateAsync(siteId, stoppingToken);
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    Log.RecoveryFailed(logger, exception, siteId);
                }
            }
        }
    }
}
