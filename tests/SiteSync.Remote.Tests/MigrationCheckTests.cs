using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using SiteSync.Remote.Storage;

namespace SiteSync.Remote.Tests;

/// <summary>A sync checks for pending migrations without EF Core (issue 10: building EF Core's model cost a fresh
/// <c>sitesync remote sync</c> more than its whole cycle); the check must find exactly the migrations EF Core would apply.</summary>
public sealed class MigrationCheckTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "sitesync-remote-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public void TheCheckKnowsEveryMigrationEfCoreKnows()
    {
        using var db = new LocalDatabase(_directory).CreateContext();

        Assert.Equal(db.Database.GetMigrations(), LocalDatabase.MigrationIds.Value);
    }

    [Fact]
    public async Task AMigrationMissingFromTheHistoryIsApplied()
    {
        var token = TestContext.Current.CancellationToken;
        var database = new LocalDatabase(_directory);
        await database.MigrateAsync(token);
        await using (var connection = new SqliteConnection($"Data Source={database.FilePath};Pooling=False"))
        {
            await connection.OpenAsync(token);
            await using var command = connection.CreateCommand();
            // As if this build added a migration: the history table is there but lacks its id, and its tables are not there.
            command.CommandText = """
                DROP TABLE sync_log; DROP TABLE records; DROP TABLE change_log; DROP TABLE cursors; DROP TABLE incoming;
                DROP TABLE settings; DELETE FROM "__EFMigrationsHistory";
                """;
            await command.ExecuteNonQueryAsync(token);
        }

        await database.MigrateAsync(token);

        await using var db = database.CreateContext();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(token));
        Assert.Equal(0, await db.SyncLog.CountAsync(token));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
