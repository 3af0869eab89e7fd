using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using SiteSync.Testing;

namespace SiteSync.FaultTests.Support;

/// <summary>Central as a real child process (<c>dotnet SiteSync.Central.dll</c>) on a fixed free port and the test's database,
/// so that a kill is a real SIGKILL or <see cref="Environment.FailFast(string)"/>. Restarts keep the port and the database.</summary>
public sealed class CentralProcess : IAsyncDisposable
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "SiteSync.Central.dll");

    private readonly TestDatabase _database;
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly StringBuilder _output = new();
    private Process? _process;
    private int _starts;

    private CentralProcess(TestDatabase database, int port, IReadOnlyDictionary<string, string?> settings)
    {
        _database = database;
        Port = port;
        _settings = settings;
        Admin = new AdminClient(new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) });
        Admin.Http.DefaultRequestHeaders.Authorization = CentralFactory.BasicHeader("admin", CentralFactory.AdminPassword);
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public TestDatabase Database => _database;

    /// <summary>The bootstrap admin over HTTP Basic, straight to central (not through any proxy).</summary>
    public AdminClient Admin { get; }

    /// <summary>Every line any start of the process wrote to stdout and stderr.</summary>
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

    /// <summary>The file fail-point hits are appended to (<c>SITESYNC_FAILPOINTS_LOG</c>).</summary>
    public string FailPointLog => Path.Combine(_database.Directory, "central-failpoints.log");

    public bool IsRunning => _process is { HasExited: false };

    public int? ExitCode => _process is { HasExited: true } process ? process.ExitCode : null;

    public int Starts => _starts;

    /// <summary>A Debian <c>faketime</c> offset for the next starts (e.g. <c>-1h</c>); null for the real clock.</summary>
    public string? FakeTime { get; set; }

    /// <summary>Creates the database and starts central on it (migrations, admin user), waiting until it answers.</summary>
    public static async Task<CentralProcess> StartAsync(Engine engine, IReadOnlyDictionary<string, string?>? settings = null,
        string? failPoints = null)
    {
        var database = await TestDatabase.CreateAsync(engine, TestContext.Current.CancellationToken);
        var central = new CentralProcess(database, FreePort(), settings ?? new Dictionary<string, string?>());
        await central.RestartAsync(failPoints);
        return central;
    }

    /// <summary>Starts the process (after a kill), armed with <paramref name="failPoints"/> when given, and waits until it
    /// answers <c>/health</c>, or until it dies (a fail point reached during start-up).</summary>
    public async Task RestartAsync(string? failPoints = null, Dictionary<string, string?>? environment = null, bool waitForReady = true)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("Central is already running.");
        }
        _process?.Dispose();
        var start = new ProcessStartInfo(FakeTime is null ? "dotnet" : "faketime")
        {
            WorkingDirectory = _database.Directory,
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
        start.ArgumentList.Add(Dll);
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{Port}";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["SiteSync__Database__Provider"] = _database.Engine == Engine.Postgres ? "postgres" : "sqlite";
        start.Environment["SiteSync__Database__ConnectionString"] = _database.ConnectionString;
        start.Environment["SiteSync__DataDirectory"] = Path.Combine(_database.Directory, "data");
        start.Environment["SiteSync__Admin__InitialPassword"] = CentralFactory.AdminPassword;
        start.Environment["Logging__LogLevel__Default"] = "Information";
        start.Environment["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.EntityFrameworkCore"] = "Warning";
        start.Environment.Remove("SITESYNC_FAILPOINTS");
        if (failPoints is not null)
        {
            start.Environment["SITESYNC_FAILPOINTS"] = failPoints;
            start.Environment["SITESYNC_FAILPOINTS_LOG"] = FailPointLog;
        }
        foreach (var (key, value) in _settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        foreach (var (key, value) in environment ?? [])
        {
            start.Environment[key] = value;
        }
        var process = Process.Start(start)!;
        var number = ++_starts;
        process.OutputDataReceived += (_, e) => Append(number, e.Data);
        process.ErrorDataReceived += (_, e) => Append(number, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        if (waitForReady)
        {
            await WaitReadyAsync();
        }
    }

    private void Append(int start, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.Append('[').Append(start).Append("] ").Append(line).Append('\n');
        }
    }

    /// <summary>Waits until <c>/health</c> answers 200; fails the test if the process exits first or takes over a minute.</summary>
    public async Task WaitReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (_process is not { HasExited: false })
            {
                throw new InvalidOperationException($"Central exited with {ExitCode} during start-up:\n{Tail()}");
            }
            try
            {
                using var response = await http.GetAsync("health", TestContext.Current.CancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                // Slow start on a busy machine.
            }
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
        throw new TimeoutException($"Central did not answer /health within 90 s:\n{Tail()}");
    }

    /// <summary>Waits for the process to exit by itself (a fail point's FailFast), up to <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        if (_process is null)
        {
            return true;
        }
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>SIGKILL (no shutdown, no flush), then waits for the exit.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>The lines the fail-point log holds (<c>point n [action]</c>).</summary>
    public IReadOnlyList<string> FailPointHits() => File.Exists(FailPointLog) ? File.ReadAllLines(FailPointLog) : [];

    public void ClearFailPointLog()
    {
        if (File.Exists(FailPointLog))
        {
            File.Delete(FailPointLog);
        }
    }

    public string Tail(int lines = 60)
    {
        var all = Output.Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        Admin.Http.Dispose();
        if (Environment.GetEnvironmentVariable("SITESYNC_TEST_LOGS") is { Length: > 0 } directory)
        {
            await File.WriteAllTextAsync(
                Path.Combine(directory, $"central-process-{TestContext.Current.Test?.TestDisplayName.Replace('/', '_')}.log"), Output);
        }
        await _database.DisposeAsync();
    }
}
