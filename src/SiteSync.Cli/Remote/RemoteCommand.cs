using System.CommandLine;
using SiteSync.Protocol.Client;
using SiteSync.Protocol.Sync;
using SiteSync.Remote;
using SiteSync.Remote.Sync;

namespace SiteSync.Cli.Remote;

/// <summary><c>sitesync remote …</c>: set up and run a remote site (DESIGN §6).</summary>
public static class RemoteCommand
{
    public const string DataEnvironmentVariable = "SITESYNC_REMOTE_DATA";
    public const string DefaultDataDirectory = "sitesync-remote";

    public static readonly Option<string?> Data = new("--data")
    {
        Description = $"The site's data directory (default: ${DataEnvironmentVariable}, else ./{DefaultDataDirectory}).",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json") { Description = "Machine-readable JSON output.", Recursive = true };

    private static readonly string[] CentralRefusals =
    [
        SyncErrorCodes.SiteNameNotFound, SyncErrorCodes.SiteIncorrectPassword, SyncErrorCodes.SiteIncorrectHardwareId,
        SyncErrorCodes.SiteAuthTimeout, SyncErrorCodes.ApiVersionIncompatible, SyncErrorCodes.SiteHasNoStore,
        SyncErrorCodes.StoreNotActiveOnSite,
    ];

    public static Command Create(CliContext context)
    {
        var command = new Command("remote", "Set up and run a remote site.");
        command.Add(Data);
        command.Add(Json);
        command.Add(InitCommand.Create(context));
        command.Add(SyncCommand.Create(context));
        command.Add(RunCommand.Create(context));
        command.Add(StatusCommand.Create(context));
        command.Add(CheckCommand.Create(context));
        command.Add(VerifyCommand.Create(context));
        command.Add(ConfigCommand.Create(context));
        command.Add(RecordsCommand.Create(context));
        return command;
    }

    /// <summary>Opens the site of <c>--data</c> and runs <paramref name="action"/>, mapping failures to exit codes with one
    /// message on the error writer.</summary>
    public static async Task<int> WithSiteAsync(ParseResult parse, CliContext context, Func<RemoteSite, Task<int>> action)
    {
        var directory = parse.GetValue(Data) ?? context.Environment(DataEnvironmentVariable) ?? DefaultDataDirectory;
        using var http = new HttpClient(context.CreateHandler()) { Timeout = Timeout.InfiniteTimeSpan };
        var site = new RemoteSite(http, new RemoteSiteOptions { DataDirectory = directory, HardwareId = context.Environment(HardwareId.EnvironmentVariable) }, context.Time);
        try
        {
            return await action(site);
        }
        catch (Exception exception) when (ExitCodeOf(exception) is { } code)
        {
            await context.Error.WriteLineAsync(MessageOf(exception, site.DataDirectory, parse));
            return code;
        }
    }

    /// <summary>A command line to suggest, keeping the <c>--data</c> the user gave (a hint that drops it would act on another
    /// site's directory).</summary>
    public static string Suggest(ParseResult parse, string command)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var data = parse.GetValue(Data);
        return data is null ? $"sitesync remote {command}" : $"sitesync remote {command} --data {Quote(data)}";
    }

    /// <summary>The short code of a failure, for <c>--json</c> output: central's error code, <c>http_NNN</c>, the cycle's or
    /// the local refusal's code, or <c>connection_error</c>.</summary>
    internal static string CodeOf(Exception exception) => exception switch
    {
        RemoteRefusedException refused => refused.Code,
        SyncApiException { ErrorCode: { } code } => code,
        SyncApiException api => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"http_{(int)api.StatusCode}"),
        SyncCycleException cycle => cycle.Code,
        HttpRequestException => SyncCycleErrorCodes.ConnectionError,
        _ => "failed",
    };

    private static string Quote(string value) =>
        value.Length > 0 && value.All(c => char.IsLetterOrDigit(c) || c is '/' or '.' or '-' or '_' or '~') ? value : $"'{value.Replace("'", "'\\''", StringComparison.Ordinal)}'";

    internal static int? ExitCodeOf(Exception exception) => exception switch
    {
        RemoteRefusedException { Code: RefusalCodes.NotSetUp } => ExitCodes.Failure,
        RemoteRefusedException { Code: RefusalCodes.InvalidSetting } => ExitCodes.Usage,
        RemoteRefusedException => ExitCodes.RefusedLocally,
        SyncApiException { ErrorCode: { } code } when IsCentralRefusal(code) => ExitCodes.RefusedByCentral,
        SyncApiException or SyncCycleException or HttpRequestException or InvalidOperationException or IOException => ExitCodes.Failure,
        _ => null,
    };

    internal static bool IsCentralRefusal(string code) => CentralRefusals.Contains(code, StringComparer.Ordinal);

    internal static string MessageOf(Exception exception, string directory, ParseResult parse) => exception switch
    {
        RemoteRefusedException { Code: RefusalCodes.NotSetUp } =>
            $"refused ({RefusalCodes.NotSetUp}): {directory} holds no site; run '{Suggest(parse, "init")} --server URL --site NAME' first.",
        RemoteRefusedException { Code: RefusalCodes.AlreadySetUp } =>
            $"refused ({RefusalCodes.AlreadySetUp}): {directory} already holds a site; change it with '{Suggest(parse, "config set")} KEY VALUE', or use another --data directory.",
        RemoteRefusedException refused => $"refused ({refused.Code}): {refused.Message}",
        SyncApiException { ErrorCode: { } code } api => $"central refused ({code}, HTTP {(int)api.StatusCode}): {api.Message}",
        SyncApiException api => $"central answered HTTP {(int)api.StatusCode}: {api.Message}",
        SyncCycleException cycle => $"sync failed ({cycle.Code}): {cycle.Message}",
        HttpRequestException http => $"no connection to central (connection_error): {http.Message}",
        _ => exception.Message,
    };

    /// <summary>Reads a secret: the next line of standard input when <paramref name="fromStdin"/>, else a no-echo prompt.</summary>
    public static async Task<string?> ReadSecretAsync(CliContext context, bool fromStdin, string prompt)
    {
        if (fromStdin)
        {
            return (await context.In.ReadLineAsync())?.TrimEnd('\r');
        }

        return context.ReadSecret(prompt);
    }
}
