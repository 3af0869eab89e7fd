using System.Diagnostics;

namespace SiteSync.Cli.Tests;

/// <summary><c>sitesync</c> is a .NET tool: packed from the repository, installed from a local folder into a tool path, and
/// run (DESIGN §6, docs/remote.md). Only the local folder is a package source, so nothing comes from a registry.</summary>
public sealed class ToolPackageTests : IDisposable
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private readonly string _directory = Directory.CreateTempSubdirectory("sitesync-tool-").FullName;

    [Fact]
    public async Task TheCliPacksInstallsFromALocalFolderAndRuns()
    {
        var packages = Path.Combine(_directory, "packages");
        var tools = Path.Combine(_directory, "tools");
        var config = Path.Combine(_directory, "nuget.config");
        await File.WriteAllTextAsync(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{packages}" />
              </packageSources>
            </configuration>
            """, TestContext.Current.CancellationToken);

        var pack = await RunAsync("dotnet", "pack", Path.Combine(RepositoryRoot(), "src", "SiteSync.Cli", "SiteSync.Cli.csproj"),
            "-c", Configuration, "--no-build", "-o", packages);
        var install = await RunAsync("dotnet", "tool", "install", "SiteSync.Cli", "--tool-path", tools, "--configfile", config);
        var help = await RunAsync(Path.Combine(tools, "sitesync"), "--help");
        var remoteHelp = await RunAsync(Path.Combine(tools, "sitesync"), "remote", "--help");

        Assert.True(pack.ExitCode == 0, pack.Output);
        Assert.True(install.ExitCode == 0, install.Output);
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("sitesync [command] [options]", help.Output, StringComparison.Ordinal);
        Assert.Equal(0, remoteHelp.ExitCode);
        Assert.Contains("init", remoteHelp.Output, StringComparison.Ordinal);
        Assert.Contains("sync", remoteHelp.Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Left to the OS's temp cleaning.
        }
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

    private async Task<(int ExitCode, string Output)> RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        // A package cache of its own: the machine's would serve an older build of the same version.
        start.Environment["NUGET_PACKAGES"] = Path.Combine(_directory, "nuget-cache");
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(limit.Token);
        return (process.ExitCode, await output + await error);
    }
}
