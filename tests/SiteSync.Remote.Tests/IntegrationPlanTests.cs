using Microsoft.Data.Sqlite;
using SiteSync.Protocol.Catalog;
using SiteSync.Remote.Storage;

namespace SiteSync.Remote.Tests;

/// <summary>Issue 10: the integration reads each table's buffered rows by rowid (the order they were buffered), not through
/// the buffer's key index in key order, which made every row a random read of a buffer larger than the page cache.</summary>
public sealed class IntegrationPlanTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "sitesync-remote-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("item")]
    [InlineData("transact")]
    [InlineData("trans_line")]
    public async Task EachTablesUpsertReadsTheBufferByRowid(string table)
    {
        var token = TestContext.Current.CancellationToken;
        var database = new LocalDatabase(_directory);
        await database.MigrateAsync(token);
        await using var connection = new SqliteConnection($"Data Source={database.FilePath};Pooling=False");
        await connection.OpenAsync(token);
        await using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + LocalSql.IntegrateUpserts(PullBuffer.StoreOf(TableCatalog.Default[table]));
        explain.Parameters.AddWithValue("$table", table);
        explain.Parameters.AddWithValue("$action", "Update");
        explain.Parameters.AddWithValue("$parentTable", TableCatalog.Default[table].ParentTable ?? "");
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync(token))
        {
            while (await reader.ReadAsync(token))
            {
                plan.Add(reader.GetString(3));
            }
        }

        Assert.Contains("SEARCH i USING INTEGER PRIMARY KEY (rowid=?)", plan);
        Assert.DoesNotContain(plan, step => step.StartsWith("SEARCH i USING INDEX", StringComparison.Ordinal) || step == "SCAN i");
    }
}
