using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SiteSync.Central.Admin;
using SiteSync.Central.Auth;
using SiteSync.Central.Sync;
using SiteSync.Protocol.Admin;
using SiteSync.Protocol.Json;
using SiteSync.Protocol.Sync;

namespace SiteSync.Central.Integrity;

/// <summary>The integrity audit's surfaces: three site-authenticated calls under the sync prefix (same policy and error envelope
/// as the rest of <c>/sync/v5</c>; SiteSync's own, the Open mSupply client never calls them) and one admin read.</summary>
public static class IntegrityEndpoints
{
    public static IEndpointRouteBuilder MapIntegrityApi(this IEndpointRouteBuilder app)
    {
        var sync = app.MapSyncV5Group();
        sync.MapPost("/integrity", Compare).WithName("SyncIntegrity");
        sync.MapPost("/integrity/records", Records).WithName("SyncIntegrityRecords");
        sync.MapPost("/integrity/report", Report).WithName("SyncIntegrityReport");

        var read = app.MapGroup("/api").RequireAuthorization(Policies.Viewer).WithTags("Admin");
        read.MapGet("/sites/{id:int}/integrity", GetSiteIntegrity).WithName("GetSiteIntegrity");
        return app;
    }

    private static async Task<Results<Ok<IntegrityResponse>, JsonHttpResult<SyncErrorResponse>>> Compare(
        ClaimsPrincipal site, HttpRequest request, IntegrityService integrity, CancellationToken cancellationToken)
    {
        var (body, error) = await SyncRequestBody.ReadAsync(request, SiteSyncJsonContext.Default.IntegrityRequest, cancellationToken);
        return error is not null
            ? SyncEndpoints.Error(StatusCodes.Status400BadRequest, SyncErrorCodes.InvalidBody, error)
            : Answer(await integrity.CompareAsync(site.GetSiteId(), body!, cancellationToken));
    }

    private static async Task<Results<Ok<IntegrityRecordsResponse>, JsonHttpResult<SyncErrorResponse>>> Records(
        ClaimsPrincipal site, HttpRequest request, IntegrityService integrity, CancellationToken cancellationToken)
    {
        var (body, error) = await SyncRequestBody.ReadAsync(request, SiteSyncJsonContext.Default.IntegrityRecordsRequest, cancellationToken);
        return error is not null
            ? SyncEndpoints.Error(StatusCodes.Status400BadRequest, SyncErrorCodes.InvalidBody, error)
            : Answer(await integrity.RecordsAsync(site.GetSiteId(), body!, cancellationToken));
    }

    private static async Task<Results<NoContent, JsonHttpResult<SyncErrorResponse>>> Report(
        ClaimsPrincipal site, HttpRequest request, IntegrityService integrity, CancellationToken cancellationToken)
    {
        var (body, error) = await SyncRequestBody.ReadAsync(request, SiteSyncJsonContext.Default.IntegrityReport, cancellationToken);
        if (error is not null)
        {
            return SyncEndpoints.Error(StatusCodes.Status400BadRequest, SyncErrorCodes.InvalidBody, error);
        }
        var result = await integrity.ReportAsync(site.GetSiteId(), body!, cancellationToken);
        return result.IsOk ? TypedResults.NoContent() : SyncEndpoints.Error(result.Status, result.Code, result.Message);
    }

    private static async Task<Results<Ok<SiteIntegrity>, ProblemHttpResult>> GetSiteIntegrity(
        int id, IntegrityService integrity, CancellationToken cancellationToken) =>
        AdminResult<SiteIntegrity>.Found(await integrity.GetAsync(id, cancellationToken), $"No site with id {id}.").ToHttp(audit => TypedResults.Ok(audit));

    private static Results<Ok<T>, JsonHttpResult<SyncErrorResponse>> Answer<T>(IntegrityResult<T> result) =>
        result.IsOk ? TypedResults.Ok(result.Value) : SyncEndpoints.Error(result.Status, result.Code, result.Message);
}
