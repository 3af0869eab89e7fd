using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using SiteSync.Central.Auth;
using SiteSync.Central.Diagnostics;
using SiteSync.Central.Storage;
using SiteSync.Protocol.Json;
using SiteSync.Protocol.Sync;

namespace SiteSync.Central.Sync;

/// <summary>The sync v5 API (reference §2) and the minimal v6 API (reference §5.2). Errors use the client's envelope
/// <c>{"error":{"code","message","data"}}</c>, never ProblemDetails.</summary>
public static class SyncEndpoints
{
    /// <summary>The group every site-authenticated v5 route lives in: the prefix, the site policy and the tag, set once.</summary>
    public static RouteGroupBuilder MapSyncV5Group(this IEndpointRouteBuilder app) =>
        app.MapGroup(SyncRoutes.V5Prefix).RequireAuthorization(Policies.Site).WithTags("Sync v5");

    public static IEndpointRouteBuilder MapSyncApi(this IEndpointRouteBuilder app)
    {
        var v5 = app.MapSyncV5Group();
        v5.MapGet("/site", GetSite).WithName("SyncSite");
        v5.MapGet("/site_status", GetSiteStatus).WithName("SyncSiteStatus");
        v5.MapPost("/initialise", Initialise).WithName("SyncInitialise");
        v5.MapGet("/central_records", GetCentralRecords).WithName("SyncCentralRecords");
        v5.MapGet("/queued_records", GetQueuedRecords).WithName("SyncPullQueue");
        v5.MapPost("/queued_records", PostQueuedRecords).WithName("SyncPush");
        v5.MapPost("/acknowledged_records", PostAcknowledgedRecords).WithName("SyncAcknowledge");

        app.MapSyncV6Api();
        return app;
    }

    private static async Task<Ok<SiteInfo>> GetSite(HttpContext context, HttpRequest request, SyncService sync, CancellationToken cancellationToken)
    {
        var site = SiteAuthentication.RequireSite(context);
        await sync.StartCycleAsync(site, cancellationToken);
        return TypedResults.Ok(await sync.SiteInfoAsync(site, new Uri($"{request.Scheme}://{request.Host}{request.PathBase}/"), cancellationToken));
    }

    private static Ok<SiteStatus> GetSiteStatus(HttpContext context) => TypedResults.Ok(SyncService.Status(SiteAuthentication.RequireSite(context)));

    private static async Task<Results<Ok<RemoteSyncBatch>, JsonHttpResult<SyncErrorResponse>>> Initialise(
        ClaimsPrincipal site, SyncService sync, CancellationToken cancellationToken)
    {
        var queueLength = await sync.InitialiseAsync(site.GetSiteId(), cancellationToken);
        return queueLength is { } length
            ? TypedResults.Ok(new RemoteSyncBatch(length))
            : Error(StatusCodes.Status409Conflict, SyncErrorCodes.SiteHasNoStore, "The site has no store: add a store to it on the central server.");
    }

    private static async Task<Results<Ok<CentralSyncBatch>, JsonHttpResult<SyncErrorResponse>>> GetCentralRecords(
        string? cursor, string? limit, string? stored, ClaimsPrincipal site, HttpContext context, CentralChangeLog changeLog, SyncService sync,
        IOptions<SyncOptions> options, SiteSyncMetrics metrics, CancellationToken cancellationToken)
    {
        if (!TryQuery(cursor, 0, long.MaxValue, 0, out var from) || !TryQuery(limit, 1, int.MaxValue, 500, out var count))
        {
            return Error(StatusCodes.Status400BadRequest, SyncErrorCodes.InvalidQuery, "cursor must be a whole number ≥ 0 and limit ≥ 1.");
        }
        // SiteSync's own remote asks for the next page while it stores this one, and says what it has stored: that is the
        // position it has reached (SyncRoutes.CentralRecordsStored). The Open mSupply client asks from what it has stored.
        if (!TryQuery(stored, 0, long.MaxValue, from, out var reached) || reached > from)
        {
            return Error(StatusCodes.Status400BadRequest, SyncErrorCodes.InvalidQuery, "stored must be a whole number ≥ 0 and not past cursor.");
        }
        var page = await changeLog.PageAsync(from, (int)Math.Min(count, options.Value.MaxPullLimit), cancellationToken);
        // A cursor past the log's end is not a position the site can have stored: it counts as the end.
        await sync.NoteCentralCursorAsync(site.GetSiteId(), Math.Min(reached, page.MaxCursor),
            SiteAuthentication.AuthenticatedSite(context)?.CentralCursorReached, cancellationToken);
        metrics.ChangeLogLag(page.MaxCursor - from);
        FailPoints.Hit("pull.after_select_before_response");
        await sync.CountAsync(site.GetSiteId(), 0, page.Data.Count, 0, cancellationToken);
        return TypedResults.Ok(page);
    }

