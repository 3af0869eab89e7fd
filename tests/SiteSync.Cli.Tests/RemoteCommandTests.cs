using System.Text.Json.Nodes;
using SiteSync.Cli.Tests.Support;
using SiteSync.Testing;

namespace SiteSync.Cli.Tests;

public sealed class RemoteCommandTests : IDisposable
{
    private readonly CliRun _cli = new();

    [Fact]
    public async Task InitWithPasswordStdinSetsUpTheSite()
    {
        var (exitCode, output, _) = await _cli.InvokeAsync(
            FakeCentral.Password + "\n", "remote", "init", "--server", FakeCentral.Url.ToString(), "--site", FakeCentral.SiteName, "--password-stdin");

        Assert.Equal(0, exitCode);
        Assert.Contains(FakeCentral.SiteName, output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_cli.DataDirectory, "sitesync-remote.db")));
    }

    [Fact]
    public async Task InitWithoutAPasswordIsAUsageError()
    {
        var (exitCode, _, error) = await _cli.InvokeAsync(
            "", "remote", "init", "--server", FakeCentral.Url.ToString(), "--site", FakeCentral.SiteName);

        Assert.Equal(2, exitCode);
        Assert.Contains("password", error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task InitWithoutTheServerIsAUsageError()
    {
        var (exitCode, _, _) = await _cli.InvokeAsync("pw\n", "remote", "init", "--site", "s", "--password-stdin");

        Assert.Equal(2, exitCode);
    }

    [Fact]
    public async Task StatusJsonDescribesTheSite()
    {
        await _cli.InitAsync();

        var (exitCode, output, _) = await _cli.InvokeAsync("", "remote", "status", "--json");

        Assert.Equal(0, exitCode);
        var status = JsonNode.Parse(output)!;
        Assert.Equal(FakeCentral.SiteName, (string)status["siteName"]!);
        Assert.Equal("hw-cli", (string)status["hardwareId"]!);
        Assert.Equal(5, (int)status["intervalMinutes"]!);
        Assert.True((bool)status["isAuthorisationCodeSet"]!);
    }

    [Fact]
    public async Task StatusOfADirectoryWithoutASiteFails()
    {
        var (exitCode, _, error) = await _cli.InvokeAsync("", "remote", "status");

        Assert.Equal(1, exitCode);
        Assert.Contains("init", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigSetIntervalNeedsNoCode()
    {
        await _cli.InitAsync();

        var (exitCode, _, _) = await _cli.InvokeAsync("", "remote", "config", "set", "interval", "0");
        var (_, shown, _) = await _cli.InvokeAsync("", "remote", "config", "get", "interval");

        Assert.Equal(0, exitCode);
        Assert.Equal("0", shown.Trim());
    }

    [Fact]
    public async Task ConfigSetOfAnotherKeyWithoutTheCodeIsRefusedLocally()
    {
        await _cli.InitAsync();

        var (exitCode, _, error) = await _cli.InvokeAsync("", "remote", "config", "set", "server", "http://elsewhere:5080/");

        Assert.Equal(4, exitCode);
        Assert.Contains("authorisation_code_required", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigSetOfAnotherKeyWithTheCodeFromStdinChangesIt()
    {
        await _cli.InitAsync();

        var (exitCode, _, _) = await _cli.InvokeAsync("code-1234\n", "remote", "config", "set", "server", "http://elsewhere:5080/", "--auth-code-stdin");
        var (_, shown, _) = await _cli.InvokeAsync("", "remote", "config", "get", "server");

        Assert.Equal(0, exitCode);
        Assert.Equal("http://elsewhere:5080/", shown.Trim());
    }

    [Fact]
    public async Task ConfigSetPasswordAsAnArgumentIsRefused()
    {
        await _cli.InitAsync();

        var (exitCode, _, _) = await _cli.InvokeAsync("", "remote", "config", "set", "password", "secret");

        Assert.Equal(2, exitCode);
    }

    [Fact]
    public async Task RecordsPutOfCentralDataIsRefusedWithExitCode4()
    {
        await _cli.InitAsync();

        var (exitCode, _, error) = await _cli.InvokeAsync("""{"ID":"item-1","name":"x"}""", "remote", "records", "put", "item");

        Assert.Equal(4, exitCode);
        Assert.Contains("central data", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecordsPutForAnotherSitesStoreIsRefusedWithExitCode4()
    {
        _cli.Central.AddStore("store-1", FakeCentral.SiteId);
        _cli.Central.AddStore("store-2", 99);
        await _cli.InitAsync();
        Assert.Equal(0, (await _cli.InvokeAsync("", "remote", "sync")).ExitCode);

        var (exitCode, _, error) = await _cli.InvokeAsync("""{"ID":"t-1","store_ID":"store-2"}""", "remote", "records", "put", "transact");

        Assert.Equal(4, exitCode);
        Assert.Contains("store-2", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecordsPutThenGetAndListShowTheRecord()
    {
        _cli.Central.AddStore("store-1", FakeCentral.SiteId);
        await _cli.InitAsync();
        await _cli.InvokeAsync("", "remote", "sync");

        var put = await _cli.InvokeAsync("""{"ID":"t-1","store_ID":"store-1"}""", "remote", "records", "put", "transact");
        var get = await _cli.InvokeAsync("", "remote", "records", "get", "transact", "t-1");
        var list = await _cli.InvokeAsync("", "remote", "records", "list", "transact", "--store", "store-1");

        Assert.Equal(0, put.ExitCode);
        Assert.Equal("t-1", (string)JsonNode.Parse(get.Out)!["ID"]!);
        Assert.Single(list.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task CheckReportsIncorrectPasswordWithExitCode3()
    {
        await _cli.InitAsync();
        await _cli.InvokeAsync("wrong password\ncode-1234\n", "remote", "config", "set", "password", "-", "--password-stdin", "--auth-code-stdin");

        var (exitCode, output, _) = await _cli.InvokeAsync("", "remote", "check");

        Assert.Equal(3, exitCode);
        Assert.StartsWith("site_incorrect_password", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckJsonReportsOk()
    {
        await _cli.InitAsync();

        var (exitCode, output, _) = await _cli.InvokeAsync("", "remote", "check", "--json");

        Assert.Equal(0, exitCode);
        Assert.Equal("ok", (string)JsonNode.Parse(output)!["code"]!);
    }

    [Fact]
    public async Task SyncPrintsPlainProgressLinesWhenNotOnATerminal()
    {
        _cli.Central.AddStore("store-1", FakeCentral.SiteId);
        await _cli.InitAsync();

        var (exitCode, output, _) = await _cli.InvokeAsync("", "remote", "sync");

        Assert.Equal(0, exitCode);
        Assert.Contains("pulling central records 1/1", output, StringComparison.Ordinal);
        Assert.DoesNotContain("site: 0", output, StringComparison.Ordinal);
        Assert.DoesNotContain("wait: 0", output, StringComparison.Ordinal);
        Assert.Contains("sync ok", output, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SyncRefusedByCentralExitsWith3()
    {
        await _cli.InitAsync();
        _cli.Central.BoundHardwareId = "another-device";

        var (exitCode, _, error) = await _cli.InvokeAsync("", "remote", "sync", "--json");

        Assert.Equal(3, exitCode);
        Assert.Contains("site_incorrect_hardware_id", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownCommandIsAUsageError()
    {
        var (exitCode, _, _) = await _cli.InvokeAsync("", "remote", "frobnicate");

        Assert.Equal(2, exitCode);
    }

    public void Dispose() => _cli.Dispose();
}
