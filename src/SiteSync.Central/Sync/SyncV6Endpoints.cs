using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using SiteSync.Central.Logs;
using SiteSync.Protocol.Json;
using SiteSync.Protocol.Sync;

namespace SiteSync.Central.Sync;

/// <summary>The minimal v6 API (reference §5.2) central serves when no site is the Open mSupply central server, so an Open
/// mSupply remote completes its cycle. Central holds no v6-only tables: pulls are empty, pushes are logged.</summary>
/// <remarks>v6 answers are always HTTP 200 with <c>{"data":…}</c> or <c>{"error":…}</c>; credentials travel in the body.</remarks>
public static class SyncV6Endpoints
{
    public const int MinVersion = 0;
    public const int MaxVersion = 5;

    public static IEndpointRouteBuilder MapSyncV6Api(this IEndpointRouteBuilder app)
    {
        var v6 = app.MapGroup(SyncRoutes.V6Prefix).AllowAnonymous().WithTags("Sync v6");
        v6.MapPost("/pull", Pull).WithName("SyncV6Pull");
        v6.MapPost("/push", Push).WithName("SyncV6Push");
        v6.MapPost("/site_status", Status).WithName("SyncV6SiteStatus");
        return app;
    }

    private static async Task<Results<Ok<V6Response<V6SyncBatch>>, Ok<V6ErrorResponse>>> Pull(
        HttpRequest request, SiteAuthenticator authenticator, CancellationToken cancellationToken)
    {
        var (body, error) = await SyncRequestBody.ReadAsync(request, SiteSyncJsonContext.Default.V6PullRequest, cancellationToken);
        if (await CheckAsync(body?.SyncV5Settings, body?.SyncV6Version, error, authenticator, cancellationToken) is { } refusal)
        {
            return TypedResults.Ok(refusal);
        }
        return TypedResults.Ok(new V6Response<V6SyncBatch>(new V6SyncBatch(0, 0, [], true)));
    }

    private static async Task<Results<Ok<V6Response<V6PushResult>>, Ok<V6ErrorResponse>>> Push(
        HttpRequest request, SiteAuthenticator authenticator, SiteLog siteLog, CancellationToken cancellationToken)
    {
        var (body, error) = await SyncRequestBody.ReadAsync(request, SiteSyncJsonContext.Default.V6PushRequest, cancellationToken);
        if (await CheckAsync(body?.SyncV5Settings, body?.SyncV6Version, error, authenticator, cancellationToken) is { } refusal)
        {
            return TypedResults.Ok(refusal);
        }
        var records = body!.Batch.Records ?? [];
        if (records.Count > 0 && authenticator.LastSiteId is { } siteId)
        {
            var tables = string.Join(", ", records.Select(r => r.Record.TableName).Distinct(StringComparer.Ordinal).Take(10));
            await siteLog.WriteAsync(siteId, SiteLogLevels.Warning, SiteLogEvents.UnknownTable,
                $"v6 push of {records.Count} record(s) ({tables}) not stored: this central serves no v6 tables; configure an Open mSupply central server.",
                cancellationToken);
        }
        return TypedResults.Ok(new V6Response<V6PushResult>(new V6PushResult(records.Count)));
    }

    private static async Task<Results<Ok<V6Response<V6SiteStatusResult>>, Ok<V6ErrorResponse>>> Status(
        HttpRequest request, SiteAuthenticator authenticator, CancellationToken cancellationToken)
    {
        var (body, error) = await SyncRequestBody.ReadAsync(request, SiteSyncJsonContext.Default.V6SiteStatusRequest, cancellationToken);
        if (await CheckAsync(body?.SyncV5Settings, body?.SyncV6Version, error, authenticator, cancellationToken) is { } refusal)
        {
            return TypedResults.Ok(refusal);
        }
        return TypedResults.Ok(new V6Response<V6SiteStatusResult>(new V6SiteStatusResult(false)));
    }

    private static async Task<V6ErrorResponse?> CheckAsync(
        SyncV5Settings? settings, int? version, string? bodyError, SiteAuthenticator authenticator, CancellationToken cancellationToken)
    {
        if (bodyError is not null || settings is null)
        {
            return ErrorOf(V6ErrorVariants.ParsingSyncRecordError, bodyError ?? "syncV5Settings is required.");
        }
        if (version is not (>= MinVersion and <= MaxVersion))
        {
            return new V6ErrorResponse(new RawJson(new JsonObject
            {
                [V6ErrorVariants.SyncVersionMismatch] = new JsonArray(MinVersion, MaxVersion, version),
            }.ToJsonString()));
        }
        var result = await authenticator.AuthenticateAsync(SiteCredentials.From(settings), cancellationToken);
        return result.Error is { } refusal ? ErrorOf(V6ErrorVariants.OtherServerError, $"{refusal.Code}: {refusal.Message}") : null;
    }

    private static V6ErrorResponse ErrorOf(string variant, string message) =>
        new(new RawJson(new JsonObject { [variant] = message }.ToJsonString()));
}