    private static async Task<Results<Ok<RemoteSyncBatch>, JsonHttpResult<SyncErrorResponse>>> GetQueuedRecords(
        string? limit, ClaimsPrincipal site, HttpContext context, SiteOutbox outbox, SyncService sync, IOptions<SyncOptions> options,
        CancellationToken cancellationToken)
    {
        if (!TryQuery(limit, 1, int.MaxValue, 500, out var count))
        {
            return Error(StatusCodes.Status400BadRequest, SyncErrorCodes.InvalidQuery, "limit must be a whole number ≥ 1.");
        }
        var batch = await outbox.PageAsync(site.GetSiteId(), (int)Math.Min(count, options.Value.MaxPullLimit), cancellationToken);
        FailPoints.Hit("pull.after_select_before_response");
        if (batch.Data is { Count: 0 })
        {
            await sync.CompleteCycleAsync(SiteAuthentication.RequireSite(context), cancellationToken);
        }
        return TypedResults.Ok(batch);
    }

    private static async Task<Results<Ok<PushResponse>, JsonHttpResult<SyncErrorResponse>>> PostQueuedRecords(
        ClaimsPrincipal site, HttpContext context, HttpRequest request, PushService push, IOptions<SyncOptions> options, SiteSyncMetrics metrics,
        CancellationToken cancellationToken)
    {
        var (batch, error) = await SyncRequestBody.ReadAsync(request, SiteSyncJsonContext.Default.RemoteSyncBatch, cancellationToken);
        error ??= SyncRequestBody.Validate(batch!, options.Value.MaxPushBatchRecords);
        if (error is not null)
        {
            return Error(StatusCodes.Status400BadRequest, SyncErrorCodes.InvalidBody, error);
        }
        metrics.RecordsPushed(batch!.Data?.Count ?? 0);
        var integrationStarted = await push.ReceiveAsync(SiteAuthentication.RequireSite(context), batch, cancellationToken);
        FailPoints.Hit("push.after_commit_before_response");
        return TypedResults.Ok(new PushResponse(integrationStarted));
    }

    private static async Task<Results<NoContent, JsonHttpResult<SyncErrorResponse>>> PostAcknowledgedRecords(
        ClaimsPrincipal site, HttpRequest request, WritePath writePath, SiteOutbox outbox, SyncService sync, CancellationToken cancellationToken)
    {
        var (acknowledged, error) = await SyncRequestBody.ReadAsync(request, SiteSyncJsonContext.Default.AcknowledgedRecords, cancellationToken);
        if (error is not null || acknowledged!.SyncIds is null || acknowledged.SyncIds.Any(id => id is null))
        {
            return Error(StatusCodes.Status400BadRequest, SyncErrorCodes.InvalidBody, error ?? "syncIDs must be an array of strings.");
        }
        await using var transaction = await writePath.BeginForSiteAsync(site.GetSiteId(), cancellationToken);
        await outbox.AcknowledgeAsync(site.GetSiteId(), acknowledged.SyncIds, cancellationToken);
        await sync.CountAsync(site.GetSiteId(), 0, 0, acknowledged.SyncIds.Count, cancellationToken);
        FailPoints.Hit("ack.before_commit");
        await transaction.CommitAsync(cancellationToken);
        FailPoints.Hit("ack.after_commit_before_response");
        return TypedResults.NoContent();
    }

    internal static JsonHttpResult<SyncErrorResponse> Error(int status, string code, string message) =>
        TypedResults.Json(new SyncErrorResponse(new SyncError(code, message)), SiteSyncJsonContext.Default.SyncErrorResponse, statusCode: status);

    private static bool TryQuery(string? text, long min, long max, long fallback, out long value)
    {
        if (string.IsNullOrEmpty(text))
        {
            value = fallback;
            return true;
        }
        if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed >= (ulong)min)
        {
            value = (long)Math.Min(parsed, (ulong)max);
            return true;
        }
        value = 0;
        return false;
    }
}
