using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace SiteSync.Central.Storage;

/// <summary>How a write uses routing state (which store is active on which site).</summary>
public enum RoutingAccess
{
    /// <summary>Reads it to decide where records go (pushes, admin record writes, initialise).</summary>
    Read,

    /// <summary>Changes it (a store move): no write that routes may run at the same time.</summary>
    Change,
}

/// <summary>The one central write path: every change to records, queues, snapshots and counters (push integration, admin
/// record writes, store moves, initialise, acknowledgements) runs in a transaction begun here, with its locks taken here
/// in one fixed order.</summary>
/// <remarks>
/// <para>The rule, stated once (docs/decisions.md "The central write path"):</para>
/// <list type="number">
/// <item>Per-site locks, in ascending site id: one site's buffer, queue, snapshots and cycle counters change under its lock.</item>
/// <item>The routing lock: shared by writes that read routing state, exclusive for a store move, so a move waits for
/// pushes in flight (their records and forwards are then visible to the move's delivery) and no push routes by a
/// store's old site after the move commits.</item>
/// <item>The record sequence and the change-log id, last (<see cref="ReserveAsync"/>): the counter row stays locked until
/// commit, so sequence numbers and change-log ids become visible in commit order and no cursor reader can skip a row.</item>
/// </list>
/// <para>On SQLite a write transaction (<c>BEGIN IMMEDIATE</c>) already excludes every other writer, so the locks are only
/// taken on PostgreSQL, where several central nodes may share the database.</para>
/// </remarks>
public sealed class WritePath(SiteSyncDbContext db)
{
    private const int SiteLockSpace = 7001;
    private const int RoutingLockSpace = 7002;

    /// <summary>Begins the write transaction and takes the locks: the sites' (ascending), then routing.</summary>
    public async Task<IDbContextTransaction> BeginAsync(IEnumerable<int> siteIds, RoutingAccess routing, CancellationToken cancellationToken)
    {
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (db.Provider != StorageProvider.Postgres)
        {
            return transaction;
        }
        try
        {
            foreach (var siteId in siteIds.Distinct().Order())
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({SiteLockSpace}, {siteId})", cancellationToken);
            }
            await (routing == RoutingAccess.Change
                ? db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({RoutingLockSpace}, 0)", cancellationToken)
                : db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock_shared({RoutingLockSpace}, 0)", cancellationToken));
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    /// <summary>A transaction for one site's own bookkeeping (acknowledgements, buffering pushed batches): its lock only.</summary>
    public async Task<IDbContextTransaction> BeginForSiteAsync(int siteId, CancellationToken cancellationToken)
    {
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (db.Provider == StorageProvider.Postgres)
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({SiteLockSpace}, {siteId})", cancellationToken);
        }
        return transaction;
    }

    /// <summary>Reserves <paramref name="count"/> values of a counter in the current transaction (last, see the remarks).</summary>
    public Task<long> ReserveAsync(string counter, int count, CancellationToken cancellationToken) =>
        Counters.ReserveAsync(db, counter, count, cancellationToken);
}
