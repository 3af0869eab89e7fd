using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace SiteSync.Bench;

/// <summary>Read-only looks into central's database, as an operator would take them with sqlite3 or psql.</summary>
public static class CentralDatabase
{
    public static async Task<long> ScalarAsync(CentralProcess central, string sql)
    {
        if (central.IsPostgres)
        {
            await using var connection = new NpgsqlConnection(central.PostgresConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }
        await using var sqlite = new SqliteConnection($"Data Source={central.SqlitePath};Pooling=False");
        await sqlite.OpenAsync();
        await using var query = sqlite.CreateCommand();
        query.CommandText = sql;
        return Convert.ToInt64(await query.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
