using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace SiteSync.Bench;

/// <summary>The data a scenario needs, written through the admin API as an administrator (or a migration script) would.</summary>
public static class Setup
{
    public const string SitePassword = "bench-site-password";

    public static async Task<string> CreateStoreAsync(CentralProcess central, string code, string name) =>
        (await central.PostJsonAsync("api/stores", new JsonObject { ["code"] = code, ["name"] = name }.ToJsonString())).GetProperty("id").GetString()!;

    public static async Task<int> CreateSiteAsync(CentralProcess central, string name, string password, params string[] storeIds) =>
        (await central.PostJsonAsync("api/sites", new JsonObject
        {
            ["name"] = name,
            ["password"] = password,
            ["storeIds"] = new JsonArray([.. storeIds.Select(id => (JsonNode)id)]),
        }.ToJsonString())).GetProperty("id").GetInt32();

    /// <summary>Upserts <paramref name="count"/> records of a table through <c>POST /api/records</c>, 5,000 per request.</summary>
    public static async Task<TimeSpan> LoadAsync(CentralProcess central, string table, int count, Func<int, string> record)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (var offset = 0; offset < count; offset += 5_000)
        {
            var body = new StringBuilder().Append("{\"").Append(table).Append("\":[");
            for (var i = offset; i < Math.Min(count, offset + 5_000); i++)
            {
                body.Append(i == offset ? "" : ",").Append(record(i));
            }
            await central.PostJsonAsync("api/records", body.Append("]}").ToString());
        }
        return watch.Elapsed;
    }

    /// <summary>Sets up a <c>sitesync</c> remote data directory for a site (real process) and runs its first sync.</summary>
    public static async Task<(string Directory, CliRun FirstSync)> RemoteAsync(CentralProcess central, string siteName)
    {
        var data = System.IO.Directory.CreateTempSubdirectory("sitesync-bench-remote-").FullName;
        await Cli.RunOkAsync(SitePassword + "\n", "remote", "init", "--server", central.BaseAddress.ToString(), "--site", siteName,
            "--password-stdin", "--data", data, "--hardware-id", "bench-hardware-" + siteName);
        return (data, await Cli.RunOkAsync("", "remote", "sync", "--json", "--data", data));
    }

    public static void DeleteRemote(string directory)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(directory, recursive: true);
    }

    /// <summary>Records on the remote's own SQLite, as an operator would count them with sqlite3.</summary>
    public static async Task<long> CountRemoteRecordsAsync(string directory, string table, string storeId)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(
            $"Data Source={Path.Combine(directory, "sitesync-remote.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM records WHERE table_name = $t AND store_id = $s";
        command.Parameters.AddWithValue("$t", table);
        command.Parameters.AddWithValue("$s", storeId);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
