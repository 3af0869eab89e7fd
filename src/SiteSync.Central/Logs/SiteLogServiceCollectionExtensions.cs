using Microsoft.Extensions.Options;
using SiteSync.Central.Diagnostics;
using SiteSync.Central.Hosting;
using SiteSync.Central.Storage;

namespace SiteSync.Central.Logs;

public static class SiteLogServiceCollectionExtensions
{
    /// <summary>The site log (rule 19), the fleet log over it, and its retention period (<c>SiteSync:Logs:RetentionDays</c>).</summary>
    public static IHostApplicationBuilder AddSiteLogs(this IHostApplicationBuilder builder)
    {
        if (builder.IsRegistered(nameof(AddSiteLogs)))
        {
            return builder;
        }
        builder.AddValidatedOptions<SiteLogOptions>(SiteLogOptions.SectionName);
        builder.Services.AddScoped<SiteLog>();
        builder.Services.AddScoped<FleetLog>();
        builder.Services.AddHostedService<Retention>();
        return builder.AddSiteSyncStorage();
    }

    /// <summary>Deletes lines older than the retention period at start, then every hour of the host's <see cref="TimeProvider"/>
    /// (tests drive it with a fake clock). Every node of a cluster may run it: deleting what is already gone is a no-op.</summary>
    private sealed class Retention(IServiceProvider services, IOptions<SiteLogOptions> options, TimeProvider time, ILogger<Retention> logger)
        : BackgroundService
    {
        private static readonly TimeSpan Period = TimeSpan.FromHours(1);

        // Created with the service, before the host starts: a clock that moves as soon as the host is up is never missed
        // (ExecuteAsync itself runs on a thread-pool thread some time after start).
        private readonly PeriodicTimer _timer = new(Period, time);

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            do
            {
                try
                {
                    await using var scope = services.CreateAsyncScope();
                    var cutoff = time.GetUtcNow() - TimeSpan.FromDays(options.Value.RetentionDays);
                    var result = await scope.ServiceProvider.GetRequiredService<SiteLog>()
                        .PruneAsync(cutoff, options.Value.PruneBatchSize, stoppingToken);
                    if (result.Deleted > 0)
                    {
                        Log.SiteLogPruned(logger, result.Deleted, result.Batches, options.Value.RetentionDays);
                    }
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    // The next pass retries; a failed pass must not stop the host.
                    Log.SiteLogPruneFailed(logger, exception);
                }
            }
            while (await _timer.WaitForNextTickAsync(stoppingToken));
        }

        public override void Dispose()
        {
            _timer.Dispose();
            base.Dispose();
        }
    }
}
