using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace SiteSync.Bench;

/// <summary>A real central server process (the built DLL) on a fresh database, as an operator would run it.</summary>
public sealed class CentralProcess : IAsyncDisposable
{
    public const string AdminPassword = "bench-admin-password";

    private readonly Process _process;
    private readonly string _directory;
    private readonly string? _postgresAdmin;
    private readonly string? _database;

    private CentralProcess(Process process, string directory, int port, string? postgresAdmin, string? database)
    {
        _process = process;
        _directory = directory;
        _postgresAdmin = postgresAdmin;
        _database = database;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        Admin = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(10) };
        Admin.DefaultRequestHeaders.Authorization = Basic("admin", AdminPassword);
    }

    public Uri BaseAddress { get; }
    public HttpClient Admin { get; }
    public int ProcessId => _process.Id;

    public static async Task<CentralProcess> StartAsync(string provider)
    {
        var directory = Directory.CreateTempSubdirectory("sitesync-bench-").FullName;
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "SiteSync.Central.dll")])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["SiteSync__Admin__InitialPassword"] = AdminPassword;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        // The scenarios set up thousands of sites over the admin API's Basic authentication, far beyond an operator's pace.
        start.Environment["SiteSync__RateLimits__BasicPerAddressPerMinute"] = "0";
        start.Environment["SiteSync__RateLimits__BasicPerUserPerMinute"] = "0";
        string? admin = null, database = null;
        if (provider == "postgres")
        {
            admin = Environment.GetEnvironmentVariable("SITESYNC_BENCH_POSTGRES") ?? Environment.GetEnvironmentVariable("SITESYNC_TEST_POSTGRES")
                ?? throw new InvalidOperationException("Set SITESYNC_BENCH_POSTGRES (or SITESYNC_TEST_POSTGRES) to a PostgreSQL connection string.");
            database = $"sitesync_bench_{Guid.NewGuid():N}";
            await using (var connection = new NpgsqlConnection(admin))
            {
                await connection.OpenAsync();
                await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", connection);
                await create.ExecuteNonQueryAsync();
            }
            start.Environment["SiteSync__Database__Provider"] = "postgres";
            start.Environment["SiteSync__Database__ConnectionString"] = new NpgsqlConnectionStringBuilder(admin) { Database = database }.ConnectionString;
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine($"central: {e.Data}"); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var central = new CentralProcess(process, directory, port, admin, database);
        await central.WaitReadyAsync();
        return central;
    }

    public static AuthenticationHeaderValue Basic(string user, string secret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{secret}")));

    /// <summary>Peak resident memory of the server process so far (VmHWM), in MiB.</summary>
    public double PeakMemoryMiB() => PeakMemoryMiB(_process.Id);

    /// <summary>Peak resident memory (VmHWM) of a live process, in MiB; NaN once it has exited.</summary>
    public static double PeakMemoryMiB(int processId)
    {
        var status = $"/proc/{processId}/status";
        if (!File.Exists(status))
        {
            return double.NaN;
        }
        foreach (var line in File.ReadLines(status))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
            }
        }
        return double.NaN;
    }

    /// <summary>POSTs JSON with the admin's credentials and returns the answer; any refusal ends the run with its body.</summary>
    public async Task<System.Text.Json.JsonElement> PostJsonAsync(string path, string json)
    {
        using var response = await Admin.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {body}");
        }
        return System.Text.Json.JsonDocument.Parse(body).RootElement.Clone();
    }

    private async Task WaitReadyAsync()
    {
        for (var i = 0; i < 600; i++)
        {
            try
            {
                using var response = await Admin.GetAsync("api/sites");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100);
        }
        throw new InvalidOperationException("Central did not start.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        if (_postgresAdmin is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_postgresAdmin);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
        Directory.Delete(_directory, recursive: true);
    }
}
