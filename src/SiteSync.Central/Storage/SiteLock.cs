using Microsoft.EntityFrameworkCore;

namespace SiteSync.Central.Storage;

/// <summary>Per-site mutual exclusion across every central node, held until the current transaction ends.</summary>
public static class SiteLock
{
    /// <summary>Serialises work on one site's queue, buffer and counters.</summary>
    /// <remarks>PostgreSQL: a transaction-level advisory lock (released on commit or rollback, safe with pooling).
    /// SQLite: nothing to do, a write transaction (BEGIN IMMEDIATE) already excludes every other writer.</remarks>
    public static async Task AcquireAsync(SiteSyncDbContext db, int siteId, CancellationToken cancellationToken)
    {
        if (db.Provider == StorageProvider.Postgres)
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(7001, {siteId})", cancellationToken);
        }
    }
}
