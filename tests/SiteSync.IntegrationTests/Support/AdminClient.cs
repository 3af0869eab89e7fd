using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SiteSync.Protocol.Admin;
using SiteSync.Protocol.Json;

namespace SiteSync.IntegrationTests.Support;

/// <summary>The admin API as a script would call it: HTTP Basic, JSON in the protocol library's shapes.</summary>
public sealed class AdminClient(HttpClient http)
{
    private static readonly SiteSyncJsonContext Json = SiteSyncJsonContext.Default;

    public HttpClient Http { get; } = http;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async Task<Site> CreateSiteAsync(string name, string password = "site-password", string? type = null,
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
