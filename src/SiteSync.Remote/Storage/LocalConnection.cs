using Microsoft.Data.Sqlite;

namespace SiteSync.Remote.Storage;

/// <summary>One open connection to the site's database, in a transaction for a write: the one preamble every statement of the
/// sync cycle runs behind (the connection opened with its pragmas, the transaction begun, the ADO types at hand).</summary>
/// <remarks>ADO.NET only, no EF Core context: a process's first context builds EF Core's model and services (hundreds of
/// milliseconds of JIT), which a fresh <c>sitesync remote sync</c> would pay on every run. The per-record statements are
/// prepared <see cref="SqliteCommand"/>s on this connection.</remarks>
internal sealed class LocalConnection : IAsyncDisposable
{
    private readonly bool _ownsConnection;

    private LocalConnection(SqliteConnection connection, bool ownsConnection, SqliteTransaction? transaction)
    {
        Connection = connection;
        _ownsConnection = ownsConnection;
        Transaction = transaction;
    }

    public SqliteConnection Connection { get; }

    /// <summary>The write transaction; null on a read connection.</summary>
    public SqliteTransaction? Transaction { get; }

    /// <summary>Opens a connection (or takes the cycle's) and begins a transaction (<c>BEGIN IMMEDIATE</c>, as EF Core's did);
    /// nothing is written unless <see cref="CommitAsync"/> is called.</summary>
    public static async Task<LocalConnection> BeginWriteAsync(LocalDatabase database, CancellationToken cancellationToken)
    {
        var (connection, owned) = await database.ConnectAsync(cancellationToken);
        try
        {
            var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            return new LocalConnection(connection, owned, transaction);
        }
        catch
        {
            if (owned)
            {
                await connection.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>Opens a connection (or takes the cycle's) without a transaction (each statement reads on its own).</summary>
    public static async Task<LocalConnection> OpenReadAsync(LocalDatabase database, CancellationToken cancellationToken)
    {
        var (connection, owned) = await database.ConnectAsync(cancellationToken);
        return new LocalConnection(connection, owned, null);
    }

    /// <summary>A command on this connection, in its transaction if it has one.</summary>
    public SqliteCommand Command(string sql) => Connection.Command(Transaction, sql);

    public Task CommitAsync(CancellationToken cancellationToken) =>
        Transaction?.CommitAsync(cancellationToken) ?? throw new InvalidOperationException("A read connection has nothing to commit.");

    /// <summary>Rolls back an uncommitted transaction; closes the connection unless it is the cycle's.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Transaction is not null)
        {
            await Transaction.DisposeAsync();
        }

        if (_ownsConnection)
        {
            await Connection.DisposeAsync();
        }
    }
}
