using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SiteSync.Remote.Sync;

namespace SiteSync.Cli.Remote;

/// <summary><c>sitesync remote sync [--json]</c>: one full cycle; exit 0 only if it completed.</summary>
public static class SyncCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("sync", "Run one full sync cycle.");
        command.SetAction((parse, cancellationToken) => RemoteCommand.WithSiteAsync(parse, context, async site =>
        {
            var json = parse.GetValue(RemoteCommand.Json);
            var progress = new ProgressRenderer(context);
            SyncReport report;
            try
            {
                report = await site.SyncAsync(
                    new SyncCycleOptions { Progress = json ? null : progress, StopAfterBatch = context.Stopping }, cancellationToken);
            }
            catch (Exception exception) when (json && RemoteCommand.ExitCodeOf(exception) is { } code)
            {
                // A script reads stdout: it gets a failure object there too (the message also goes to stderr, for people).
                var failure = new SyncFailure(SyncOutcomes.Failed, RemoteCommand.CodeOf(exception), exception.Message,
                    exception is Protocol.Client.SyncApiException api ? (int)api.StatusCode : null, code);
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(failure, CliJsonContext.Default.SyncFailure));
                await context.Error.WriteLineAsync(RemoteCommand.MessageOf(exception, site.DataDirectory, parse));
                return code;
            }
            finally
            {
                progress.Complete();
            }

            await context.Out.WriteLineAsync(json ? JsonSerializer.Serialize(report, CliJsonContext.Default.SyncReport) : Describe(report));
            return report.Outcome == SyncOutcomes.Ok ? ExitCodes.Ok : ExitCodes.Failure;
        }));
        return command;
    }

    internal static string Describe(SyncReport report)
    {
        var unknown = report.UnknownTables.Count > 0 ? $"; unknown tables kept: {string.Join(", ", report.UnknownTables)}" : "";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"sync {report.Outcome}: pushed {report.Pushed}, pulled {report.PulledCentral} change-log + {report.PulledQueue} queue, integrated {report.Integrated} in {report.Duration.TotalSeconds:0.0} s; request size {report.RequestSize}{unknown}");
    }
}
