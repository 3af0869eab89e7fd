using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using SiteSync.Testing;

namespace SiteSync.IntegrationTests.Hosting;

/// <summary>The README's run command as a real process: an empty directory becomes a working central on SQLite.</summary>
public sealed partial class ServerProcessTests
{
    [Fact]
    public async Task AFreshStartCreatesTheDatabasePrintsTheGeneratedAdminPasswordOnceAndServesTheApi()
    {
        var ct = TestContext.Current.CancellationToken;
        var directory = Directory.CreateTempSubdirectory("sitesync-process-").FullName;
        try
        {
            var port = FreePort();
            string firstOutput;
            string? password;
            using (var server = Start(directory, port))
            {
                password = await WaitForPasswordAsync(server, ct);
                using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
                client.DefaultRequestHeaders.Authorization = CentralFactory.BasicHeader("admin", password!);
                var sites = await WaitForOkAsync(client, "api/sites", ct);
                Assert.Contains("\"name\":\"Central Server\"", sites, StringComparison.Ordinal);
                firstOutput = await StopAsync(server);
            }
            using (var again = Start(directory, port))
            {
                using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
                client.DefaultRequestHeaders.Authorization = CentralFactory.BasicHeader("admin", password!);
                await WaitForOkAsync(client, "api/sites", ct);
                var secondOutput = await StopAsync(again);
                Assert.DoesNotContain("generated password", secondOutput, StringComparison.Ordinal);
            }

            Assert.True(File.Exists(Path.Combine(directory, "data", "sitesync.db")));
            Assert.Single(GeneratedPassword().Matches(firstOutput));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static Process Start(string directory, int port)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "SiteSync.Central.dll");
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment.Remove("SiteSync__Admin__InitialPassword");
        var process = Process.Start(start)!;
        // Both handlers run on thread-pool threads, concurrently with each other and with the readers: one lock for all.
        process.OutputDataReceived += (_, e) => Append(process, e.Data);
        process.ErrorDataReceived += (_, e) => Append(process, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Process, System.Text.StringBuilder> Outputs = [];

    private static System.Text.StringBuilder Output(Process process) => Outputs.GetOrCreateValue(process);

    private static void Append(Process process, string? line)
    {
        var output = Output(process);
        lock (output)
        {
            output.Append(line).Append('\n');
        }
    }

    private static async Task<string?> WaitForPasswordAsync(Process server, CancellationToken ct)
    {
        for (var i = 0; i < 300; i++)
        {
            string text;
            lock (Output(server))
            {
                text = Output(server).ToString();
            }
            if (GeneratedPassword().Match(text) is { Success: true } match)
            {
                return match.Groups[1].Value;
            }
            await Task.Delay(100, ct);
        }
        Assert.Fail("The server did not print a generated admin password: " + Output(server));
        return null;
    }

    private static async Task<string> WaitForOkAsync(HttpClient client, string path, CancellationToken ct)
    {
        for (var i = 0; i < 300; i++)
        {
            try
            {
                using var response = await client.GetAsync(path, ct);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return await response.Content.ReadAsStringAsync(ct);
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100, ct);
        }
        Assert.Fail($"GET {path} never answered 200.");
        return "";
    }

    private static async Task<string> StopAsync(Process process)
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        lock (Output(process))
        {
            return Output(process).ToString();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex("created user 'admin' with the generated password: (\\S+)")]
    private static partial Regex GeneratedPassword();
}
