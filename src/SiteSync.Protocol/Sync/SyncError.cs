using SiteSync.Protocol.Json;

namespace SiteSync.Protocol.Sync;

/// <summary>The body of every non-2xx sync v5 response: <c>{"error":{"code","message","data"}}</c>.</summary>
/// <param name="Error">The error itself.</param>
public sealed record SyncErrorResponse(SyncError Error);

/// <summary>One sync error: a stable code, a human message, and optional data.</summary>
/// <param name="Code">One of <see cref="SyncErrorCodes"/>, or another snake_case code.</param>
/// <param name="Message">A message for people; never parsed.</param>
/// <param name="Data">Extra data (for <c>api_version_incompatible</c> the accepted range), or null.</param>
public sealed record SyncError(string Code, string Message, RawJson? Data = null);

/// <summary>The <c>data</c> of an <c>api_version_incompatible</c> error.</summary>
/// <param name="MinVersion">The lowest accepted <c>version</c> header.</param>
/// <param name="MaxVersion">The highest accepted <c>version</c> header.</param>
/// <param name="ReceivedVersion">The <c>version</c> the client sent, if it was a number.</param>
public sealed record ApiVersionRange(int MinVersion, int MaxVersion, int? ReceivedVersion);
