using System.CommandLine;
using System.Globalization;

namespace SiteSync.Cli.Remote;

/// <summary><c>sitesync remote run</c>: cycles at the interval until Ctrl-C (clean stop after the batch in flight); interval 0
/// pauses, and the interval is re-read every minute.</summary>
public static class RunCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("run", "Sync at the configured interval until Ctrl-C.");
        command.SetAction((parse, cancellationToken) => RemoteCommand.WithSiteAsync(parse, context, async site =>
        {
            var progress = new ProgressRenderer(context);
            await context.Out.WriteLineAsync("Syncing at the configured interval; Ctrl-C stops after the batch in flight.");
            await site.RunAsync(
                progress,
                report =>
                {
                    progress.Complete();
                    context.Out.WriteLine($"{Now(context)} {SyncCommand.Describe(report)}");
                },
                exception =>
                {
                    progress.Complete();
                    context.Error.WriteLine($"{Now(context)} sync failed: {exception.Message}");
                },
                context.Stopping);
            await context.Out.WriteLineAsync("Stopped.");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static string Now(CliContext context) => context.Time.GetUtcNow().ToString("u", CultureInfo.InvariantCulture);
}
