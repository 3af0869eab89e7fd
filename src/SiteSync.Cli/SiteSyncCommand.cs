using System.CommandLine;
using SiteSync.Cli.Remote;

namespace SiteSync.Cli;

/// <summary>The <c>sitesync</c> root command.</summary>
public static class SiteSyncCommand
{
    public static RootCommand Create(CliContext context)
    {
        var root = new RootCommand("SiteSync: sync for offline-first medical supply chains.");
        root.Add(RemoteCommand.Create(context));
        return root;
    }

    /// <summary>Parses and runs; parse errors print to the error writer and exit with <see cref="ExitCodes.Usage"/>.</summary>
    public static async Task<int> InvokeAsync(string[] args, CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var result = Create(context).Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors)
            {
                await context.Error.WriteLineAsync(error.Message);
            }

            await context.Error.WriteLineAsync("Run 'sitesync remote --help' for usage.");
            return ExitCodes.Usage;
        }

        return await result.InvokeAsync(
            new InvocationConfiguration { Output = context.Out, Error = context.Error, ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false },
            CancellationToken.None);
    }
}
