using System.Net;
using System.Text.RegularExpressions;
using SiteSync.Testing;

namespace SiteSync.IntegrationTests.Operations;

/// <summary>Behind a reverse proxy (trusted: loopback by default, more in <c>SiteSync:ForwardedHeaders</c>), the scheme, host
/// and prefix the client used become <c>omSupplyCentralServerUrl</c>, and an https front end gets secure cookies.</summary>
public sealed partial class ForwardedHeadersTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SiteInfoNamesTheSchemeHostAndPrefixTheProxyForwarded()
    {
        await using var central = await TestCentral.StartAsync(Engine.Sqlite);
        await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        using var client = SyncScenario.Client(central, "clinic");
        client.ExtraHeaders["X-Forwarded-Proto"] = "https";
        client.ExtraHeaders["X-Forwarded-Host"] = "sync.example.org";
        client.ExtraHeaders["X-Forwarded-Prefix"] = "/sitesync";

        var site = await client.GetAsync("/sync/v5/site");

        Assert.Equal(200, site.Status);
        Assert.Equal("https://sync.example.org/sitesync/", site.Json.GetProperty("omSupplyCentralServerUrl").GetString());
    }

    [Fact]
    public async Task WithoutAProxyItIsTheAddressTheRequestCameIn()
    {
        await using var central = await TestCentral.StartAsync(Engine.Sqlite);
        await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        using var client = SyncScenario.Client(central, "clinic");

        var site = await client.GetAsync("/sync/v5/site");

        Assert.Equal(central.BaseAddress.ToString(), site.Json.GetProperty("omSupplyCentralServerUrl").GetString());
    }

    [Fact]
    public async Task AConfiguredPublicUrlWinsOverForwardedHeaders()
    {
        await using var central = await TestCentral.StartAsync(Engine.Sqlite,
            new Dictionary<string, string?> { ["SiteSync:PublicUrl"] = "https://central.example.org/" });
        await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        using var client = SyncScenario.Client(central, "clinic");
        client.ExtraHeaders["X-Forwarded-Host"] = "other.example.org";

        var site = await client.GetAsync("/sync/v5/site");

        Assert.Equal("https://central.example.org/", site.Json.GetProperty("omSupplyCentralServerUrl").GetString());
    }

    [Theory]
    [InlineData("https", true)]
    [InlineData(null, false)]
    public async Task LoggingInBehindAnHttpsProxyGivesSecureCookies(string? forwardedProto, bool secure)
    {
        await using var central = await TestCentral.StartAsync(Engine.Sqlite);
        using var browser = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = central.BaseAddress };

        using var form = await SendAsync(browser, HttpMethod.Get, "login", forwardedProto, null, null);
        var formCookies = SetCookies(form);
        var token = Token().Match(await form.Content.ReadAsStringAsync(Ct)).Groups[1].Value;
        using var login = await SendAsync(browser, HttpMethod.Post, "login", forwardedProto,
            string.Join("; ", formCookies.Select(c => c.Split(';')[0])),
            new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Input.Username"] = "admin",
                ["Input.Password"] = CentralFactory.AdminPassword,
                ["__RequestVerificationToken"] = token,
                ["_handler"] = "login",
            }));
        var session = SetCookies(login).SingleOrDefault(c => c.StartsWith("sitesync.session=", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.NotNull(session);
        Assert.Equal(secure, session.Contains("; secure", StringComparison.OrdinalIgnoreCase));
        Assert.All(formCookies, cookie => Assert.Equal(secure, cookie.Contains("; secure", StringComparison.OrdinalIgnoreCase)));
    }

    private static async Task<HttpResponseMessage> SendAsync(
        HttpClient http, HttpMethod method, string path, string? forwardedProto, string? cookies, HttpContent? content)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (forwardedProto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        }
        if (cookies is not null)
        {
            request.Headers.Add("Cookie", cookies);
        }
        return await http.SendAsync(request, Ct);
    }

    private static List<string> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? [.. values] : [];

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
