using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace SiteSync.Central.Storage;

/// <summary>Prepared, parameterised commands on the context's own connection and transaction, for the set-based and
/// per-row hot paths (record upserts, queue fills) where EF change tracking would cost more than the work itself.</summary>
public static class SqlCommands
{
    /// <summary>Creates a command in the current transaction; parameters are added by name and never interpolated.</summary>
    public static DbCommand Create(SiteSyncDbContext db, string sql)
    {
        var connection = db.Database.GetDbConnection();
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        return command;
    }

    /// <summary>Adds one parameter per value (<paramref name="prefix"/>0, 1, …) and returns their names, comma-separated, for
    /// an <c>IN (…)</c>.</summary>
    public static string AddList(this DbCommand command, IReadOnlyList<string> values, string prefix)
    {
        var names = new System.Text.StringBuilder();
        for (var i = 0; i < values.Count; i++)
        {
            var name = $"{prefix}{i}";
            command.Add(name, values[i]);
            names.Append(i == 0 ? "" : ", ").Append(name);
        }
        return names.ToString();
    }

    /// <summary>A condition that <paramref name="column"/> is one of <paramref name="values"/>: <c>column = ANY(@prefix)</c> with one
    /// array parameter on PostgreSQL (one parameter to bind, one plan whatever the count), <c>column IN (@prefix0, …)</c> on SQLite.</summary>
    public static string AddIn(this DbCommand command, SiteSyncDbContext db, string column, IReadOnlyList<string> values, string prefix)
    {
        if (db.Provider == StorageProvider.Postgres)
        {
            command.Add(prefix, values as string[] ?? [.. values]);
            return $"{column} = ANY({prefix})";
        }
        return $"{column} IN ({command.AddList(values, prefix)})";
    }

    public static DbParameter Add(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    /// <summary>A timestamp as the engine stores it: UTC ticks on SQLite (see <c>SqliteSiteSyncDbContext</c>), timestamptz on PostgreSQL.</summary>
    public static object ToDbTime(this SiteSyncDbContext db, DateTimeOffset value) =>
        db.Provider == StorageProvider.Sqlite ? value.UtcTicks : value.ToUniversalTime();

    /// <summary>Opens the connection if EF has not yet (raw commands need it open).</summary>
    public static async Task EnsureOpenAsync(SiteSyncDbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.GetDbConnection().State != System.Data.ConnectionState.Open)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
        }
    }
}
