using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace SiteSync.Central.Storage;

/// <summary>Runs one parameterised statement for many rows in the current transaction, as fast as the engine allows: on
/// PostgreSQL the rows go as batches of statements, one network round trip per <see cref="BatchSize"/> rows; on SQLite, which
/// is in-process and has no round trip, one prepared command is executed per row.</summary>
/// <remarks>The statement is the same either way, so there is one SQL text per write and no engine-specific path. Rows are
/// executed in the order they are added; <see cref="FlushAsync"/> sends what is left (disposing only discards).</remarks>
public sealed class RowWriter : IAsyncDisposable
{
    public const int BatchSize = 500;

    private readonly SiteSyncDbContext _db;
    private readonly string _sql;
    private readonly string[] _names;
    private readonly DbCommand? _command;
    private DbBatch? _batch;

    public RowWriter(SiteSyncDbContext db, string sql, params string[] parameterNames)
    {
        _db = db;
        _sql = sql;
        _names = parameterNames;
        var connection = db.Database.GetDbConnection();
        if (!connection.CanCreateBatch)
        {
            _command = SqlCommands.Create(db, sql);
            foreach (var name in parameterNames)
            {
                _command.Add(name, null);
            }
        }
    }

    /// <summary>Rows added so far.</summary>
    public int Count { get; private set; }

    /// <summary>Runs the statement for one row (values in the order of the parameter names), now or with its batch.</summary>
    public async Task AddAsync(CancellationToken cancellationToken, params object?[] values)
    {
        Count++;
        if (_command is not null)
        {
            for (var i = 0; i < values.Length; i++)
            {
                _command.Parameters[i].Value = values[i] ?? DBNull.Value;
            }
            await _command.ExecuteNonQueryAsync(cancellationToken);
            return;
        }
        _batch ??= CreateBatch();
        var command = _batch.CreateBatchCommand();
        command.CommandText = _sql;
        for (var i = 0; i < values.Length; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = _names[i];
            parameter.Value = values[i] ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        _batch.BatchCommands.Add(command);
        if (_batch.BatchCommands.Count >= BatchSize)
        {
            await FlushAsync(cancellationToken);
        }
    }

    /// <summary>Sends the rows still waiting in a batch.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_batch is { BatchCommands.Count: > 0 } batch)
        {
            _batch = null;
            await using (batch)
            {
                await batch.ExecuteNonQueryAsync(cancellationToken);
            }
        }
    }

    private DbBatch CreateBatch()
    {
        var batch = _db.Database.GetDbConnection().CreateBatch();
        batch.Transaction = _db.Database.CurrentTransaction?.GetDbTransaction();
        return batch;
    }

    public async ValueTask DisposeAsync()
    {
        if (_batch is not null)
        {
            await _batch.DisposeAsync();
        }
        if (_command is not null)
        {
            await _command.DisposeAsync();
        }
    }
}
