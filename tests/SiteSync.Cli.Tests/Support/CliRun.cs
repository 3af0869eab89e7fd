using SiteSync.Testing;

namespace SiteSync.Cli.Tests.Support;

/// <summary>Runs <c>sitesync</c> in-process against a fake central, with captured output, in a fresh data directory.</summary>
public sealed class CliRun : IDisposable
{
    public CliRun()
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "sitesync-cli-tests", Guid.NewGuid().ToString("N"));
    }

    public FakeCentral Central { get; } = new();
    public string DataDirectory { get; }

    public async Task<(int ExitCode, string Out, string Error)> InvokeAsync(string stdin, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var context = new CliContext
        {
            Out = output,
            Error = error,
            In = new StringReader(stdin),
            CreateHandler = () => new NonDisposingHandler(Central),
            Environment = name => name == "SITESYNC_REMOTE_DATA" ? DataDirectory : null,
        };

        var exitCode = await SiteSyncCommand.InvokeAsync(args, context);
        return (exitCode, output.ToString(), error.ToString());
    }

    /// <summary>A site set up through the command itself, against the fake central's credentials.</summary>
    public async Task InitAsync(bool withAuthCode = true)
    {
        var stdin = FakeCentral.Password + "\n" + (withAuthCode ? "code-1234\n" : "");
        string[] args = ["remote", "init", "--server", FakeCentral.Url.ToString(), "--site", FakeCentral.SiteName, "--password-stdin", "--hardware-id", "hw-cli"];
        var (exitCode, _, error) = await InvokeAsync(stdin, withAuthCode ? [.. args, "--auth-code-stdin"] : args);
        Assert.True(exitCode == 0, error);
    }

    public void Dispose()
    {
        Central.Dispose();
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }

    private sealed class NonDisposingHandler(HttpMessageHandler inner) : HttpMessageHandler
    {
        private readonly HttpMessageInvoker _invoker = new(inner, disposeHandler: false);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            _invoker.SendAsync(request, cancellationToken);
    }
}
