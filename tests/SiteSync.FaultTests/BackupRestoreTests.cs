using SiteSync.FaultTests.Support;
using SiteSync.Testing;

namespace SiteSync.FaultTests;

/// <summary>Reliability plan F25 (Open mSupply's "backup issue"): a site's database is restored from a copy taken a while ago.
/// Nothing is lost at central, nothing is applied twice there, and after the next syncs the site holds again everything it
/// should — its own later edits included, which only central still has.</summary>
public sealed class BackupRestoreTests(ITestOutputHelper output)
{
    [Theory, ClassData(typeof(BothEngines))]
    public async Task ARemoteRestoredFromAnOldBackupCatchesUpAndCentralLosesNothing(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var db = new CentralDb(central.Database);
        await db.InstallApplyLogAsync();
        using var scratch = new Scratch();
        using var fleet = await Fleet.InProcessAsync(central.Admin, central.BaseAddress, scratch, 1);
        var member = fleet.Members[0];
        await fleet.Workload.CentralItemsAsync(50);
        await fleet.PutTransactionsAsync(member, 50);
        await member.InProcess.SyncToQuiescenceAsync();
        var backup = scratch.PathOf("backup.db");
        await RemoteDb.ExecuteAsync(member.Node.DatabasePath, $"VACUUM INTO '{backup}'");

        await fleet.Workload.CentralItemsAsync(50);
        await fleet.PutTransactionsAsync(member, 50);
        await member.InProcess.SyncToQuiescenceAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "-wal", "-shm" })
        {
            File.Delete(member.Node.DatabasePath + suffix);
        }
        File.Copy(backup, member.Node.DatabasePath, overwrite: true);
        var restored = await RemoteDb.ScalarAsync(member.Node.DatabasePath, "SELECT COUNT(*) FROM records WHERE table_name = 'transact'");
        await member.InProcess.SyncToQuiescenceAsync();
        var check = await Checker.CheckAsync(fleet.History, db, fleet.Nodes);
        output.WriteLine($"{engine}: the restored copy held {restored} of 100 transactions; {check.Summary}");

        Assert.Equal(50, restored);
        Assert.True(check.Valid, check.ToString());
    }
}
