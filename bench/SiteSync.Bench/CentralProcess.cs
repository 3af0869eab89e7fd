using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace SiteSync.Bench;

/// <summary>A real central server process (the built DLL) on a fresh database, as an operator would run it.</summary>
/// <remarks>PostgreSQL: the bench creates (and drops) its own database on the cluster named by
/// <c>SITESYNC_BENCH_POSTGRES</c> (or <c>SITESYNC_TEST_POSTGRES</c>), a connection string with the right to create databases;
/// <c>bench/with-postgres.sh</c> starts a throwaway cluster and sets it.</remarks>
public sealed class CentralProcess : IAsyncDisposable
{
    public const string AdminPassword = "bench-admin-password";

    private readonly string _provider;
    private readonly string _directory;
    private readonly int _port;
    private readonly string? _postgresAdmin;
    private readonly string? _database;
    private Process _process;

    private CentralProcess(string provider, Process process, string directory, int port, string? postgresAdmin, string? database)
    {
        _provider = provider;
        _process = process;
        _directory = directory;
        _port = port;
        _postgresAdmin = postgresAdmin;
        _database = database;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        Admin = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(10) };
        Admin.DefaultRequestHeaders.Authorization = Basic("admin", AdminPassword);
    }

    public Uri BaseAddress { get; }
    public HttpClient Admin { get; }
    public int ProcessId => _process.Id;
    public bool IsPostgres => _provider == "postgres";

    /// <summary>The SQLite file (SQLite only).</summary>
    public string SqlitePath => Path.Combine(_directory, "data", "sitesync.db");

    /// <summary>The database's connection string (PostgreSQL only).</summary>
    public string PostgresConnectionString => new NpgsqlConnectionStringBuilder(_postgresAdmin) { Database = _database }.ConnectionString;

    public static async Task<CentralProcess> StartAsync(string provider, IReadOnlyDictionary<string, string>? settings = null)
    {
        if (provider is not ("sqlite" or "postgres"))
        {
            throw new ArgumentException($"Unknown provider '{provider}': sqlite or postgres.", nameof(provider));
        }
        var directory = Directory.CreateTempSubdirectory("sitesync-bench-").FullName;
        string? admin = null, database = null;
        if (provider == "postgres")
        {
            admin = Environment.GetEnvironmentVariable("SITESYNC_BENCH_POSTGRES") ?? Environment.GetEnvironmentVariable("SITESYNC_TEST_POSTGRES")
                ?? throw new InvalidOperationException(
                    "Set SITESYNC_BENCH_POSTGRES (or SITESYNC_TEST_POSTGRES) to a PostgreSQL connection string, or run under bench/with-postgres.sh.");
            database = $"sitesync_bench_{Guid.NewGuid():N}";
            await using var connection = new NpgsqlConnection(admin);
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", connection);
            await create.ExecuteNonQueryAsync();
        }
        var port = FreePort();
        var central = new CentralProcess(provider, Launch(provider, directory, port, admin, database, settings), directory, port, admin, database);
        await central.WaitReadyAsync();
        return central;
    }

    /// <summary>Stops the server and starts it again on the same database, with other settings.</summary>
    public async Task RestartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        await StopProcessAsync();
        _process = Launch(_provider, _directory, _port, _postgresAdmin, _database, settings);
        await WaitReadyAsync();
    }

    private static Process Launch(string provider, string directory, int port, string? admin, string? database, IReadOnlyDictionary<string, string>? settings)
    {
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
        if (provider == "postgres")
        {
            start.Environment["SiteSync__Database__Provider"] = "postgres";
            start.Environment["SiteSync__Database__ConnectionString"] = new NpgsqlConnectionStringBuilder(admin) { Database = database }.ConnectionString;
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine($"central: {e.Data}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public static AuthenticationHeaderValue Basic(string user, string secret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{secret}")));

    /// <summary>Peak resident memory of the server process so far (VmHWM), in MiB; null if it cannot be read.</summary>
    public double? PeakMemoryMiB() => ProcessStats.PeakRssMiB(_process.Id);

    public double? MemoryMiB() => ProcessStats.RssMiB(_process.Id);

    /// <summary>Starts <see cref="PeakMemoryMiB"/> again from the memory now; false if it could not.</summary>
    public bool ResetPeakMemory() => ProcessStats.ResetPeakRss(_process.Id);

    public double? CpuSeconds() => ProcessStats.CpuSeconds(_process.Id);

    /// <summary>POSTs JSON with the admin's credentials and returns the answer; any refusal ends the run with its body.</summary>
    public Task<JsonElement> PostJsonAsync(string path, string json) => SendJsonAsync(HttpMethod.Post, path, json);

    public Task<JsonElement> PutJsonAsync(string path, string json) => SendJsonAsync(HttpMethod.Put, path, json);

    public Task<JsonElement> GetJsonAsync(string path) => SendJsonAsync(HttpMethod.Get, path, null);

    private async Task<JsonElement> SendJsonAsync(HttpMethod method, string path, string? json)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        using var response = await Admin.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {body}");
        }
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    private async Task WaitReadyAsync()
    {
        for (var i = 0; i < 1200; i++)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Central exited with code {_process.ExitCode} at start.");
            }
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

    private async Task StopProcessAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await StopProcessAsync();
        if (_postgresAdmin is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_postgresAdmin);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
