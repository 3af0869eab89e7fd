using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace SiteSync.Central.Admin;

/// <summary>Maps a service's expected failure to ProblemDetails: 400 invalid, 404 not found, 409 conflict, with <c>code</c>.</summary>
public static class AdminProblems
{
    public static ProblemHttpResult ToProblem(this AdminFailure failure)
    {
        var status = failure.Kind switch
        {
            AdminFailureKind.Invalid => StatusCodes.Status400BadRequest,
            AdminFailureKind.NotFound => StatusCodes.Status404NotFound,
            _ => StatusCodes.Status409Conflict,
        };
        Dictionary<string, object?> extensions = new() { ["code"] = failure.Code };
        if (failure.Field is not null)
        {
            extensions["field"] = failure.Field;
        }
        return TypedResults.Problem(new ProblemDetails
        {
            Status = status,
            Title = failure.Message,
            Detail = failure.Message,
            Extensions = extensions,
        });
    }

    public static ProblemHttpResult NotFound(string message) =>
        new AdminFailure(AdminFailureKind.NotFound, Protocol.Admin.AdminErrorCodes.NotFound, message, null).ToProblem();

    public static ProblemHttpResult Invalid(string field, string message) =>
        new AdminFailure(AdminFailureKind.Invalid, Protocol.Admin.AdminErrorCodes.ValidationFailed, message, field).ToProblem();
}
