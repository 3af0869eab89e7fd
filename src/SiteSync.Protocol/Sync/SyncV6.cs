using System.Text.Json.Serialization;
using SiteSync.Protocol.Json;

namespace SiteSync.Protocol.Sync;

/// <summary>The v5 credentials that v6 requests carry in their body instead of HTTP Basic (reference §5.1).</summary>
/// <param name="ServerUrl">The v5 server URL the client is configured with.</param>
/// <param name="Username">The site name.</param>
/// <param name="PasswordSha256">Lowercase hex SHA-256 of the site password.</param>
/// <param name="SiteUuid">The hardware id.</param>
/// <param name="AppVersion">The application version.</param>
/// <param name="AppName">The application name.</param>
/// <param name="SyncVersion">The v5 sync API version, as a string.</param>
public sealed record SyncV5Settings(
    string ServerUrl, string Username, string PasswordSha256, string SiteUuid, string AppVersion, string AppName, string SyncVersion);

/// <summary>Body of <c>POST /central/sync/pull</c>.</summary>
/// <param name="Cursor">Inclusive start cursor.</param>
/// <param name="BatchSize">Maximum records.</param>
/// <param name="SyncV5Settings">The credentials.</param>
/// <param name="IsInitialised">Whether the site has completed a sync before.</param>
/// <param name="SyncV6Version">The v6 API version.</param>
public sealed record V6PullRequest(long Cursor, int BatchSize, SyncV5Settings SyncV5Settings, bool IsInitialised, int SyncV6Version);

/// <summary>Body of <c>POST /central/sync/push</c>.</summary>
/// <param name="Batch">The pushed batch.</param>
/// <param name="SyncV5Settings">The credentials.</param>
/// <param name="SyncV6Version">The v6 API version.</param>
public sealed record V6PushRequest(V6SyncBatch Batch, SyncV5Settings SyncV5Settings, int SyncV6Version);

/// <summary>Body of <c>POST /central/sync/site_status</c>.</summary>
/// <param name="SyncV5Settings">The credentials.</param>
/// <param name="SyncV6Version">The v6 API version.</param>
public sealed record V6SiteStatusRequest(SyncV5Settings SyncV5Settings, int SyncV6Version);

/// <summary>A v6 batch (snake_case on the wire).</summary>
/// <param name="EndCursor">The last row's cursor, or the latest cursor when empty.</param>
/// <param name="TotalRecords">Remaining records including this batch.</param>
/// <param name="Records">The records.</param>
/// <param name="IsLastBatch">Whether this is the last batch.</param>
public sealed record V6SyncBatch(
    [property: JsonPropertyName("end_cursor")] long EndCursor,
    [property: JsonPropertyName("total_records")] long TotalRecords,
    [property: JsonPropertyName("records")] IReadOnlyList<V6SyncRecord> Records,
    [property: JsonPropertyName("is_last_batch")] bool IsLastBatch);

/// <summary>One v6 record: a cursor and a common record envelope.</summary>
/// <param name="Cursor">The change-log cursor.</param>
/// <param name="Record">The record envelope.</param>
public sealed record V6SyncRecord(
    [property: JsonPropertyName("cursor")] long Cursor,
    [property: JsonPropertyName("record")] V6CommonRecord Record);

/// <summary>The common record envelope inside a v6 record (camelCase).</summary>
/// <param name="TableName">The table.</param>
/// <param name="RecordId">The record id.</param>
/// <param name="Action">The action.</param>
/// <param name="RecordData">The data.</param>
public sealed record V6CommonRecord(string TableName, string RecordId, string Action, RawJson? RecordData);

/// <summary>The v6 success envelope <c>{"data": …}</c>.</summary>
/// <typeparam name="T">The payload type.</typeparam>
/// <param name="Data">The payload.</param>
public sealed record V6Response<T>([property: JsonPropertyName("data")] T Data);

/// <summary>The v6 error envelope <c>{"error": …}</c>, always sent with HTTP 200.</summary>
/// <param name="Error">The error variant, e.g. <c>{"otherServerError":"…"}</c> or <c>{"syncVersionMismatch":[0,5,9]}</c>.</param>
public sealed record V6ErrorResponse([property: JsonPropertyName("error")] RawJson Error);

/// <summary>The payload of a v6 push answer.</summary>
/// <param name="RecordsPushed">How many records were accepted.</param>
public sealed record V6PushResult([property: JsonPropertyName("records_pushed")] long RecordsPushed);

/// <summary>The payload of a v6 site-status answer.</summary>
/// <param name="IsIntegrating">Whether central is integrating a v6 push of the site.</param>
public sealed record V6SiteStatusResult([property: JsonPropertyName("is_integrating")] bool IsIntegrating);
