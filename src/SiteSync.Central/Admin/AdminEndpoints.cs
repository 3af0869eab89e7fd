using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SiteSync.Central.Auth;
using SiteSync.Central.Logs;
using SiteSync.Central.Records;
using SiteSync.Central.Sites;
using SiteSync.Central.Stores;
using SiteSync.Central.Support;
using SiteSync.Central.Users;
using SiteSync.Protocol.Admin;
using SiteSync.Protocol.Json;

namespace SiteSync.Central.Admin;

/// <summary>The admin API (DESIGN §4). Reads need a login; changes need "Edit sync settings" and HTTP Basic (a browser
/// session cannot be ridden into the JSON API by a forged cross-site request).</summary>
public static class AdminEndpoints
{
    private const int Invalid = StatusCodes.Status400BadRequest;
    private const int Missing = StatusCodes.Status404NotFound;
    private const int Conflicting = StatusCodes.Status409Conflict;

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api").RequireAuthorization(Policies.Viewer).WithTags(AdminApiDocument.AdminTag)
            .WithMetadata(NoBody(StatusCodes.Status401Unauthorized), Problem(StatusCodes.Status429TooManyRequests));
        read.MapGet("/sites", ListSites).WithName("ListSites").Problems(Invalid);
        read.MapGet("/sites/export.csv", ExportSites).WithName("ExportSites").Problems(Invalid);
        read.MapGet("/sites/{id:int}", GetSite).WithName("GetSite").Problems(Missing);
        read.MapGet("/sites/{id:int}/logs", GetLogs).WithName("GetSiteLogs").Problems(Invalid, Missing);
        read.MapGet("/sites/{id:int}/details", GetDetails).WithName("GetSiteDetails").Problems(Missing);
        read.MapGet("/logs", GetFleetLog).WithName("GetFleetLog").Problems(Invalid);
        read.MapGet("/stores", ListStores).WithName("ListStores");
        read.MapGet("/records/{tableName}/{id}", GetRecord).WithName("GetRecord").Problems(Missing);
        read.MapGet("/support/funders", SearchFunders).WithName("SearchFunders");

