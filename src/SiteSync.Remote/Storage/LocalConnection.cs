using Microsoft.Data.Sqlite;

namespace SiteSync.Remote.Storage;

/// <summary>One open connection to the site's database, in a transaction for a write: the one preamble every statement of the
/// sync cycle runs behind (the connection opened with its pragmas, the transaction begun, the ADO types at hand).</summary>
/// <remarks>ADO.NET only, no EF Core context: a process's first context builds EF Core's model and services (hundreds of
/// milliseconds of JIT), which a fresh <c>sitesync remote sync</c> would pay on every run. The per-record statements are
/// prepared <see cref="SqliteCommand"/>s on this connection.</remarks>
internal sealed class LocalConnection : IAsyncDisposable
{
    private LocalConnection(SqliteConnection connection, SqliteTransaction? transaction)
    {
        Connection = connection;
        Transaction = transaction;
    }

    public SqliteConnection Connection { get; }

    /// <summary>The write transaction; null on a read connection.</summary>
    public SqliteTransaction? Transaction { get; }

    /// <summary>Opens a connection and begins a transaction (<c>BEGIN IMMEDIATE</c>, as EF Core's did); nothing is written unless
    /// <see cref="CommitAsync"/> is called.</summary>
    public static async Task<LocalConnection> BeginWriteAsync(LocalDatabase database, CancellationToken cancellationToken)
    {
        var connection = await database.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            return new LocalConnection(connection, transaction);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Opens a connection without a transaction (each statement reads on its own).</summary>
    public static async Task<LocalConnection> OpenReadAsync(LocalDatabase database, CancellationToken cancellationToken) =>
        new(await database.OpenConnectionAsync(cancellationToken), null);

    /// <summary>A command on this connection, in its transaction if it has one.</summary>
    public SqliteCommand Command(string sql) => Connection.Command(Transaction, sql);

    public Task CommitAsync(CancellationToken cancellationToken) =>
        Transaction?.CommitAsync(cancellationToken) ?? throw new InvalidOperationException("A read connection has nothing to commit.");

    public async ValueTask DisposeAsync()
    {
        if (Transaction is not null)
        {
            await Transaction.DisposeAsync();
        }

        await Connection.DisposeAsync();
    }
}
