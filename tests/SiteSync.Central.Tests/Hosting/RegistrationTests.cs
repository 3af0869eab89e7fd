using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SiteSync.Central.Admin;
using SiteSync.Central.Admin.Ui;
using SiteSync.Central.Auth;
using SiteSync.Central.Bootstrap;
using SiteSync.Central.Diagnostics;
using SiteSync.Central.Hosting;
using SiteSync.Central.Integrity;
using SiteSync.Central.Logs;
using SiteSync.Central.Records;
using SiteSync.Central.Sites;
using SiteSync.Central.Storage;
using SiteSync.Central.Stores;
using SiteSync.Central.Support;
using SiteSync.Central.Sync;
using SiteSync.Central.Users;

namespace SiteSync.Central.Tests.Hosting;

/// <summary>Each feature registers its own services and the features it uses: any one <c>AddXxx</c> alone builds a host whose
/// every registration resolves (<c>ValidateOnBuild</c>), and options are checked when the host starts, not at first use.</summary>
public sealed class RegistrationTests
{
    private static readonly Dictionary<string, Action<WebApplicationBuilder>> Features = new()
    {
        ["AddSync"] = b => b.AddSync(),
        ["AddSites"] = b => b.AddSites(),
        ["AddStores"] = b => b.AddStores(),
        ["AddRecords"] = b => b.AddRecords(),
        ["AddUsers"] = b => b.AddUsers(),
        ["AddSupport"] = b => b.AddSupport(),
        ["AddSiteLogs"] = b => b.AddSiteLogs(),
        ["AddBootstrap"] = b => b.AddBootstrap(),
        ["AddIntegrityAudit"] = b => b.AddIntegrityAudit(),
        ["AddSiteSyncStorage"] = b => b.AddSiteSyncStorage(),
        ["AddSiteSyncAuth"] = b => b.AddSiteSyncAuth(),
        ["AddSiteSyncTelemetry"] = b => b.AddSiteSyncTelemetry(),
        ["AddAdmin"] = b => b.AddAdmin(),
        ["AddAdminUi"] = b => b.AddAdminUi(),
    };

    public static TheoryData<string> FeatureNames => [.. Features.Keys];

    private static WebApplicationBuilder Builder(params (string Key, string Value)[] settings)
    {
        // Development turns on ValidateScopes and ValidateOnBuild: Build() throws for any registration that cannot be resolved.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development });
        var directory = Path.Combine(Path.GetTempPath(), "sitesync-registration", Guid.NewGuid().ToString("N"));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["SiteSync:DataDirectory"] = directory,
            ["SiteSync:Database:Provider"] = "sqlite",
            ["SiteSync:Database:ConnectionString"] = $"Data Source={Path.Combine(directory, "central.db")}",
        });
        builder.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        return builder;
    }

    [Theory, MemberData(nameof(FeatureNames))]
    public async Task EachFeatureAloneBuildsAHostWhoseRegistrationsAllResolve(string feature)
    {
        var builder = Builder();
        Features[feature](builder);
        await using var app = builder.Build();
        Assert.NotNull(app.Services.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public async Task AddSyncAloneServesTheSyncApiWithItsSchemeAndPolicy()
    {
        var builder = Builder();
        builder.AddSync();
        await using var app = builder.Build();
        await using var scope = app.Services.CreateAsyncScope();
        Assert.NotNull(scope.ServiceProvider.GetRequiredService<SyncService>());
        Assert.NotNull(scope.ServiceProvider.GetRequiredService<PushService>());
        Assert.NotNull(scope.ServiceProvider.GetRequiredService<SiteAuthenticator>());
        Assert.NotNull(scope.ServiceProvider.GetRequiredService<StoreDelivery>());
        Assert.NotNull(await scope.ServiceProvider.GetRequiredService<IAuthenticationSchemeProvider>().GetSchemeAsync(Policies.SiteScheme));
        Assert.NotNull(await scope.ServiceProvider.GetRequiredService<IAuthorizationPolicyProvider>().GetPolicyAsync(Policies.Site));
        Assert.Equal(14, scope.ServiceProvider.GetRequiredService<IOptions<SyncOptions>>().Value.MaxApiVersion);
    }

    [Fact]
    public void RegisteringAFeatureTwiceRegistersItsServicesOnce()
    {
        var builder = Builder();
        builder.AddSync();
        var count = builder.Services.Count;
        builder.AddSync();
        builder.AddSites();
        var afterSites = builder.Services.Count;
        builder.AddSites();
        Assert.Equal(1, builder.Services.Count(d => d.ServiceType == typeof(SyncService)));
        Assert.Equal(afterSites, builder.Services.Count);
        Assert.True(afterSites > count);
    }

    [Theory]
    [InlineData("SiteSync:Sync:MinApiVersion", "15", "MinApiVersion (15) must not exceed MaxApiVersion (14)")]
    [InlineData("SiteSync:Sync:MaxPullLimit", "0", "MaxPullLimit")]
    [InlineData("SiteSync:ForwardedHeaders:KnownNetworks:0", "10.0.0.0/40", "'10.0.0.0/40' is not a CIDR network")]
    [InlineData("SiteSync:ForwardedHeaders:KnownProxies:0", "proxy.local", "'proxy.local' is not an IP address")]
    [InlineData("SiteSync:Admin:InitialPassword", "short", "InitialPassword")]
    [InlineData("SiteSync:Fleet:FailingAfterAuthFailures", "0", "FailingAfterAuthFailures")]
    public async Task StartRefusesAnInvalidOptionAndNamesIt(string key, string value, string expected)
    {
        var builder = Builder((key, value));
        builder.AddSync();
        builder.AddSites();
        builder.AddSiteSyncForwardedHeaders();
        await using var app = builder.Build();
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DefaultOptionsStart()
    {
        var builder = Builder();
        builder.AddSync();
        builder.AddSites();
        builder.AddSiteSyncForwardedHeaders();
        await using var app = builder.Build();
        await app.StartAsync(TestContext.Current.CancellationToken);
        await app.StopAsync(TestContext.Current.CancellationToken);
    }
}
