namespace SiteSync.FaultTests.Support;

/// <summary>A temporary directory for one test's remotes, logs and histories; deleted at the end unless
/// <c>SITESYNC_FAULTS_KEEP</c> is set (then its path is in the test output).</summary>
public sealed class Scratch : IDisposable
{
    public Scratch()
    {
        Root = Directory.CreateTempSubdirectory("sitesync-faults-").FullName;
        Prefix = $"f{Guid.NewGuid().ToString("N")[..8]}-";
    }

    public string Root { get; }

    /// <summary>A record-id prefix unique to this test (no LIKE wildcards in it).</summary>
    public string Prefix { get; }

    public string PathOf(string name) => Path.Combine(Root, name);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Environment.GetEnvironmentVariable("SITESYNC_FAULTS_KEEP") is { Length: > 0 })
        {
            TestContext.Current.SendDiagnosticMessage($"kept {Root}");
            return;
        }
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file a killed process still held; the OS cleans /tmp.
        }
    }
}
