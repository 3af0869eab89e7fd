using System.Diagnostics;
using System.Text;

namespace SiteSync.FaultTests.Support;

/// <summary>The outcome of one <c>sitesync</c> run. <see cref="Killed"/>: the test killed it, or a fail point did.</summary>
public sealed record CliResult(int ExitCode, string Out, string Error, bool Killed)
{
    public bool Ok => ExitCode == 0 && !Killed;

    /// <summary>A fail point's <see cref="Environment.FailFast(string)"/> message, if the process died at one.</summary>
    public bool DiedAtFailPoint => Error.Contains("fail point ", StringComparison.Ordinal) && ExitCode != 0;

    public override string ToString() => $"exit {ExitCode}{(Killed ? " (killed)" : "")}\n{Out}\n{Error}";
}

/// <summary>A remote site as the real <c>sitesync</c> command, one process per command, on its own data directory: the
/// kill target of the client-side fault tests. Optional fail points (<c>SITESYNC_FAILPOINTS</c>) and a clock offset
/// (Debian <c>faketime</c>) apply to every process it starts.</summary>
public sealed class RemoteCli(string name, string dataDirectory, string hardwareId) : IRemoteNode
{
    private static readonly string Executable = Path.Combine(AppContext.BaseDirectory, "sitesync.dll");

    public string Name { get; } = name;

    public string DataDirectory { get; } = dataDirectory;

    public string DatabasePath => Path.Combine(DataDirectory, "sitesync-remote.db");

    public string HardwareId { get; } = hardwareId;

    /// <summary>A <c>faketime</c> offset for every process (e.g. <c>-400d</c>, <c>+400d</c>); null for the real clock.</summary>
    public string? FakeTime { get; set; }

    public string FailPointLog => Path.Combine(DataDirectory, "..", $"{Path.GetFileName(DataDirectory)}-failpoints.log");

    public Process Start(string stdin, string? failPoints, params string[] args)
    {
        var start = new ProcessStartInfo(FakeTime is null ? "dotnet" : "faketime")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (FakeTime is not null)
        {
            start.ArgumentList.Add("-f");
            start.ArgumentList.Add(FakeTime);
            start.ArgumentList.Add("dotnet");
        }
        start.ArgumentList.Add(Executable);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["SITESYNC_REMOTE_DATA"] = DataDirectory;
        start.Environment["SITESYNC_HARDWARE_ID"] = HardwareId;
        start.Environment.Remove("SITESYNC_FAILPOINTS");
        if (failPoints is not null)
        {
            start.Environment["SITESYNC_FAILPOINTS"] = failPoints;
            start.Environment["SITESYNC_FAILPOINTS_LOG"] = FailPointLog;
        }
        var process = Process.Start(start)!;
        process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        return process;
    }

    /// <summary>Runs a command to its end (or until <paramref name="killAfter"/>, then SIGKILL).</summary>
    public async Task<CliResult> RunAsync(string stdin, string? failPoints, TimeSpan? killAfter, params string[] args)
    {
        using var process = Start(stdin, failPoints, args);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        var killed = false;
        using (var timeout = new CancellationTokenSource(killAfter ?? TimeSpan.FromMinutes(10)))
        {
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                killed = true;
                await process.WaitForExitAsync();
            }
        }
        return new CliResult(process.ExitCode, await output, await error, killed);
    }

    public Task<CliResult> RunCommandAsync(params string[] args) => RunAsync("", null, null, args);

    public Task<CliResult> InitAsync(Uri server, string site, string password) =>
        RunAsync(password + "\n", null, null, "remote", "init", "--server", server.ToString(), "--site", site, "--password-stdin");

    public Task<CliResult> SyncAsync(string? failPoints = null, TimeSpan? killAfter = null) =>
        RunAsync("", failPoints, killAfter, "remote", "sync", "--json");

    /// <summary>Local edits: one JSON record or an array, as the operator's application would write them.</summary>
    public Task<CliResult> PutAsync(string table, string json) => RunAsync(json, null, null, "remote", "records", "put", table);

    public Task<CliResult> ConfigSetAsync(string key, string value) => RunAsync("", null, null, "remote", "config", "set", key, value);

    /// <summary>Runs <c>sync</c> until one completes with <c>ok</c> (up to <paramref name="attempts"/>), returning every result.</summary>
    public async Task<List<CliResult>> SyncUntilOkAsync(int attempts = 5)
    {
        List<CliResult> results = [];
        for (var i = 0; i < attempts; i++)
        {
            var result = await SyncAsync();
            results.Add(result);
            if (result.Ok)
            {
                return results;
            }
        }
        throw new InvalidOperationException($"{Name}: sync never completed in {attempts} attempts:\n" + string.Join("\n---\n", results));
    }

    /// <summary>Syncs until a cycle completes and moves nothing (quiescence), at most <paramref name="attempts"/> cycles.</summary>
    public async Task<List<CliResult>> SyncToQuiescenceAsync(int attempts = 8)
    {
        List<CliResult> results = [];
        for (var i = 0; i < attempts; i++)
        {
            var result = await SyncAsync();
            results.Add(result);
            if (result.Ok && System.Text.Json.Nodes.JsonNode.Parse(result.Out) is { } report
                && (int)report["pushed"]! == 0 && (int)report["pulledCentral"]! == 0 && (int)report["pulledQueue"]! == 0
                && (int)report["integrated"]! == 0)
            {
                return results;
            }
        }
        throw new InvalidOperationException($"{Name} did not reach quiescence in {attempts} cycles:\n" + Describe(results));
    }

    public IReadOnlyList<string> FailPointHits() => File.Exists(FailPointLog) ? File.ReadAllLines(FailPointLog) : [];

    public void ClearFailPointLog()
    {
        if (File.Exists(FailPointLog))
        {
            File.Delete(FailPointLog);
        }
    }

    public static string Describe(IEnumerable<CliResult> results)
    {
        var text = new StringBuilder();
        foreach (var result in results)
        {
            text.Append(result).Append("\n---\n");
        }
        return text.ToString();
    }
}
