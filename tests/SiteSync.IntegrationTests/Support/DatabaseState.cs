using Microsoft.EntityFrameworkCore;
using SiteSync.Testing;

namespace SiteSync.IntegrationTests.Support;

/// <summary>What a write can change in central's database, read as an operator would: the rows of every application table and
/// the counters every write advances. Two equal states mean nothing was written in between.</summary>
public sealed record DatabaseState(
    int Sites, int Stores, int Users, int SiteLogs, int SupportContracts, int Records, long MaxRecordSeq, int ChangeLog, int Queue,
    int Snapshots, int PushBuffer, int StoreDepartures, string Counters, string SitesUpdated)
{
    public static Task<DatabaseState> ReadAsync(TestCentral central) => central.QueryAsync(async db =>
    {
        var ct = TestContext.Current.CancellationToken;
        var counters = (await db.Counters.AsNoTracking().OrderBy(c => c.Name).Select(c => new { c.Name, c.Value }).ToListAsync(ct))
            .Select(c => $"{c.Name}={c.Value}");
        var sites = (await db.Sites.AsNoTracking().OrderBy(s => s.Id).Select(s => new { s.Id, s.Name, s.PasswordHash, s.IsBlocked }).ToListAsync(ct))
            .Select(s => $"{s.Id}:{s.Name}:{s.PasswordHash}:{s.IsBlocked}");
        return new DatabaseState(
            await db.Sites.CountAsync(ct), await db.Stores.CountAsync(ct), await db.Users.CountAsync(ct), await db.SiteLogs.CountAsync(ct),
            await db.SupportContracts.CountAsync(ct), await db.Records.CountAsync(ct),
            await db.Records.Select(r => (long?)r.Seq).MaxAsync(ct) ?? 0, await db.ChangeLog.CountAsync(ct), await db.Queue.CountAsync(ct),
            await db.Snapshots.CountAsync(ct), await db.PushBuffer.CountAsync(ct), await db.StoreDepartures.CountAsync(ct),
            string.Join(",", counters), string.Join(",", sites));
    });
}
