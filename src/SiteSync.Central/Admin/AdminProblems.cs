using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SiteSync.Protocol.Admin;

namespace SiteSync.Central.Admin;

/// <summary>The one mapping of a service's expected failure to what a caller sees: its HTTP status (400 invalid, 404 not found,
/// 409 conflict, 403 forbidden), and ProblemDetails with <c>code</c> (and <c>field</c>) for the API. The UI pages use the same
/// status and the same message (<see cref="Ui.UiProblems"/>).</summary>
public static class AdminProblems
{
    public static int StatusCode(this AdminFailure failure) => failure.Kind switch
    {
        AdminFailureKind.Invalid => StatusCodes.Status400BadRequest,
        AdminFailureKind.NotFound => StatusCodes.Status404NotFound,
        AdminFailureKind.Forbidden => StatusCodes.Status403Forbidden,
        _ => StatusCodes.Status409Conflict,
    };

    public static ProblemHttpResult ToProblem(this AdminFailure failure)
    {
        Dictionary<string, object?> extensions = new() { ["code"] = failure.Code };
        if (failure.Field is not null)
        {
            extensions["field"] = failure.Field;
        }
        return TypedResults.Problem(new ProblemDetails
        {
            Status = failure.StatusCode(),
            Title = failure.Message,
            Detail = failure.Message,
            Extensions = extensions,
        });
    }

    /// <summary>Every admin endpoint's answer: <paramref name="ok"/> of the value, or the failure as ProblemDetails.</summary>
    public static Results<TOk, ProblemHttpResult> ToHttp<T, TOk>(this AdminResult<T> result, Func<T, TOk> ok)
        where TOk : IResult =>
        result.IsOk ? ok(result.Value) : result.Failure.ToProblem();

    public static AdminFailure NotFound(string message) => new(AdminFailureKind.NotFound, AdminErrorCodes.NotFound, message, null);

    public static AdminFailure Invalid(string field, string message) =>
        new(AdminFailureKind.Invalid, AdminErrorCodes.ValidationFailed, message, field);

    public static AdminFailure Conflict(string code, string message, string? field = null) =>
        new(AdminFailureKind.Conflict, code, message, field);
}
