namespace SiteSync.Protocol.Sync;

/// <summary>The variants of the v6 error envelope (<see cref="V6ErrorResponse"/>) central answers, as the Open mSupply
/// client's error enum names them (reference §5).</summary>
public static class V6ErrorVariants
{
    /// <summary>The body could not be read: <c>{"parsingSyncRecordError":"…"}</c>.</summary>
    public const string ParsingSyncRecordError = "parsingSyncRecordError";

    /// <summary>The v6 API version is outside central's range: <c>{"syncVersionMismatch":[min,max,received]}</c>.</summary>
    public const string SyncVersionMismatch = "syncVersionMismatch";

    /// <summary>Any other refusal (authentication among them): <c>{"otherServerError":"code: message"}</c>.</summary>
    public const string OtherServerError = "otherServerError";
}
