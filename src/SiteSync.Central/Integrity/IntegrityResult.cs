using System.Diagnostics.CodeAnalysis;
using SiteSync.Protocol.Sync;

namespace SiteSync.Central.Integrity;

/// <summary>An integrity call's value, or why it was refused (400 invalid, 403 another site's store, 409 superseded audit),
/// with the sync error code the endpoint answers.</summary>
public sealed record IntegrityResult<T>(T? Value, int Status, string? Code, string? Message)
{
    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Code), nameof(Message))]
    public bool IsOk => Code is null;
}

/// <summary>Builds <see cref="IntegrityResult{T}"/> values.</summary>
public static class IntegrityResult
{
    public static IntegrityResult<T> Ok<T>(T value) => new(value, StatusCodes.Status200OK, null, null);

    public static IntegrityResult<T> Invalid<T>(string message) => new(default, StatusCodes.Status400BadRequest, SyncErrorCodes.InvalidBody, message);

    public static IntegrityResult<T> Forbidden<T>(string message) =>
        new(default, StatusCodes.Status403Forbidden, SyncErrorCodes.StoreNotActiveOnSite, message);

    public static IntegrityResult<T> Superseded<T>(string message) => new(default, StatusCodes.Status409Conflict, SyncErrorCodes.AuditSuperseded, message);
}
