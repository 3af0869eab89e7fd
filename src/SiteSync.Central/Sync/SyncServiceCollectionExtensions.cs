using Microsoft.EntityFrameworkCore;
using SiteSync.Central.Diagnostics;
using SiteSync.Central.Storage;
using SiteSync.Protocol.Sync;

namespace SiteSync.Central.Sync;

public static class SyncServiceCollectionExtensions
{
    /// <summary>The sync API's services, gzip responses, and the recovery of integrations a crash interrupted.</summary>
    public static IHostApplicationBuilder AddSync(this IHostApplicationBuilder builder)
    {
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
        return builder;
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
