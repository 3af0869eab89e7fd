using Microsoft.EntityFrameworkCore;
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
    private sealed class IntegrationRecovery(IServiceProvider services) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SiteSyncDbContext>();
            var pending = await db.Sites.AsNoTracking().Where(s => s.IntegrationStatus == SiteStatusCodes.IntegrationInProgress)
                .Select(s => s.Id).ToListAsync(stoppingToken);
            foreach (var siteId in pending)
            {
                await using var siteScope = services.CreateAsyncScope();
                await siteScope.ServiceProvider.GetRequiredService<PushService>().IntegrateAsync(siteId, stoppingToken);
            }
        }
    }
}
