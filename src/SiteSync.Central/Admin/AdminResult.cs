using System.Diagnostics.CodeAnalysis;
using SiteSync.Protocol.Admin;

namespace SiteSync.Central.Admin;

/// <summary>What an application service answers: a value, or an expected failure with a stable code. The admin API and the
/// UI both map it through <see cref="AdminProblems"/> (to ProblemDetails, or to a status and a message on the page), so a rule
/// is enforced once, in the service, and reported the same way on both surfaces.</summary>
[SuppressMessage("Design", "CA1000", Justification = "AdminResult<Site>.NotFound(…) reads as what it returns; a non-generic factory would need the type argument anyway.")]
public sealed record AdminResult<T>(T? Value, AdminFailure? Failure)
{
    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Failure))]
    public bool IsOk => Failure is null;

    public static AdminResult<T> Ok(T value) => new(value, null);

    public static AdminResult<T> Invalid(string field, string message) =>
        new(default, new AdminFailure(AdminFailureKind.Invalid, AdminErrorCodes.ValidationFailed, message, field));

    public static AdminResult<T> NotFound(string message) =>
        new(default, new AdminFailure(AdminFailureKind.NotFound, AdminErrorCodes.NotFound, message, null));

    /// <summary>A refusal by a rule; <paramref name="field"/> names the input it is about, so a form can mark it.</summary>
    public static AdminResult<T> Conflict(string code, string message, string? field = null) =>
        new(default, new AdminFailure(AdminFailureKind.Conflict, code, message, field));

    public static AdminResult<T> Forbidden(string message) =>
        new(default, new AdminFailure(AdminFailureKind.Forbidden, AdminErrorCodes.Forbidden, message, null));

    public static AdminResult<T> Fail(AdminFailure failure) => new(default, failure);

    /// <summary>The value when there is one, else not found with <paramref name="message"/>.</summary>
    public static AdminResult<T> Found(T? value, string message) => value is null ? NotFound(message) : Ok(value);

    /// <summary>The next step on the value; a failure stays the failure it was.</summary>
    public AdminResult<TNext> Then<TNext>(Func<T, AdminResult<TNext>> next) => IsOk ? next(Value) : AdminResult<TNext>.Fail(Failure);

    /// <summary>The next step on the value; a failure stays the failure it was.</summary>
    public async Task<AdminResult<TNext>> ThenAsync<TNext>(Func<T, Task<AdminResult<TNext>>> next) =>
        IsOk ? await next(Value) : AdminResult<TNext>.Fail(Failure);

    /// <summary>The value mapped by a step that cannot fail; a failure stays the failure it was.</summary>
    public async Task<AdminResult<TNext>> SelectAsync<TNext>(Func<T, Task<TNext>> next) =>
        IsOk ? AdminResult<TNext>.Ok(await next(Value)) : AdminResult<TNext>.Fail(Failure);
}

public enum AdminFailureKind
{
    Invalid,
    NotFound,
    Conflict,
    Forbidden,
}

/// <summary>An expected failure: its kind picks the status (400/404/409/403), its code is the ProblemDetails <c>code</c>, its
/// field (when set) the input it is about.</summary>
public sealed record AdminFailure(AdminFailureKind Kind, string Code, string Message, string? Field);
