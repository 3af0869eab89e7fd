using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SiteSync.Central.Auth;
using SiteSync.Central.Storage;
using SiteSync.Central.Sync;
using SiteSync.Protocol.Json;
using SiteSync.Protocol.Sync;

namespace SiteSync.Central.Patients;

/// <summary>The legacy v4 patient endpoints (routing.md §3.4), authenticated with the site's sync credentials (HTTP Basic
/// only: <see cref="Policies.SiteV4"/>). Errors use the sync error envelope; the client only tells 401 from the rest.</summary>
public static class PatientEndpoints
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;
    private const int MaxPatternLength = 200;

    public static IEndpointRouteBuilder MapPatientApi(this IEndpointRouteBuilder app)
    {
        var v4 = app.MapGroup(PatientV4Routes.Prefix).RequireAuthorization(Policies.SiteV4).WithTags("Patients v4");
        v4.MapGet("/patient", Search).WithName("PatientV4Search");
        v4.MapPost("/name_store_join", Link).WithName("PatientV4Link");
        app.MapPost(PatientV4Routes.V6NameStoreJoin, LinkV6).AllowAnonymous().WithTags("Patients v4").WithName("PatientV6Link");
        return app;
    }

    /// <summary>The client calls this right after the v4 link and fails the link unless it answers 200: the join exists by
    /// then (the v4 call made it), so this authenticates, makes sure of it (with the id the client names, if it is new) and
    /// answers 200 with no body. 401 for credentials, as the client expects; the rest as for v4.</summary>
    private static async Task<Results<Ok, JsonHttpResult<SyncErrorResponse>>> LinkV6(
        HttpRequest request, SiteAuthenticator authenticator, PatientDirectory patients, CancellationToken cancellationToken)
    {
        var (body, error) = await SyncRequestBody.ReadAsync(request, SiteSyncJsonContext.Default.V6NameStoreJoinRequest, cancellationToken);
        if (error is not null || body is not { NameId: { } nameId, StoreId: { } storeId, SyncV5Settings: { } settings } || !IsId(nameId) || !IsId(storeId)
            || (body.Id is { } id && !IsId(id)))
        {
            return SyncEndpoints.Error(StatusCodes.Status400BadRequest, SyncErrorCodes.InvalidBody,
                error ?? "Expected {\"id\",\"nameId\",\"storeId\",\"syncV5Settings\":{…}} with printable ids of 1 to 200 characters.");
        }
        var auth = await authenticator.AuthenticateAsync(SiteCredentials.From(settings), cancellationToken);
        if (auth.Site is not { } site)
        {
            return SyncEndpoints.Error(auth.Status, auth.Error!.Code, auth.Error.Message);
        }
        var result = await patients.LinkAsync(site.Id, nameId, storeId, cancellationToken, body.Id);
        return result.Join is not null ? TypedResults.Ok() : SyncEndpoints.Error(result.Status, result.Code!, result.Message!);
    }

    private static async Task<Results<JsonHttpResult<PatientV4[]>, JsonHttpResult<SyncErrorResponse>>> Search(
        HttpRequest request, PatientDirectory patients, CancellationToken cancellationToken)
    {
        if (ReadQuery(request.Query) is not { } query)
        {
            return SyncEndpoints.Error(StatusCodes.Status400BadRequest, SyncErrorCodes.InvalidQuery, QueryRules);
        }
        if (!string.IsNullOrEmpty(request.Query["policy_number"]) || !string.IsNullOrEmpty(request.Query["barcode"]))
        {
            return SyncEndpoints.Error(StatusCodes.Status400BadRequest, SyncErrorCodes.InvalidQuery,
                "Searching by policy_number or barcode is not supported by this central server.");
        }
        var found = await patients.SearchAsync(query, cancellationToken);
        return TypedResults.Json([.. found], SiteSyncJsonContext.Default.PatientV4Array);
    }

    private static async Task<Results<JsonHttpResult<NameStoreJoinV4>, JsonHttpResult<SyncErrorResponse>>> Link(
        ClaimsPrincipal site, HttpRequest request, PatientDirectory patients, CancellationToken cancellationToken)
    {
        var (body, error) = await SyncRequestBody.ReadAsync(request, SiteSyncJsonContext.Default.NameStoreJoinRequestV4, cancellationToken);
        if (error is not null || body is not { NameId: { } nameId, StoreId: { } storeId } || !IsId(nameId) || !IsId(storeId))
        {
            return SyncEndpoints.Error(StatusCodes.Status400BadRequest, SyncErrorCodes.InvalidBody,
                error ?? "Expected {\"name_ID\":\"<patient id>\",\"store_ID\":\"<store id>\"}: printable ids of 1 to 200 characters.");
        }
        var result = await patients.LinkAsync(site.GetSiteId(), nameId, storeId, cancellationToken);
        return result.Join is { } join
            ? TypedResults.Json(join, SiteSyncJsonContext.Default.NameStoreJoinV4)
            : SyncEndpoints.Error(result.Status, result.Code!, result.Message!);
    }

    private static readonly string QueryRules = "first_name, last_name and code are printable text of up to 200 characters; dob is YYYY-MM-DD; " +
        $"is_deleted is true or false; limit (1 to {MaxLimit}) and offset are whole numbers.";

    /// <summary>The search parameters, or null when one is not what the client sends (every one is optional).</summary>
    private static PatientQuery? ReadQuery(IQueryCollection query)
    {
        string? Pattern(string key) => query[key].ToString() is { Length: > 0 } text ? text : null;
        var (first, last, code) = (Pattern("first_name"), Pattern("last_name"), Pattern("code"));
        if (new[] { first, last, code }.Any(p => p is not null && (p.Length > MaxPatternLength || !StorableText.IsPrintable(p))))
        {
            return null;
        }
        DateOnly? born = null;
        if (Pattern("dob") is { } dob)
        {
            if (!DateOnly.TryParseExact(dob, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                return null;
            }
            born = day;
        }
        var deleted = false;
        if (Pattern("is_deleted") is { } flag && !bool.TryParse(flag, out deleted))
        {
            return null;
        }
        if (!Number(Pattern("limit"), DefaultLimit, out var limit) || limit is < 1 or > MaxLimit || !Number(Pattern("offset"), 0, out var offset))
        {
            return null;
        }
        return new PatientQuery(first, last, code, born, deleted, limit, offset);
    }

    private static bool Number(string? text, int fallback, out int value)
    {
        value = fallback;
        return text is null || int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private static bool IsId(string id) => id.Length is > 0 and <= Records.RecordOwnership.MaxIdLength && StorableText.IsPrintable(id);
}
