using System.Net;
using Npgsql;
using SiteSync.Testing;

namespace SiteSync.IntegrationTests.Operations;

/// <summary><c>/alive</c> says the process answers; <c>/ready</c> says the database is reachable and migrated (DESIGN §10).</summary>
public sealed class HealthTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, ClassData(typeof(BothEngines))]
    public async Task AliveReadyAndHealthAnswerWithoutALogin(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        using var http = central.Factory.CreateHttpClient();

        var alive = await GetAsync(http, "alive");
        var ready = await GetAsync(http, "ready");
        var health = await GetAsync(http, "health");

        Assert.Equal((HttpStatusCode.OK, """{"status":"Healthy","checks":{}}"""), alive);
        Assert.Equal(HttpStatusCode.OK, ready.Status);
        Assert.Contains("\"database\":{\"status\":\"Healthy\"", ready.Body, StringComparison.Ordinal);
        Assert.Equal(ready, health);
    }

    [Fact]
    public async Task ReadyFailsWhilePostgresIsAwayAndRecoversWhenItIsBack()
    {
        await using var central = await TestCentral.StartAsync(Engine.Postgres);
        using var http = central.Factory.CreateHttpClient();
        var before = await GetAsync(http, "ready");

        await TakeAwayAsync(central.Database, allow: false);
        var away = await WaitForAsync(http, HttpStatusCode.ServiceUnavailable);
        var aliveWhileAway = await GetAsync(http, "alive");
        await TakeAwayAsync(central.Database, allow: true);
        var back = await WaitForAsync(http, HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.OK, before.Status);
        Assert.Contains("The database is not reachable", away, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, aliveWhileAway.Status);
        Assert.Contains("reachable and migrated", back, StringComparison.Ordinal);
    }

    /// <summary>What an outage looks like to central: every connection cut, and new ones refused by the server.</summary>
    private static async Task TakeAwayAsync(TestDatabase database, bool allow)
    {
        await using var connection = new NpgsqlConnection(database.PostgresAdminConnectionString);
        await connection.OpenAsync(Ct);
        await using (var alter = new NpgsqlCommand($"ALTER DATABASE {database.PostgresName} ALLOW_CONNECTIONS {(allow ? "true" : "false")}", connection))
        {
            await alter.ExecuteNonQueryAsync(Ct);
        }
        if (!allow)
        {
            await using var terminate = new NpgsqlCommand(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = @name AND pid <> pg_backend_pid()", connection);
            terminate.Parameters.AddWithValue("name", database.PostgresName!);
            await terminate.ExecuteNonQueryAsync(Ct);
        }
    }

    /// <summary>Polls <c>/ready</c> (bounded) until it answers <paramref name="status"/>; returns that body.</summary>
    private static async Task<string> WaitForAsync(HttpClient http, HttpStatusCode status)
    {
        (HttpStatusCode Status, string Body) last = default;
        for (var attempt = 0; attempt < 60; attempt++)
        {
            last = await GetAsync(http, "ready");
            if (last.Status == status)
            {
                return last.Body;
            }
            await Task.Delay(250, Ct);
        }
        Assert.Fail($"/ready never answered {(int)status}; last: {(int)last.Status} {last.Body}");
        return "";
    }

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path, Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }
}
