using System.Diagnostics;

namespace SiteSync.IntegrationTests.Operations;

/// <summary>The service units in <c>deploy/systemd</c> pass systemd's own checker (unknown keys, a missing executable and bad
/// values all fail it). The container recipe is not built here: no container registry is reachable.</summary>
public sealed class DeploymentTests
{
    [Theory]
    [InlineData("sitesync-central.service")]
    [InlineData("sitesync-central-migrate.service")]
    public async Task TheSystemdUnitPassesSystemdAnalyzeVerify(string unit)
    {
        var path = Path.Combine(RepositoryRoot(), "deploy", "systemd", unit);
        var start = new ProcessStartInfo("systemd-analyze", ["verify", path]) { RedirectStandardOutput = true, RedirectStandardError = true };

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken)
            + await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.True(process.ExitCode == 0 && output.Trim().Length == 0, $"exit {process.ExitCode}: {output}");
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SiteSync.slnx")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("SiteSync.slnx not found above " + AppContext.BaseDirectory);
    }
}
