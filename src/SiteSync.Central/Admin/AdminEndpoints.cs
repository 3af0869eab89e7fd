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
        read.MapGet("/sites", ListSites).WithName("ListSites");
        read.MapGet("/sites/{id:int}", GetSite).WithName("GetSite").Problems(Missing);
        read.MapGet("/sites/{id:int}/logs", GetLogs).WithName("GetSiteLogs").Problems(Invalid, Missing);
        read.MapGet("/sites/{id:int}/details", GetDetails).WithName("GetSiteDetails").Problems(Missing);
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

    private static async Task<Ok<SiteList>> ListSites(string? search, SiteService sites, CancellationToken cancellationToken) =>
        TypedResults.Ok(await sites.ListAsync(search, cancellationToken));

    private static async Task<Results<Ok<Site>, ProblemHttpResult>> GetSite(int id, SiteService sites, CancellationToken cancellationToken) =>
        await sites.GetAsync(id, cancellationToken) is { } site ? TypedResults.Ok(site) : AdminProblems.NotFound($"No site with id {id}.");

    private static async Task<Results<Created<Site>, ProblemHttpResult>> CreateSite(
        SiteEdit edit, SiteService sites, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var result = await sites.CreateAsync(edit, user.GetUsername()!, cancellationToken);
        return result.IsOk ? TypedResults.Created($"/api/sites/{result.Value!.Id}", result.Value) : result.Failure!.ToProblem();
    }

    private static async Task<Results<Ok<Site>, ProblemHttpResult>> UpdateSite(
        int id, SiteEdit edit, bool? dryRun, SiteService sites, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var result = await sites.UpdateAsync(id, edit, user.GetUsername()!, dryRun ?? false, cancellationToken);
        return result.IsOk ? TypedResults.Ok(result.Value!) : result.Failure!.ToProblem();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteSite(
        int id, SiteService sites, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var result = await sites.DeleteAsync(id, user.GetUsername()!, cancellationToken);
        return result.IsOk ? TypedResults.NoContent() : result.Failure!.ToProblem();
    }

    private static async Task<Results<Ok<Site>, ProblemHttpResult>> ResetHardwareId(
        int id, SiteService sites, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var result = await sites.ResetHardwareIdAsync(id, user.GetUsername()!, cancellationToken);
        return result.IsOk ? TypedResults.Ok(result.Value!) : result.Failure!.ToProblem();
    }

    private static async Task<Results<Ok<Site>, ProblemHttpResult>> Unblock(
        int id, SiteService sites, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var result = await sites.UnblockAsync(id, user.GetUsername()!, cancellationToken);
        return result.IsOk ? TypedResults.Ok(result.Value!) : result.Failure!.ToProblem();
    }

    /// <summary>Rule 19: <c>from</c>/<c>to</c> are dates (whole days) or ISO-8601 instants; both default to today (UTC).</summary>
    private static async Task<Results<Ok<IReadOnlyList<LogEntry>>, ProblemHttpResult>> GetLogs(
        int id, string? from, string? to, string? level, string? search, SiteService sites, SiteLog log, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (await sites.GetAsync(id, cancellationToken) is null)
        {
            return AdminProblems.NotFound($"No site with id {id}.");
        }
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        if (!TryParseBound(from, today, endOfDay: false, out var start) || !TryParseBound(to, today, endOfDay: true, out var end))
        {
            return AdminProblems.Invalid("from", "from and to must be dates (yyyy-MM-dd) or ISO-8601 date-times.");
        }
        if (level is not (null or "" or SiteLogLevels.Info or SiteLogLevels.Warning or SiteLogLevels.Error))
        {
            return AdminProblems.Invalid("level", "level must be info, warning or error.");
        }
        return TypedResults.Ok(await log.QueryAsync(id, start, end, level, search, 5_000, cancellationToken));
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
        await support.DetailsAsync(id, cancellationToken) is { } details ? TypedResults.Ok(details) : AdminProblems.NotFound($"No site with id {id}.");

    private static async Task<Ok<IReadOnlyList<StoreInfo>>> ListStores(StoreService stores, CancellationToken cancellationToken) =>
        TypedResults.Ok(await stores.ListAsync(cancellationToken));

    private static async Task<Results<Created<StoreInfo>, ProblemHttpResult>> CreateStore(
        CreateStoreRequest request, StoreService stores, CancellationToken cancellationToken)
    {
        var result = await stores.CreateAsync(request, cancellationToken);
        return result.IsOk ? TypedResults.Created($"/api/records/store/{result.Value!.Id}", result.Value) : result.Failure!.ToProblem();
    }

    private static async Task<Results<Ok<CentralRecord>, ProblemHttpResult>> GetRecord(
        string tableName, string id, CentralRecordService records, CancellationToken cancellationToken) =>
        await records.GetAsync(tableName, id, cancellationToken) is { } record
            ? TypedResults.Ok(record)
            : AdminProblems.NotFound($"No {tableName} record with that id.");

    private static async Task<Results<Ok<RecordsResult>, ProblemHttpResult>> UpsertRecords(
        [FromBody] JsonElement body, CentralRecordService records, CancellationToken cancellationToken)
    {
        var result = await records.UpsertAsync(body, cancellationToken);
        return result.IsOk ? TypedResults.Ok(result.Value!) : result.Failure!.ToProblem();
    }

    private static async Task<Results<Ok<RecordsResult>, ProblemHttpResult>> DeleteRecords(
        [FromBody] JsonElement body, CentralRecordService records, CancellationToken cancellationToken)
    {
        var result = await records.DeleteAsync(body, cancellationToken);
        return result.IsOk ? TypedResults.Ok(result.Value!) : result.Failure!.ToProblem();
    }

    private static async Task<Results<Ok<RecordsResult>, ProblemHttpResult>> MergeRecords(
        [FromBody] JsonElement body, CentralRecordService records, CancellationToken cancellationToken)
    {
        var result = await records.MergeAsync(body, cancellationToken);
        return result.IsOk ? TypedResults.Ok(result.Value!) : result.Failure!.ToProblem();
    }

    private static async Task<Ok<IReadOnlyList<User>>> ListUsers(UserService users, CancellationToken cancellationToken) =>
        TypedResults.Ok(await users.ListAsync(cancellationToken));

    private static async Task<Results<Ok<User>, ProblemHttpResult>> GetUser(string username, UserService users, CancellationToken cancellationToken) =>
        await users.GetAsync(username, cancellationToken) is { } user ? TypedResults.Ok(user) : AdminProblems.NotFound($"No user named '{username}'.");

    private static async Task<Results<Created<User>, ProblemHttpResult>> CreateUser(User request, UserService users, CancellationToken cancellationToken)
    {
        var result = await users.CreateAsync(request, cancellationToken);
        return result.IsOk ? TypedResults.Created($"/api/users/{result.Value!.Username}", result.Value) : result.Failure!.ToProblem();
    }

    private static async Task<Results<Ok<User>, ProblemHttpResult>> UpdateUser(
        string username, User request, UserService users, CancellationToken cancellationToken)
    {
        var result = await users.UpdateAsync(username, request, cancellationToken);
        return result.IsOk ? TypedResults.Ok(result.Value!) : result.Failure!.ToProblem();
    }

    /// <summary>Imports contracts as a JSON array, or as CSV when the content type says <c>text/csv</c>.</summary>
    private static async Task<Results<Ok<ImportResult>, ProblemHttpResult>> ImportContracts(
        HttpRequest request, SupportService support, CancellationToken cancellationToken)
    {
        IReadOnlyList<SupportContract> contracts;
        if (request.ContentType?.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) == true)
        {
            using var reader = new StreamReader(request.Body);
            var parsed = SupportService.ParseCsv((await reader.ReadToEndAsync(cancellationToken)).TrimStart('\uFEFF'));
            if (!parsed.IsOk)
            {
                return parsed.Failure!.ToProblem();
            }
            contracts = parsed.Value!;
        }
        else
        {
            var array = await JsonSerializer.DeserializeAsync(request.Body, SiteSyncJsonContext.Default.SupportContractArray, cancellationToken);
            if (array is null)
            {
                return AdminProblems.Invalid("body", "Expected a JSON array of contracts, or CSV with Content-Type text/csv.");
            }
            contracts = array;
        }
        var result = await support.ImportAsync(contracts, cancellationToken);
        return result.IsOk ? TypedResults.Ok(result.Value!) : result.Failure!.ToProblem();
    }

    private static async Task<Ok<IReadOnlyList<string>>> SearchFunders(string? search, SupportService support, CancellationToken cancellationToken) =>
        TypedResults.Ok(await support.SearchFundersAsync(search, 20, cancellationToken));
}
