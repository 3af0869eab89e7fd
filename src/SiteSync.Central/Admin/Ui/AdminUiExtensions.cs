using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using SiteSync.Central.Auth;

namespace SiteSync.Central.Admin.Ui;

public static class AdminUiExtensions
{
    /// <summary>The admin web UI: Razor components rendered on the server only (STYLE §15), no interactive render mode.</summary>
    public static WebApplicationBuilder AddAdminUi(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents();
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

    private static async Task Logout(HttpContext context)
    {
        await context.SignOutAsync(Policies.CookieScheme);
        context.Response.Redirect("/login");
    }
}
