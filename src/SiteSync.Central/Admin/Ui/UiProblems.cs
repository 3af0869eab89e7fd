namespace SiteSync.Central.Admin.Ui;

/// <summary>How a page shows a service failure: the same status code and the same message as the admin API's ProblemDetails
/// (<see cref="AdminProblems"/>), so a refusal reads the same in a script and in the browser.</summary>
public static class UiProblems
{
    /// <summary>Sets the response's status for <paramref name="failure"/> and answers the message to show.</summary>
    public static string Show(HttpContext context, AdminFailure failure)
    {
        context.Response.StatusCode = failure.StatusCode();
        return failure.Message;
    }

    /// <summary>A change refused to a user without "Edit sync settings" (the API refuses it before it reaches a handler).</summary>
    public static AdminFailure ReadOnly(string change) => new(AdminFailureKind.Forbidden, Protocol.Admin.AdminErrorCodes.Forbidden,
        $"You have read-only access: {change} needs the Edit sync settings permission. Nothing was changed.", null);
}
