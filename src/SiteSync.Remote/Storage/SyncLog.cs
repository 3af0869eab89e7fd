using Microsoft.EntityFrameworkCore;
using SiteSync.Remote.Sync;

namespace SiteSync.Remote.Storage;

/// <summary>The site's history of sync cycles: one row a cycle, started as <c>running</c> and finished with its outcome (ADO.NET
/// on the sync path; EF Core for the status command's reads).</summary>
internal sealed class SyncLog(LocalDatabase database, TimeProvider time)
{
    public async Task<long> StartAsync(CancellationToken cancellationToken)
    {
        await using var write = await LocalConnection.BeginWriteAsync(database, cancellationToken);
        await using var insert = write.Command(LocalSql.StartSyncLog)
            .With("$started", time.GetUtcNow().UtcTicks).With("$outcome", SyncOutcomes.Running);
        var id = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
        await write.CommitAsync(cancellationToken);
        return id;
    }

    public async Task FinishAsync(long id, Action<SyncLogEntity> update, CancellationToken cancellationToken)
    {
        await using var write = await LocalConnection.BeginWriteAsync(database, cancellationToken);
        SyncLogEntity entry;
        await using (var read = write.Command(LocalSql.ReadSyncLog).With("$id", id))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                throw new InvalidOperationException($"Sync log entry {id} does not exist.");
            }

            entry = new SyncLogEntity
            {
                Id = id,
                StartedAt = new DateTimeOffset(reader.GetInt64(0), TimeSpan.Zero),
                FinishedAt = reader.IsDBNull(1) ? null : new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero),
                Outcome = reader.GetString(2),
                ErrorCode = reader.IsDBNull(3) ? null : reader.GetString(3),
                Message = reader.IsDBNull(4) ? null : reader.GetString(4),
                Pushed = reader.GetInt32(5),
                PulledCentral = reader.GetInt32(6),
                PulledQueue = reader.GetInt32(7),
                Integrated = reader.GetInt32(8),
                UnknownTables = reader.GetInt32(9),
                RequestSize = reader.GetInt32(10),
            };
        }

        update(entry);
        entry.FinishedAt = time.GetUtcNow();
        await using var finish = write.Command(LocalSql.FinishSyncLog)
            .With("$id", id).With("$finished", entry.FinishedAt.Value.UtcTicks).With("$outcome", entry.Outcome)
            .With("$error", entry.ErrorCode).With("$message", entry.Message).With("$pushed", entry.Pushed)
            .With("$pulledCentral", entry.PulledCentral).With("$pulledQueue", entry.PulledQueue).With("$integrated", entry.Integrated)
            .With("$unknownTables", entry.UnknownTables).With("$requestSize", entry.RequestSize);
        await finish.ExecuteNonQueryAsync(cancellationToken);
        await write.CommitAsync(cancellationToken);
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
