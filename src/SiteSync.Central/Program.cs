using SiteSync.Central.Admin;
using SiteSync.Central.Admin.Ui;
using SiteSync.Central.Auth;
using SiteSync.Central.Diagnostics;
using SiteSync.Central.Hosting;
using SiteSync.Central.Integrity;
using SiteSync.Central.Logs;
using SiteSync.Central.Patients;
using SiteSync.Central.Records;
using SiteSync.Central.Sites;
using SiteSync.Central.Storage;
using SiteSync.Central.Stores;
using SiteSync.Central.Support;
using SiteSync.Central.Sync;
using SiteSync.Central.Users;

// `dotnet SiteSync.Central.dll` serves; `migrate`, `backup --to FILE` and `help` run once and exit (ServerCommand).
var command = ServerCommand.Parse(args);
var builder = command.CreateBuilder();

// Hosting defaults, telemetry, health, proxies, storage (SQLite or PostgreSQL, bootstrap), authentication, rate limits.
builder.AddServerDefaults();
builder.AddSiteSyncTelemetry();
builder.AddSiteSyncHealth();
builder.AddSiteSyncForwardedHeaders();
builder.AddSiteSyncStorage();
builder.AddSiteSyncAuth();
builder.AddSiteSyncRateLimits();

// The features, each registering its own services (and the features it uses).
builder.AddSites();
builder.AddStores();
builder.AddRecords();
builder.AddUsers();
builder.AddSupport();
builder.AddSiteLogs();
builder.AddSync();
builder.AddPatients();
builder.AddIntegrityAudit();

// The admin surfaces: API, its OpenAPI document, and the UI.
builder.AddAdmin();
builder.AddAdminApiDocument();
builder.AddAdminUi();

var app = builder.Build();

// The client's address, scheme and host as a trusted proxy saw them; then errors, so every later failure gets its shape.
app.UseForwardedHeaders();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseResponseCompression();
app.UseSyncTelemetry();

// Who is calling, and what they may do; password attempts are rate limited before any hash is computed.
app.UseSiteSyncRateLimits();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();
app.UseFormRefusalReasons();

// The surfaces.
app.MapSyncApi();
app.MapPatientApi();
app.MapIntegrityApi();
app.MapAdminApi();
app.MapAdminApiDocument();
app.MapAdminUi();
app.MapSiteSyncHealth();
app.MapSiteSyncTelemetry();

return await command.RunAsync(app);
