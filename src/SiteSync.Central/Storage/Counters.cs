using Microsoft.EntityFrameworkCore;

namespace SiteSync.Central.Storage;

/// <summary>Reserves values of a named counter inside the caller's transaction.</summary>
/// <remarks>The UPDATE holds the counter row's lock until the transaction ends, so two transactions can never commit
/// their values out of order: a reader paging by <c>id &gt; cursor</c> cannot skip a late commit (reliability plan F12).
/// Take it as late as possible in a transaction: it serialises writers of the same counter.</remarks>
public static class Counters
{
    public const string RecordSeq = "record_seq";
    public const string ChangeLogId = "change_log_id";

    /// <summary>Reserves <paramref name="count"/> values and returns the first; the caller uses first … first+count-1.</summary>
    public static async Task<long> ReserveAsync(SiteSyncDbContext db, string name, int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var last = await db.Database
            .SqlQuery<long>($"UPDATE counter SET value = value + {count} WHERE name = {name} RETURNING value AS \"Value\"")
            .ToListAsync(cancellationToken);
        return last.Single() - count + 1;
    }
}
