using System.CommandLine;
using System.Text.Json;

namespace SiteSync.Cli.Remote;

/// <summary><c>sitesync remote check [--json]</c>: URL, credentials and hardware id against central, without syncing (rule 20).</summary>
public static class CheckCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("check", "Test the connection to central without syncing; print the exact outcome.");
        command.SetAction((parse, cancellationToken) => RemoteCommand.WithSiteAsync(parse, context, async site =>
        {
            var result = await site.CheckAsync(cancellationToken);
            await context.Out.WriteLineAsync(parse.GetValue(RemoteCommand.Json)
                ? JsonSerializer.Serialize(result, CliJsonContext.Default.CheckResult)
                : result.IsOk ? $"ok: {result.Message}" : $"{result.Code}: {result.Message}");
            return result.IsOk ? ExitCodes.Ok
                : RemoteCommand.IsCentralRefusal(result.Code) ? ExitCodes.RefusedByCentral
                : ExitCodes.Failure;
        }));
        return command;
    }
}
