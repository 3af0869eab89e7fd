using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SiteSync.Protocol.Admin;
using SiteSync.Protocol.Json;

namespace SiteSync.Testing;

/// <summary>The admin API as a script would call it: HTTP Basic, JSON in the protocol library's shapes. Tests seed their data
/// with it and check what the server (or the UI) saved; the few sync requests a remote would send are here too, for tests
/// of what the admin sees after them.</summary>
public sealed class AdminClient(HttpClient http) : IDisposable
{
    /// <summary>The password the seeded sites get unless a test names another.</summary>
    public const string SitePassword = "site-password";

    /// <summary>The <c>app-name</c> the Open mSupply desktop client sends.</summary>
    public const string DesktopApp = "Open mSupply Desktop";

    private static readonly SiteSyncJsonContext Json = SiteSyncJsonContext.Default;

    public HttpClient Http { get; } = http;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async Task<Site> CreateSiteAsync(string name, string password = SitePassword, string? type = null,
        IReadOnlyList<string>? storeIds = null, string? code = null)
    {
        using var response = await Http.PostAsJsonAsync("api/sites", new SiteEdit(code, name, password, type, storeIds, null, null, null),
            Json.SiteEdit, Ct);
        await EnsureAsync(response, HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync(Json.Site, Ct))!;
    }