        var write = app.MapGroup("/api").RequireAuthorization(Policies.AdminApi).WithTags(AdminApiDocument.AdminTag)
            .WithMetadata(NoBody(StatusCodes.Status401Unauthorized), NoBody(StatusCodes.Status403Forbidden),
                Problem(StatusCodes.Status429TooManyRequests));
        write.MapPost("/sites", CreateSite).WithName("CreateSite").Problems(Invalid, Conflicting);
        write.MapPut("/sites/{id:int}", UpdateSite).WithName("UpdateSite").Problems(Invalid, Missing, Conflicting);
        write.MapDelete("/sites/{id:int}", DeleteSite).WithName("DeleteSite").Problems(Missing, Conflicting);
        write.MapPost("/sites/{id:int}/reset-hardware-id", ResetHardwareId).WithName("ResetHardwareId").Problems(Missing);
        write.MapPost("/sites/{id:int}/unblock", Unblock).WithName("UnblockSite").Problems(Missing);
        write.MapPost("/stores", CreateStore).WithName("CreateStore").Problems(Invalid, Conflicting);
        write.MapPost("/records", UpsertRecords).WithName("UpsertRecords").Problems(Invalid);
        write.MapPost("/records/delete", DeleteRecords).WithName("DeleteRecords").Problems(Invalid);
        write.MapPost("/records/merge", MergeRecords).WithName("MergeRecords").Problems(Invalid);
        write.MapGet("/users", ListUsers).WithName("ListUsers");
        write.MapGet("/users/{username}", GetUser).WithName("GetUser").Problems(Missing);
        write.MapPost("/users", CreateUser).WithName("CreateUser").Problems(Invalid, Conflicting);
        write.MapPut("/users/{username}", UpdateUser).WithName("UpdateUser").Problems(Invalid, Missing);
        write.MapPost("/support/contracts", ImportContracts).WithName("ImportSupportContracts").Problems(Invalid);
        return app;
    }

    // What every route of a group can answer (OpenAPI): 401/403 from authorization, 429 from the rate limiter.
    private static ProducesResponseTypeMetadata NoBody(int status) => new(status, typeof(void));

    private static ProducesResponseTypeMetadata Problem(int status) => new(status, typeof(ProblemDetails), ["application/problem+json"]);

    /// <summary>Documents the ProblemDetails statuses a handler's <see cref="ProblemHttpResult"/> can carry (OpenAPI).</summary>
    private static RouteHandlerBuilder Problems(this RouteHandlerBuilder endpoint, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            endpoint.ProducesProblem(status);
        }
        return endpoint;
    }

    /// <summary>Rules 1–2 at fleet scale: filters, order and an optional page (<c>offset</c>, <c>limit</c>); without
    /// <c>limit</c> every matching site.</summary>
    private static async Task<Results<Ok<SiteList>, ProblemHttpResult>> ListSites(
        string? search, string? health, string? notSyncedForDays, string? sort, string? dir, string? offset, string? limit,
        SiteService sites, CancellationToken cancellationToken) =>
        (await SiteQuery.Parse(search, health, notSyncedForDays, sort, dir, offset, limit)
            .SelectAsync(query => sites.ListAsync(query, cancellationToken)))
            .ToHttp(list => TypedResults.Ok(list));

    /// <summary>The filtered list (every page) as CSV, for a spreadsheet.</summary>
    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ExportSites(
        string? search, string? health, string? notSyncedForDays, string? sort, string? dir,
        SiteService sites, TimeProvider time, CancellationToken cancellationToken) =>
        (await SiteQuery.Parse(search, health, notSyncedForDays, sort, dir, null, null)
            .SelectAsync(async query => SiteCsv.Write(await sites.ExportAsync(query, cancellationToken))))
            .ToHttp(csv => TypedResults.File(System.Text.Encoding.UTF8.GetBytes(csv), "text/csv; charset=utf-8",
                string.Create(CultureInfo.InvariantCulture, $"sites-{time.GetUtcNow():yyyyMMdd-HHmm}.csv")));

    private static async Task<Results<Ok<Site>, ProblemHttpResult>> GetSite(
        int id, SiteService sites, CancellationToken cancellationToken) =>
        (await sites.FindAsync(id, cancellationToken)).ToHttp(site => TypedResults.Ok(site));

    private static async Task<Results<Created<Site>, ProblemHttpResult>> CreateSite(
        SiteEdit edit, SiteService sites, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        (await sites.CreateAsync(edit, user.RequireUsername(), cancellationToken))
            .ToHttp(site => TypedResults.Created($"/api/sites/{site.Id}", site));

    private static async Task<Results<Ok<Site>, ProblemHttpResult>> UpdateSite(
        int id, SiteEdit edit, bool? dryRun, SiteService sites, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        (await sites.UpdateAsync(id, edit, user.RequireUsername(), dryRun ?? false, cancellationToken)).ToHttp(site => TypedResults.Ok(site));

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteSite(
        int id, SiteService sites, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        (await sites.DeleteAsync(id, user.RequireUsername(), cancellationToken)).ToHttp(_ => TypedResults.NoContent());

    private static async Task<Results<Ok<Site>, ProblemHttpResult>> ResetHardwareId(
        int id, SiteService sites, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        (await sites.ResetHardwareIdAsync(id, user.RequireUsername(), cancellationToken)).ToHttp(site => TypedResults.Ok(site));

    private static async Task<Results<Ok<Site>, ProblemHttpResult>> Unblock(
        int id, SiteService sites, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        (await sites.UnblockAsync(id, user.RequireUsername(), cancellationToken)).ToHttp(site => TypedResults.Ok(site));

    /// <summary>Rule 19: <c>from</c>/<c>to</c> are dates (whole days) or ISO-8601 instants; both default to today (UTC).</summary>
    private static async Task<Results<Ok<IReadOnlyList<LogEntry>>, ProblemHttpResult>> GetLogs(
        int id, string? from, string? to, string? level, string? search, SiteService sites, SiteLog log, TimeProvider time,
        CancellationToken cancellationToken) =>
        (await (await sites.FindAsync(id, cancellationToken))
            .Then(_ => ParseSiteLogQuery(from, to, level, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime)))
            .SelectAsync(range => log.QueryAsync(id, range.Start, range.End, level, search, 5_000, cancellationToken)))
            .ToHttp(entries => TypedResults.Ok(entries));

    private static AdminResult<(DateTimeOffset Start, DateTimeOffset End)> ParseSiteLogQuery(string? from, string? to, string? level, DateOnly today)
    {
        if (!TryParseBound(from, today, endOfDay: false, out var start) || !TryParseBound(to, today, endOfDay: true, out var end))
        {
            return AdminResult<(DateTimeOffset, DateTimeOffset)>.Invalid("from", "from and to must be dates (yyyy-MM-dd) or ISO-8601 date-times.");
        }
        if (level is not (null or "" or SiteLogLevels.Info or SiteLogLevels.Warning or SiteLogLevels.Error))
        {
            return AdminResult<(DateTimeOffset, DateTimeOffset)>.Invalid("level", "level must be info, warning or error.");
        }
        return AdminResult<(DateTimeOffset, DateTimeOffset)>.Ok((start, end));
    }

    /// <summary>The log across all sites, newest first, a page at a time: <c>from</c>/<c>to</c> are whole days in <c>zone</c>
    /// (an IANA time zone, UTC by default), both today by default.</summary>
    private static async Task<Results<Ok<FleetLogPage>, ProblemHttpResult>> GetFleetLog(
        string? from, string? to, string? zone, string? level, string? @event, string? site, string? search, string? offset, string? limit,
        FleetLog log, TimeProvider time, CancellationToken cancellationToken) =>
        (await ParseFleetLogQuery(from, to, zone, level, @event, site, search, offset, limit, time.GetUtcNow())
            .SelectAsync(query => log.QueryAsync(query.Filter, query.Offset, query.Limit, cancellationToken)))
            .ToHttp(page => TypedResults.Ok(page));

    private static AdminResult<(LogFilter Filter, int Offset, int Limit)> ParseFleetLogQuery(
        string? from, string? to, string? zone, string? level, string? @event, string? site, string? search, string? offset, string? limit,
        DateTimeOffset now)
    {
        var timeZone = TimeZoneInfo.Utc;
        if (!string.IsNullOrEmpty(zone) && (zone.Length > 64 || !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out timeZone)))
        {
            return AdminResult<(LogFilter, int, int)>.Invalid("zone", "zone must be a time-zone id such as UTC or Europe/Berlin.");
        }
        var filter = LogFilter.Parse(from, to, level, @event, site, search, timeZone, now);
        if (!filter.IsOk)
        {
            return AdminResult<(LogFilter, int, int)>.Fail(filter.Failure);
        }
        if (!TryCount(offset, 0, int.MaxValue, 0, out var skip) || !TryCount(limit, 1, LogFilter.MaxLimit, 100, out var take))
        {
            return AdminResult<(LogFilter, int, int)>.Invalid("limit", $"offset must be a whole number ≥ 0 and limit one from 1 to {LogFilter.MaxLimit}.");
        }
        return AdminResult<(LogFilter, int, int)>.Ok((filter.Value, skip, take));
    }

    private static bool TryCount(string? text, int min, int max, int fallback, out int value)
    {
        if (string.IsNullOrEmpty(text))
        {
            value = fallback;
            return true;
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
    }

    private static bool TryParseBound(string? text, DateOnly today, bool endOfDay, out DateTimeOffset value)
    {
        if (string.IsNullOrWhiteSpace(text) || DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            var day = string.IsNullOrWhiteSpace(text) ? today : DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            value = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            if (endOfDay)
            {
                value = value.AddDays(1).AddTicks(-1);
            }
            return true;
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }

    private static async Task<Results<Ok<SiteDetails>, ProblemHttpResult>> GetDetails(
        int id, SupportService support, CancellationToken cancellationToken) =>
        AdminResult<SiteDetails>.Found(await support.DetailsAsync(id, cancellationToken), $"No site with id {id}.")
            .ToHttp(details => TypedResults.Ok(details));

    private static async Task<Ok<IReadOnlyList<StoreInfo>>> ListStores(StoreService stores, CancellationToken cancellationToken) =>
        TypedResults.Ok(await stores.ListAsync(cancellationToken));

    private static async Task<Results<Created<StoreInfo>, ProblemHttpResult>> CreateStore(
        CreateStoreRequest request, StoreService stores, CancellationToken cancellationToken) =>
        (await stores.CreateAsync(request, cancellationToken))
            .ToHttp(store => TypedResults.Created($"/api/records/store/{store.Id}", store));

    private static async Task<Results<Ok<CentralRecord>, ProblemHttpResult>> GetRecord(
        string tableName, string id, CentralRecordService records, CancellationToken cancellationToken) =>
        AdminResult<CentralRecord>.Found(await records.GetAsync(tableName, id, cancellationToken), $"No {tableName} record with that id.")
            .ToHttp(record => TypedResults.Ok(record));

    private static async Task<Results<Ok<RecordsResult>, ProblemHttpResult>> UpsertRecords(
        [FromBody] JsonElement body, CentralRecordService records, CancellationToken cancellationToken) =>
        (await records.UpsertAsync(body, cancellationToken)).ToHttp(result => TypedResults.Ok(result));

    private static async Task<Results<Ok<RecordsResult>, ProblemHttpResult>> DeleteRecords(
        [FromBody] JsonElement body, CentralRecordService records, CancellationToken cancellationToken) =>
        (await records.DeleteAsync(body, cancellationToken)).ToHttp(result => TypedResults.Ok(result));

    private static async Task<Results<Ok<RecordsResult>, ProblemHttpResult>> MergeRecords(
        [FromBody] JsonElement body, CentralRecordService records, CancellationToken cancellationToken) =>
        (await records.MergeAsync(body, cancellationToken)).ToHttp(result => TypedResults.Ok(result));

    private static async Task<Ok<IReadOnlyList<User>>> ListUsers(UserService users, CancellationToken cancellationToken) =>
        TypedResults.Ok(await users.ListAsync(cancellationToken));

    private static async Task<Results<Ok<User>, ProblemHttpResult>> GetUser(string username, UserService users, CancellationToken cancellationToken) =>
        AdminResult<User>.Found(await users.GetAsync(username, cancellationToken), $"No user named '{username}'.")
            .ToHttp(user => TypedResults.Ok(user));

    private static async Task<Results<Created<User>, ProblemHttpResult>> CreateUser(User request, UserService users, CancellationToken cancellationToken) =>
        (await users.CreateAsync(request, cancellationToken)).ToHttp(user => TypedResults.Created($"/api/users/{user.Username}", user));

    /// <summary>Permissions, a password reset and the disabled flag; omitted ones stay as they are.</summary>
    private static async Task<Results<Ok<User>, ProblemHttpResult>> UpdateUser(
        string username, User request, UserService users, ClaimsPrincipal caller, CancellationToken cancellationToken) =>
        (await users.UpdateAsync(username, request, caller.RequireUsername(), cancellationToken)).ToHttp(user => TypedResults.Ok(user));

    /// <summary>Imports contracts as a JSON array, or as CSV when the content type says <c>text/csv</c>.</summary>
    private static async Task<Results<Ok<ImportResult>, ProblemHttpResult>> ImportContracts(
        HttpRequest request, SupportService support, CancellationToken cancellationToken) =>
        (await (await ReadContractsAsync(request, cancellationToken)).ThenAsync(contracts => support.ImportAsync(contracts, cancellationToken)))
            .ToHttp(result => TypedResults.Ok(result));

    private static async Task<AdminResult<IReadOnlyList<SupportContract>>> ReadContractsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentType?.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) == true)
        {
            using var reader = new StreamReader(request.Body);
            return SupportService.ParseCsv((await reader.ReadToEndAsync(cancellationToken)).TrimStart('\uFEFF'));
        }
        var array = await JsonSerializer.DeserializeAsync(request.Body, SiteSyncJsonContext.Default.SupportContractArray, cancellationToken);
        return array is null
            ? AdminResult<IReadOnlyList<SupportContract>>.Invalid("body", "Expected a JSON array of contracts, or CSV with Content-Type text/csv.")
            : AdminResult<IReadOnlyList<SupportContract>>.Ok(array);
    }

    private static async Task<Ok<IReadOnlyList<string>>> SearchFunders(string? search, SupportService support, CancellationToken cancellationToken) =>
        TypedResults.Ok(await support.SearchFundersAsync(search, 20, cancellationToken));
}
