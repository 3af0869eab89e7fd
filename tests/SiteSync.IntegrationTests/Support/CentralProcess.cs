using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SiteSync.IntegrationTests.Support;

/// <summary><c>dotnet SiteSync.Central.dll [command]</c> as a real process, the way an operator or a service manager starts it:
/// from any working directory, configured by environment variables, judged by its output and exit code.</summary>
public sealed class CentralProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private CentralProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static CentralProcess Start(string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "SiteSync.Central.dll"), .. args])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("SiteSync__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        return new CentralProcess(Process.Start(start)!, port);
    }

    /// <summary>Runs a command to its end (bounded) and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(
        string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        await using var process = Start(workingDirectory, environment, args);
        var code = await process.WaitForExitAsync(TimeSpan.FromSeconds(90));
        return (code, process.Output);
    }

    /// <summary>Waits (bounded) for the process to exit by itself; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"The process did not exit within {timeout.TotalSeconds} s: {Output}");
        }
        // Let the output readers drain.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Polls <paramref name="path"/> (bounded) until it answers 200; fails the test if the process exits first.</summary>
    public async Task WaitForOkAsync(string path = "ready")
    {
        using var http = new HttpClient { BaseAddress = BaseAddress };
        for (var i = 0; i < 600; i++)
        {
            if (_process.HasExited)
            {
                Assert.Fail($"The server exited with code {_process.ExitCode}: {Output}");
            }
            try
            {
                using var response = await http.GetAsync(path, TestContext.Current.CancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        Assert.Fail($"GET /{path} never answered 200: {Output}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        lock (_output)
        {
            _output.Append(line).Append('\n');
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
