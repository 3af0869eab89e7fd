using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using SiteSync.Protocol.Admin;
using SiteSync.Protocol.Json;

namespace SiteSync.E2ETests.Support;

/// <summary>The admin JSON API as a script calls it (HTTP Basic): how tests seed their data and check what the UI saved.</summary>
public sealed class AdminApi : IDisposable
{
    private static readonly SiteSyncJsonContext Json = SiteSyncJsonContext.Default;
    private readonly HttpClient _http;

    public AdminApi(HttpClient http, string username, string password)
    {
        _http = http;
        _http.DefaultRequestHeaders.Authorization = Basic(username, password);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static AuthenticationHeaderValue Basic(string username, string secret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{secret}")));

    public async Task<Site> CreateSiteAsync(string name, IReadOnlyList<string>? storeIds = null, string? code = null, string password = "site-password")
    {
        using var response = await _http.PostAsJsonAsync("api/sites", new SiteEdit(code, name, password, null, storeIds, null, null, null),
            Json.SiteEdit, Ct);
        await EnsureAsync(response, HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync(Json.Site, Ct))!;
    }

    public async Task<Site> GetSiteAsync(int id) => (await _http.GetFromJsonAsync($"api/sites/{id}", Json.Site, Ct))!;

    public async Task<SiteList> ListSitesAsync(string query = "") => (await _http.GetFromJsonAsync($"api/sites{query}", Json.SiteList, Ct))!;

    /// <summary>The raw response of an admin API call, to compare its refusal with the UI's.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path) => _http.SendAsync(new HttpRequestMessage(method, path), Ct);

    public async Task<StoreInfo> CreateStoreAsync(string code, string name)
    {
        using var response = await _http.PostAsJsonAsync("api/stores", new CreateStoreRequest(code, name), Json.CreateStoreRequest, Ct);
        await EnsureAsync(response, HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync(Json.StoreInfo, Ct))!;
    }

    public async Task<IReadOnlyList<StoreInfo>> ListStoresAsync() => (await _http.GetFromJsonAsync("api/stores", Json.StoreInfoArray, Ct))!;

    public async Task CreateUserAsync(string username, string password, params string[] permissions)
    {
        using var response = await _http.PostAsJsonAsync("api/users", new User(username, password, permissions), Json.User, Ct);
        await EnsureAsync(response, HttpStatusCode.Created);
    }

    public async Task<User> GetUserAsync(string username) => (await _http.GetFromJsonAsync($"api/users/{username}", Json.User, Ct))!;

    public async Task<ImportResult> ImportContractsAsync(string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync("api/support/contracts", content, Ct);
        await EnsureAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync(Json.ImportResult, Ct))!;
    }

    public async Task<IReadOnlyList<LogEntry>> LogsAsync(int siteId) =>
        (await _http.GetFromJsonAsync($"api/sites/{siteId}/logs", Json.LogEntryArray, Ct))!;

    /// <summary>One sync v5 request as a remote sends it, with the wrong password: rule 17 blocks the site after too many.</summary>
    public async Task<HttpStatusCode> SyncWithWrongPasswordAsync(string siteName)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "sync/v5/site");
        var secret = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("not-the-password")));
        request.Headers.Authorization = Basic(siteName, secret);
        request.Headers.Add("version", "14");
        request.Headers.Add("msupply-site-uuid", "x");
        using var response = await _http.SendAsync(request, Ct);
        return response.StatusCode;
    }

    /// <summary>One authenticated sync v5 request as a remote on <paramref name="hardwareId"/> sends it: the site then "has
    /// synced" (last connection set) and the device is bound to it (rule 8).</summary>
    public async Task ConnectAsSiteAsync(string siteName, string hardwareId, string password = "site-password")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "sync/v5/site");
        request.Headers.Authorization = Basic(siteName, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(password))));
        request.Headers.Add("version", "14");
        request.Headers.Add("msupply-site-uuid", hardwareId);
        request.Headers.Add("app-name", "Open mSupply Desktop");
        request.Headers.Add("app-version", "2.20.0");
        using var response = await _http.SendAsync(request, Ct);
        await EnsureAsync(response, HttpStatusCode.OK);
    }

    /// <summary>One whole sync cycle as a remote runs it (site info, then its empty queue): central sets "last synced".</summary>
    public async Task SyncCycleAsync(string siteName, string hardwareId = "device-1", string password = "site-password")
    {
        foreach (var path in new[] { "sync/v5/site", "sync/v5/queued_records" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Authorization = Basic(siteName, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(password))));
            request.Headers.Add("version", "14");
            request.Headers.Add("msupply-site-uuid", hardwareId);
            request.Headers.Add("app-name", "Open mSupply Desktop");
            request.Headers.Add("app-version", "2.20.0");
            using var response = await _http.SendAsync(request, Ct);
            await EnsureAsync(response, HttpStatusCode.OK);
        }
    }

    /// <summary>A remote asking to initialise (reference §3.3): refused with 409 when the site has no store, and logged as an error.</summary>
    public async Task<HttpStatusCode> InitialiseAsync(string siteName, string hardwareId = "device-1", string password = "site-password")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "sync/v5/initialise");
        request.Headers.Authorization = Basic(siteName, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(password))));
        request.Headers.Add("version", "14");
        request.Headers.Add("msupply-site-uuid", hardwareId);
        using var response = await _http.SendAsync(request, Ct);
        return response.StatusCode;
    }

    public void Dispose() => _http.Dispose();

    private static async Task EnsureAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
        {
            Assert.Fail($"Seeding failed: expected {(int)expected} but got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
        }
    }
}