    public async Task<Site> GetSiteAsync(int id)
    {
        using var response = await Http.GetAsync($"api/sites/{id}", Ct);
        await EnsureAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync(Json.Site, Ct))!;
    }

    /// <param name="search">The search text, or null.</param>
    /// <param name="query">Or a whole query string (<c>?health=stale&amp;limit=5</c>).</param>
    public async Task<SiteList> ListSitesAsync(string? search = null, string? query = null)
    {
        var path = query is not null ? $"api/sites{query}" : search is null ? "api/sites" : $"api/sites?search={Uri.EscapeDataString(search)}";
        return (await Http.GetFromJsonAsync(path, Json.SiteList, Ct))!;
    }

    /// <summary>PUT an edit; returns the raw response so tests can assert refusals.</summary>
    public Task<HttpResponseMessage> PutSiteAsync(int id, SiteEdit edit, bool dryRun = false) =>
        Http.PutAsJsonAsync($"api/sites/{id}{(dryRun ? "?dryRun=true" : "")}", edit, Json.SiteEdit, Ct);

    public async Task<Site> UpdateSiteAsync(int id, SiteEdit edit)
    {
        using var response = await PutSiteAsync(id, edit);
        await EnsureAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync(Json.Site, Ct))!;
    }

    /// <summary>An edit that keeps everything of <paramref name="site"/> but what the caller changes.</summary>
    public static SiteEdit EditOf(Site site) => new(site.Code, site.Name, null, site.Type, [.. site.Stores.Select(s => s.Id)],
        site.IsOmSupplyCentralServer, site.OmSupplyCentralServerUrl, site.FunderName);

    public async Task<StoreInfo> CreateStoreAsync(string code, string name)
    {
        using var response = await Http.PostAsJsonAsync("api/stores", new CreateStoreRequest(code, name), Json.CreateStoreRequest, Ct);
        await EnsureAsync(response, HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync(Json.StoreInfo, Ct))!;
    }

    public async Task<IReadOnlyList<StoreInfo>> ListStoresAsync() => (await Http.GetFromJsonAsync("api/stores", Json.StoreInfoArray, Ct))!;

    public async Task<IReadOnlyList<LogEntry>> LogsAsync(int siteId, string? query = null) =>
        (await Http.GetFromJsonAsync($"api/sites/{siteId}/logs{query}", Json.LogEntryArray, Ct))!;

    /// <summary>Upserts central records given as JSON text: <c>{"table":[…]}</c>.</summary>
    public async Task<RecordsResult> UpsertRecordsAsync(string json)
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await Http.PostAsync("api/records", content, Ct);
        await EnsureAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync(Json.RecordsResult, Ct))!;
    }

    public async Task<JsonElement?> GetRecordAsync(string table, string id)
    {
        using var response = await Http.GetAsync($"api/records/{Uri.EscapeDataString(table)}/{Uri.EscapeDataString(id)}", Ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        await EnsureAsync(response, HttpStatusCode.OK);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return document.RootElement.GetProperty("recordData").Clone();
    }

    /// <summary>The raw response of an admin API call, to compare its refusal with the UI's.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path) => Http.SendAsync(new HttpRequestMessage(method, path), Ct);

    public async Task CreateUserAsync(string username, string password, params string[] permissions)
    {
        using var response = await Http.PostAsJsonAsync("api/users", new User(username, password, permissions), Json.User, Ct);
        await EnsureAsync(response, HttpStatusCode.Created);
    }

    public async Task<User> GetUserAsync(string username) => (await Http.GetFromJsonAsync($"api/users/{username}", Json.User, Ct))!;

    public async Task<ImportResult> ImportContractsAsync(string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await Http.PostAsync("api/support/contracts", content, Ct);
        await EnsureAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync(Json.ImportResult, Ct))!;
    }

    // ---- what a remote sends, for what the admin then sees ----

    /// <summary>One sync v5 request as a remote sends it, with the wrong password: rule 17 blocks the site after too many.</summary>
    public async Task<HttpStatusCode> SyncWithWrongPasswordAsync(string siteName)
    {
        using var request = SiteRequest(HttpMethod.Get, "sync/v5/site", siteName, "not-the-password", "x", "", "");
        using var response = await Http.SendAsync(request, Ct);
        return response.StatusCode;
    }

    /// <summary>One authenticated sync v5 request as a remote on <paramref name="hardwareId"/> sends it: the site then "has
    /// synced" (last connection set) and the device is bound to it (rule 8); the app it names (rules 9–10) is the Open mSupply
    /// desktop client unless given (an empty name sends no <c>app-name</c> header).</summary>
    public async Task ConnectAsSiteAsync(
        string siteName, string hardwareId, string password = SitePassword, string appName = DesktopApp, string appVersion = "2.20.0")
    {
        using var request = SiteRequest(HttpMethod.Get, "sync/v5/site", siteName, password, hardwareId, appName, appVersion);
        using var response = await Http.SendAsync(request, Ct);
        await EnsureAsync(response, HttpStatusCode.OK);
    }

    /// <summary>One whole sync cycle as a remote runs it (site info, then its empty queue): central sets "last synced".</summary>
    public async Task SyncCycleAsync(string siteName, string hardwareId = "device-1", string password = SitePassword)
    {
        foreach (var path in new[] { "sync/v5/site", "sync/v5/queued_records" })
        {
            using var request = SiteRequest(HttpMethod.Get, path, siteName, password, hardwareId, DesktopApp, "2.20.0");
            using var response = await Http.SendAsync(request, Ct);
            await EnsureAsync(response, HttpStatusCode.OK);
        }
    }

    /// <summary>A remote asking to initialise (reference §3.3): refused with 409 when the site has no store, and logged as an error.</summary>
    public async Task<HttpStatusCode> InitialiseAsync(string siteName, string hardwareId = "device-1", string password = SitePassword)
    {
        using var request = SiteRequest(HttpMethod.Post, "sync/v5/initialise", siteName, password, hardwareId, "", "");
        using var response = await Http.SendAsync(request, Ct);
        return response.StatusCode;
    }

    private static HttpRequestMessage SiteRequest(
        HttpMethod method, string path, string siteName, string password, string hardwareId, string appName, string appVersion)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{siteName}:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(password)))}")));
        request.Headers.Add("version", "14");
        request.Headers.Add("msupply-site-uuid", hardwareId);
        if (appName.Length > 0)
        {
            request.Headers.Add("app-name", appName);
        }
        if (appVersion.Length > 0)
        {
            request.Headers.Add("app-version", appVersion);
        }
        return request;
    }

    public void Dispose() => Http.Dispose();

    /// <summary>The ProblemDetails of a refusal: status, <c>code</c> and title.</summary>
    public static async Task<Problem> ProblemAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;
        return new Problem((int)response.StatusCode,
            root.TryGetProperty("code", out var code) ? code.GetString() : null,
            root.TryGetProperty("title", out var title) ? title.GetString() : null,
            text);
    }

    public static async Task EnsureAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
        {
            var body = await response.Content.ReadAsStringAsync(Ct);
            Assert.Fail($"Expected {(int)expected} but got {(int)response.StatusCode}: {body}");
        }
    }
}

public sealed record Problem(int Status, string? Code, string? Title, string Body);
