using Microsoft.EntityFrameworkCore;
using SiteSync.Remote.Sync;

namespace SiteSync.Remote.Storage;

/// <summary>The site's history of sync cycles: one row a cycle, started as <c>running</c> and finished with its outcome.</summary>
internal sealed class SyncLog(LocalDatabase database, TimeProvider time)
{
    public async Task<long> StartAsync(CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var entry = new SyncLogEntity { StartedAt = time.GetUtcNow(), Outcome = SyncOutcomes.Running };
        db.SyncLog.Add(entry);
        await db.SaveChangesAsync(cancellationToken);
        return entry.Id;
    }

    public async Task FinishAsync(long id, Action<SyncLogEntity> update, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var entry = await db.SyncLog.FirstAsync(l => l.Id == id, cancellationToken);
        update(entry);
        entry.FinishedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<SyncLogEntity?> LastAsync(bool successfulOnly, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var query = db.SyncLog.AsNoTracking();
        if (successfulOnly)
        {
            query = query.Where(l => l.Outcome == SyncOutcomes.Ok);
        }

        return await query.OrderByDescending(l => l.Id).FirstOrDefaultAsync(cancellationToken);
    }
}
