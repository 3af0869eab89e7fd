using System.Net;
using System.Text.Json;
using SiteSync.Central.Diagnostics;
using SiteSync.IntegrationTests.Support;
using SiteSync.Testing;

namespace SiteSync.IntegrationTests.Operations;

/// <summary>Password attempts on the login form and on the admin API's Basic authentication are rate limited per client
/// address and per user name (429 with Retry-After, before any hash is computed); the sync API is not (sites have their
/// own lockout).</summary>
public sealed class RateLimitTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task LoginPostsBeyondThePerAddressLimitGet429WithRetryAfter()
    {
        await using var central = await TestCentral.StartAsync(Engine.Sqlite, Limits(loginPerAddress: 3));
        using var http = central.Factory.CreateHttpClient();

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 4; i++)
        {
            var response = await PostLoginAsync(http, $"user{i}");
            statuses.Add(response.StatusCode);
            refused = response;
        }

        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses.Take(3));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[3]);
        var retryAfter = int.Parse(refused!.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        using var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync(Ct));
        Assert.Equal("too_many_requests", problem.RootElement.GetProperty("code").GetString());
    }

    [Fact]
    public async Task LoginPostsForOneUserAreLimitedWhateverAddressTheyComeFrom()
    {
        await using var central = await TestCentral.StartAsync(Engine.Sqlite, Limits(loginPerUser: 2));
        using var http = central.Factory.CreateHttpClient();

        var first = await PostLoginAsync(http, "admin", from: "10.0.0.1");
        var second = await PostLoginAsync(http, "Admin ", from: "10.0.0.2");
        var third = await PostLoginAsync(http, "admin", from: "10.0.0.3");
        var otherUser = await PostLoginAsync(http, "clerk", from: "10.0.0.3");

        Assert.NotEqual(HttpStatusCode.TooManyRequests, first.StatusCode);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, otherUser.StatusCode);
    }

    [Fact]
    public async Task BasicAttemptsBeyondThePerUserLimitGet429AndCostNoHash()
    {
        await using var central = await TestCentral.StartAsync(Engine.Sqlite, Limits(basicPerUser: 3));
        using var metrics = new MetricsRecorder(central.Factory);
        using var guesser = central.Factory.CreateHttpClient("admin", "not-the-password");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await guesser.GetAsync("api/sites", Ct);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized,
            HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(3, metrics.Sum(SiteSyncMetrics.HashVerificationsName));
        Assert.Equal(3, metrics.Sum(SiteSyncMetrics.AuthFailuresName, ("scheme", "user"), ("code", "invalid_credentials")));
        Assert.Equal(3, metrics.Sum(SiteSyncMetrics.AuthThrottledName, ("scheme", "user")));
    }

    [Fact]
    public async Task BasicAttemptsFromOneAddressAreLimitedWhateverUserTheyName()
    {
        await using var central = await TestCentral.StartAsync(Engine.Sqlite, Limits(basicPerAddress: 2));

        var statuses = new List<HttpStatusCode>();
        foreach (var user in new[] { "a", "b", "c" })
        {
            using var client = central.Factory.CreateHttpClient(user, "wrong-password");
            using var response = await client.GetAsync("api/sites", Ct);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task SyncRequestsAreNeverRateLimited()
    {
        await using var central = await TestCentral.StartAsync(Engine.Sqlite, Limits(basicPerAddress: 2, basicPerUser: 2));
        await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        using var admin = await central.Admin.Http.GetAsync("api/sites", Ct);
        using var client = SyncScenario.Client(central, "clinic");
        using var wrong = SyncScenario.Client(central, "clinic");
        wrong.PasswordSha256 = OmsTestClient.Sha256Hex("wrong");

        await client.SyncAsync();
        await client.SyncAsync();
        var refused = await wrong.GetAsync("/sync/v5/site");
        var refusedAgain = await wrong.GetAsync("/sync/v5/site");

        Assert.Equal(HttpStatusCode.TooManyRequests, admin.StatusCode);
        Assert.True(client.Requests.Count >= 10, $"{client.Requests.Count} requests");
        Assert.Equal((401, "site_incorrect_password"), (refused.Status, refused.ErrorCode));
        Assert.Equal((401, "site_incorrect_password"), (refusedAgain.Status, refusedAgain.ErrorCode));
    }

    private static Dictionary<string, string?> Limits(int loginPerAddress = 1000, int loginPerUser = 1000, int basicPerAddress = 1000,
        int basicPerUser = 1000) => new()
        {
            ["SiteSync:RateLimits:LoginPerAddressPerMinute"] = loginPerAddress.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["SiteSync:RateLimits:LoginPerUserPerMinute"] = loginPerUser.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["SiteSync:RateLimits:BasicPerAddressPerMinute"] = basicPerAddress.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["SiteSync:RateLimits:BasicPerUserPerMinute"] = basicPerUser.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

    /// <summary>Posts the login form (without an antiforgery token: the limiter counts the attempt before anything else looks
    /// at it), optionally through a trusted proxy that names the client's address.</summary>
    private static async Task<HttpResponseMessage> PostLoginAsync(HttpClient http, string username, string? from = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Input.Username"] = username,
                ["Input.Password"] = "wrong-password",
                ["_handler"] = "login",
            }),
        };
        if (from is not null)
        {
            request.Headers.Add("X-Forwarded-For", from);
        }
        return await http.SendAsync(request, Ct);
    }
}
