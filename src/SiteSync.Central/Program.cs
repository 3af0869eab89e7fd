using SiteSync.Central.Admin;
using SiteSync.Central.Admin.Ui;
using SiteSync.Central.Auth;
using SiteSync.Central.Hosting;
using SiteSync.Central.Storage;

var builder = WebApplication.CreateBuilder(args);

// Hosting defaults, storage (SQLite or PostgreSQL), authentication, application services.
builder.AddServerDefaults();
builder.AddSiteSyncStorage();
builder.AddSiteSyncAuth();
builder.AddAdmin();
builder.AddAdminUi();

var app = builder.Build();

// Errors first, so every later failure gets its 4xx/5xx shape.
app.UseExceptionHandler();
app.UseStatusCodePages();

// Who is calling, and what they may do.
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

// The surfaces.
app.MapAdminApi();
app.MapAdminUi();
app.MapHealthChecks("/health");

app.Run();
