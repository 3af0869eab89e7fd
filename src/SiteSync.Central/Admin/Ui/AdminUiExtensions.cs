using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using SiteSync.Central.Auth;

namespace SiteSync.Central.Admin.Ui;

public static class AdminUiExtensions
{
    /// <summary>The admin web UI: Razor components rendered on the server only (STYLE §15), no interactive render mode.</summary>
    public static WebApplicationBuilder AddAdminUi(this WebApplicationBuilder builder)
    {
        builder.AddAdmin();
        builder.Services.AddRazorComponents();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<ViewerClock>();
        // Run from a build (dotnet run, tests), the CSS and JS and their compressed copies (which a browser asks for) are found
        // through the build's manifest, in every environment, not only Development. A published app has them all in wwwroot
        // and no manifest, and this does nothing.
        builder.WebHost.UseStaticWebAssets();
        return builder;
    }

    /// <summary>The pages, their static files, and the logout post. Needs <c>UseAntiforgery()</c> in the pipeline: every form
    /// of the UI carries a token and a post without one is refused.</summary>
    public static IEndpointRouteBuilder MapAdminUi(this IEndpointRouteBuilder app)
    {
        app.MapStaticAssets();
        app.MapRazorComponents<App>();
        // Logging out is a post with the antiforgery token, so another site cannot log a user out behind their back.
        app.MapPost("/logout", Logout).RequireAuthorization(Policies.Viewer)
            .WithMetadata(new RequireAntiforgeryTokenAttribute()).WithName("Logout");
        return app;
    }

    /// <summary>Gives a reason to the pages' empty refusals. A page's form post without a valid antiforgery token, or with a
    /// body that is not a form, is answered 400 with an empty HTML body by the framework (which <c>UseStatusCodePages</c>
    /// leaves alone, the content type being set); this writes the reason as problem details instead. Goes after
    /// <c>UseAntiforgery()</c>, whose verdict it reads.</summary>
    public static IApplicationBuilder UseFormRefusalReasons(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        await next(context);
        var response = context.Response;
        if (response.HasStarted || response.StatusCode != StatusCodes.Status400BadRequest || response.ContentLength is > 0
            || !HttpMethods.IsPost(context.Request.Method))
        {
            return;
        }
        // The verdict, not Request.HasFormContentType: the form feature throws once antiforgery has refused the request.
        var reason = context.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: false }
            ? "A valid antiforgery token is required: reload the page and submit the form again."
            : "This page accepts only its own form (application/x-www-form-urlencoded with its antiforgery token).";
        response.ContentLength = null;
        response.ContentType = null;
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = StatusCodes.Status400BadRequest, Title = reason, Detail = reason },
        });
    });

    private static async Task<Results<RedirectHttpResult, ProblemHttpResult>> Logout(HttpContext context, IAuthenticationService authentication)
    {
        // The antiforgery middleware only records its verdict; an endpoint that binds no form has to act on it itself. No
        // verdict at all (UseAntiforgery missing) is a refusal too.
        if (context.Features.Get<IAntiforgeryValidationFeature>() is not { IsValid: true })
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "A valid antiforgery token is required to log out.");
        }
        await authentication.SignOutAsync(context, Policies.CookieScheme, null);
        return TypedResults.Redirect("/login");
    }
}
