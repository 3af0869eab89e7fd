namespace SiteSync.Remote.Sync;

/// <summary>A cycle failed for a reason other than central's refusal or the transport: central broke the protocol or did not
/// finish in time. The next cycle resumes where this one stopped.</summary>
public sealed class SyncCycleException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="code">One of <see cref="SyncCycleErrorCodes"/>.</param>
    /// <param name="message">What happened, for people.</param>
    /// <param name="innerException">The cause, if any.</param>
    public SyncCycleException(string code, string message, Exception? innerException = null)
        : base(message, innerException) => Code = code;

    /// <summary>One of <see cref="SyncCycleErrorCodes"/>.</summary>
    public string Code { get; }
}

/// <summary>Codes of <see cref="SyncCycleException"/> (the client-side codes of reference §1.6).</summary>
public static class SyncCycleErrorCodes
{
    /// <summary>Central answered the final push batch with <c>integrationStarted:false</c>.</summary>
    public const string IntegrationNotStarted = "integration_not_started";

    /// <summary>Central did not report <c>idle</c> within the integration timeout after a push.</summary>
    public const string IntegrationTimeoutReached = "integration_timeout_reached";

    /// <summary>Central did not finish initialising the site within the initialisation timeout.</summary>
    public const string InitialisationTimeoutReached = "initialisation_timeout_reached";

    /// <summary>A request did not complete within the request timeout, even at the smallest request size.</summary>
    public const string RequestTimeout = "request_timeout";

    /// <summary>Central could not be reached.</summary>
    public const string ConnectionError = "connection_error";

    /// <summary>Central sent a record envelope the site cannot read (an unknown action).</summary>
    public const string InvalidRecord = "invalid_record";
}
