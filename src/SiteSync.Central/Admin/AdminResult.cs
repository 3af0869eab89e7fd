using System.Diagnostics.CodeAnalysis;
using SiteSync.Protocol.Admin;

namespace SiteSync.Central.Admin;

/// <summary>What an application service answers: a value, or an expected failure with a stable code. The admin API and the
/// UI both map it (to ProblemDetails, or to a message on the page), so a rule is enforced once, in the service.</summary>
[SuppressMessage("Design", "CA1000", Justification = "AdminResult<Site>.NotFound(…) reads as what it returns; a non-generic factory would need the type argument anyway.")]
public sealed record AdminResult<T>(T? Value, AdminFailure? Failure)
{
    public bool IsOk => Failure is null;

    public static AdminResult<T> Ok(T value) => new(value, null);

    public static AdminResult<T> Invalid(string field, string message) =>
        new(default, new AdminFailure(AdminFailureKind.Invalid, AdminErrorCodes.ValidationFailed, message, field));

    public static AdminResult<T> NotFound(string message) =>
        new(default, new AdminFailure(AdminFailureKind.NotFound, AdminErrorCodes.NotFound, message, null));

    public static AdminResult<T> Conflict(string code, string message) =>
        new(default, new AdminFailure(AdminFailureKind.Conflict, code, message, null));

    public static AdminResult<T> Fail(AdminFailure failure) => new(default, failure);
}

public enum AdminFailureKind
{
    Invalid,
    NotFound,
    Conflict,
}

/// <summary>An expected failure: its kind picks the status (400/404/409), its code is the ProblemDetails <c>code</c>.</summary>
public sealed record AdminFailure(AdminFailureKind Kind, string Code, string Message, string? Field);
