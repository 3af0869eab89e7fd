using SiteSync.Central.Admin;
using SiteSync.Central.Admin.Ui;
using SiteSync.Central.Auth;
using SiteSync.Central.Hosting;
using SiteSync.Central.Logs;
using SiteSync.Central.Storage;
using SiteSync.Central.Sync;

var builder = WebApplication.CreateBuilder(args);

// Hosting defaults, storage (SQLite or PostgreSQL), authentication, application services.
builder.AddServerDefaults();
builder.AddSiteSyncStorage();
builder.AddSiteSyncAuth();
builder.AddAdmin();
builder.AddSiteLogs();
builder.AddSync();
builder.AddAdminUi();

var app = builder.Build();

// Errors first, so every later failure gets its 4xx/5xx shape.
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseResponseCompression();

// Who is calling, and what they may do.
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

// The surfaces.
app.MapSyncApi();
app.MapAdminApi();
app.MapAdminUi();
app.MapHealthChecks("/health");

app.Run();
