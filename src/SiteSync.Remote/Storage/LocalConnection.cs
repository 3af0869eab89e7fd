using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace SiteSync.Remote.Storage;

/// <summary>One open connection to the site's database, in a transaction for a write: the one preamble every statement of the
/// store runs behind (a short-lived context, its connection opened, the transaction begun, the ADO types at hand).</summary>
/// <remarks>The per-record statements are prepared <see cref="SqliteCommand"/>s on this connection, because they run once per
/// record; simple reads go through <see cref="Db"/>.</remarks>
internal sealed class LocalConnection : IAsyncDisposable
{
    private readonly IDbContextTransaction? _transaction;

    private LocalConnection(RemoteDbContext db, IDbContextTransaction? transaction)
    {
        Db = db;
        _transaction = transaction;
        Connection = (SqliteConnection)db.Database.GetDbConnection();
        Transaction = (SqliteTransaction?)transaction?.GetDbTransaction();
    }

    public RemoteDbContext Db { get; }

    public SqliteConnection Connection { get; }

    /// <summary>The write transaction; null on a read connection.</summary>
    public SqliteTransaction? Transaction { get; }

    /// <summary>Opens a connection and begins a transaction; nothing is written unless <see cref="CommitAsync"/> is called.</summary>
    public static async Task<LocalConnection> BeginWriteAsync(LocalDatabase database, CancellationToken cancellationToken)
    {
        var db = database.CreateContext();
        try
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            return new LocalConnection(db, transaction);
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
    }

    /// <summary>Opens a connection without a transaction (each statement reads on its own).</summary>
    public static async Task<LocalConnection> OpenReadAsync(LocalDatabase database, CancellationToken cancellationToken)
    {
        var db = database.CreateContext();
        try
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            return new LocalConnection(db, null);
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
    }

    /// <summary>A command on this connection, in its transaction if it has one.</summary>
    public SqliteCommand Command(string sql) => Connection.Command(Transaction, sql);

    public Task CommitAsync(CancellationToken cancellationToken) =>
        _transaction?.CommitAsync(cancellationToken) ?? throw new InvalidOperationException("A read connection has nothing to commit.");

    public async ValueTask DisposeAsync()
    {
        if (_transaction is not null)
        {
            await _transaction.DisposeAsync();
        }

        await Db.DisposeAsync();
    }
}
