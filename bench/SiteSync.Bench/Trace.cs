using System.Diagnostics;
using System.Globalization;

namespace SiteSync.Bench;

/// <summary><c>--trace FILE</c> for scenarios without a fixed window: a sampled thread-time trace of central (the repository's
/// local <c>dotnet-trace</c>, run from the repository root), from <see cref="StartAsync"/> until disposed.</summary>
public sealed class Trace : IAsyncDisposable
{
    private readonly Process _process;

    private Trace(Process process) => _process = process;

    /// <summary>Starts tracing <paramref name="processId"/> for at most <paramref name="longest"/>.</summary>
    /// <remarks>The duration bounds the trace because dotnet-trace 10.0.750501 does not always stop on the Enter that
    /// <see cref="DisposeAsync"/> sends it through a redirected standard input (a push trace once ran on for 12 minutes and
    /// a bench waited for it); stopped by a signal instead, it writes no method names.</remarks>
    public static async Task<Trace> StartAsync(int processId, string file, TimeSpan longest)
    {
        var process = Process.Start(new ProcessStartInfo("dotnet",
            ["dotnet-trace", "collect", "-p", processId.ToString(CultureInfo.InvariantCulture), "--profile", "dotnet-sampled-thread-time", "-o", file,
             "--duration", longest.ToString(@"dd\:hh\:mm\:ss", CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
        })!;
        // Collection has begun once the tool says so.
        while (await process.StandardOutput.ReadLineAsync() is { } line && !line.Contains("Process", StringComparison.Ordinal))
        {
        }
        await Task.Delay(500);
        return new Trace(process);
    }

    public async ValueTask DisposeAsync()
    {
        await _process.StandardInput.WriteLineAsync();
        await _process.StandardInput.FlushAsync();
        _ = await _process.StandardOutput.ReadToEndAsync();
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
