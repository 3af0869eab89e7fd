using System.Text;
using Microsoft.EntityFrameworkCore;
using SiteSync.Remote.Storage;
using SiteSync.Remote.Tests.Support;
using SiteSync.Testing;

namespace SiteSync.Remote.Tests;

public sealed class SettingsTests : IDisposable
{
    private readonly FakeCentral _central = new();
    private TestSite? _site;

    private async Task<RemoteSite> SiteAsync(bool withAuthCode = true)
    {
        _site = await TestSite.CreateAsync(_central, withAuthCode);
        return _site.Site;
    }

    [Fact]
    public async Task IntervalChangesWithoutTheAuthorisationCode()
    {
        var site = await SiteAsync();

        await site.SetConfigAsync("interval", "0", null, TestContext.Current.CancellationToken);

        Assert.Equal(0, (await site.GetStatusAsync(TestContext.Current.CancellationToken)).IntervalMinutes);
    }

    [Theory]
    [InlineData("server", "http://elsewhere:5080/")]
    [InlineData("site", "another-name")]
    [InlineData("password", "new password")]
    [InlineData("request-size-max", "50")]
    [InlineData("hardware-id", "hw-2")]
    public async Task ProtectedSettingIsRefusedWithoutTheAuthorisationCode(string key, string value)
    {
        var site = await SiteAsync();

        var refusal = await Assert.ThrowsAsync<RemoteRefusedException>(
            () => site.SetConfigAsync(key, value, null, TestContext.Current.CancellationToken));

        Assert.Equal(RefusalCodes.AuthorisationRequired, refusal.Code);
    }

    [Fact]
    public async Task ProtectedSettingIsRefusedWithAWrongCodeAndLeftUnchanged()
    {
        var site = await SiteAsync();

        await Assert.ThrowsAsync<RemoteRefusedException>(
            () => site.SetConfigAsync("site", "another-name", "wrong-code", TestContext.Current.CancellationToken));

        Assert.Equal(FakeCentral.SiteName, (await site.GetStatusAsync(TestContext.Current.CancellationToken)).SiteName);
    }

    [Fact]
    public async Task ProtectedSettingChangesWithTheRightCode()
    {
        var site = await SiteAsync();

        await site.SetConfigAsync("site", "another-name", TestSite.AuthCode, TestContext.Current.CancellationToken);

        Assert.Equal("another-name", (await site.GetStatusAsync(TestContext.Current.CancellationToken)).SiteName);
    }

    [Fact]
    public async Task ChangedPasswordIsWhatTheNextRequestAuthenticatesWith()
    {
        var site = await SiteAsync();
        await site.SetConfigAsync("password", "wrong password", TestSite.AuthCode, TestContext.Current.CancellationToken);

        var result = await site.CheckAsync(TestContext.Current.CancellationToken);

        Assert.Equal("site_incorrect_password", result.Code);
    }

    [Fact]
    public async Task NeitherThePlainPasswordNorTheCodeIsStoredOnlyThePasswordHash()
    {
        await SiteAsync();

        var text = new StringBuilder();
        foreach (var file in Directory.GetFiles(_site!.DataDirectory))
        {
            text.Append(Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken)));
        }

        Assert.DoesNotContain(FakeCentral.Password, text.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(TestSite.AuthCode, text.ToString(), StringComparison.Ordinal);
        Assert.Contains(FakeCentral.PasswordSha256, text.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigGetNeverShowsSecrets()
    {
        var site = await SiteAsync();

        var config = await site.GetConfigAsync(TestContext.Current.CancellationToken);

        Assert.Equal("set", config.Single(c => c.Key == "password").Value);
        Assert.Equal("set", config.Single(c => c.Key == "authorisation-code").Value);
        Assert.DoesNotContain(config, c => c.Value.Contains(FakeCentral.PasswordSha256, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SiteSetUpWithoutACodeAcceptsProtectedChanges()
    {
        var site = await SiteAsync(withAuthCode: false);

        await site.SetConfigAsync("request-size-max", "50", null, TestContext.Current.CancellationToken);

        Assert.Equal(50, (await site.GetStatusAsync(TestContext.Current.CancellationToken)).RequestSizeMax);
    }

    [Fact]
    public async Task InitOnADirectoryThatHoldsASiteIsRefused()
    {
        var site = await SiteAsync();

        var refusal = await Assert.ThrowsAsync<RemoteRefusedException>(() => site.InitAsync(
            new RemoteSetup(FakeCentral.Url, "x", "y"), TestContext.Current.CancellationToken));

        Assert.Equal(RefusalCodes.AlreadySetUp, refusal.Code);
    }

    [Fact]
    public async Task HardwareIdFromTheOptionsOverridesTheOneSetAtInit()
    {
        await SiteAsync();
        var overridden = new TestSite(_central, _site!.DataDirectory, o => o.HardwareId = "hw-from-env");

        await overridden.Site.CheckAsync(TestContext.Current.CancellationToken);

        Assert.Equal("hw-from-env", _central.Requests[^1].Headers["msupply-site-uuid"]);
    }

    [Fact]
    public async Task InvalidIntervalIsRefused()
    {
        var site = await SiteAsync();

        var refusal = await Assert.ThrowsAsync<RemoteRefusedException>(
            () => site.SetConfigAsync("interval", "-1", null, TestContext.Current.CancellationToken));

        Assert.Equal(RefusalCodes.InvalidSetting, refusal.Code);
    }

    [Fact]
    public async Task MigrationsCoverTheModel()
    {
        await SiteAsync();
        await using var db = new LocalDatabase(_site!.DataDirectory).CreateContext();

        Assert.False(db.Database.HasPendingModelChanges());
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task DatabaseRunsInWalMode()
    {
        await SiteAsync();

        Assert.Equal("wal", await _site!.ScalarAsync<string>("PRAGMA journal_mode"));
    }

    public void Dispose()
    {
        _site?.Dispose();
        _central.Dispose();
    }
}
