using System.Net;
using SiteSync.Protocol.Json;

namespace SiteSync.Protocol.Client;

/// <summary>Central answered a sync request with a non-2xx status, or with a 2xx body that is not the endpoint's shape.</summary>
public sealed class SyncApiException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="statusCode">The HTTP status central answered with.</param>
    /// <param name="errorCode">The <c>error.code</c> of the envelope (see <see cref="Sync.SyncErrorCodes"/>), or null when the
    /// body was not an error envelope.</param>
    /// <param name="message">The <c>error.message</c>, or a description of what was wrong with the answer.</param>
    /// <param name="errorData">The <c>error.data</c>, if any.</param>
    public SyncApiException(HttpStatusCode statusCode, string? errorCode, string message, RawJson? errorData = null)
        : base(message)
    {
        StatusCode = statusCode;
        ErrorCode = errorCode;
        ErrorData = errorData;
    }

    /// <summary>The HTTP status central answered with.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The machine-readable error code, or null when central sent no error envelope.</summary>
    public string? ErrorCode { get; }

    /// <summary>The <c>error.data</c> of the envelope (the accepted range for <c>api_version_incompatible</c>), or null.</summary>
    public RawJson? ErrorData { get; }
}
