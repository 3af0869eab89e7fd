using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace SiteSync.Cli.Remote;

/// <summary><c>sitesync remote status [--json]</c>.</summary>
public static class StatusCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("status", "Show the site's settings and sync state.");
        command.SetAction((parse, cancellationToken) => RemoteCommand.WithSiteAsync(parse, context, async site =>
        {
            var status = await site.GetStatusAsync(cancellationToken);
            if (parse.GetValue(RemoteCommand.Json))
            {
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(status, CliJsonContext.Default.RemoteStatus));
                return ExitCodes.Ok;
            }

            var last = status.LastCycle;
            string[] lines =
            [
                $"Site:            {status.SiteName} (site id {Show(status.SiteId)}, central site {Show(status.CentralSiteId)})",
                $"Server:          {status.ServerUrl}",
                $"Hardware id:     {status.HardwareId}",
                $"Data:            {status.DataDirectory}",
                $"Initialised:     {(status.IsInitialised ? "yes" : "no")}",
                $"Interval:        {(status.IntervalMinutes == 0 ? "paused" : $"{status.IntervalMinutes} min")}",
                $"Request size:    {status.RequestSize} (bounds {status.RequestSizeMin}..{status.RequestSizeMax})",
                $"Active stores:   {(status.ActiveStoreIds.Count == 0 ? "none" : string.Join(", ", status.ActiveStoreIds))}",
                $"Pending push:    {status.PendingPush}",
                $"Buffered pull:   {status.Buffered}",
                $"Change-log at:   {status.CentralCursor}",
                $"Last sync:       {(last is null ? "never" : $"{last.Outcome}{(last.ErrorCode is null ? "" : $" ({last.ErrorCode})")} at {last.StartedAt:u}")}",
                $"Last successful: {(status.LastSuccessfulSyncAt is { } at ? at.ToString("u", CultureInfo.InvariantCulture) : "never")}",
                $"Settings lock:   {(status.IsAuthorisationCodeSet ? "authorisation code set" : "no authorisation code")}",
            ];
            foreach (var line in lines)
            {
                await context.Out.WriteLineAsync(line);
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static string Show(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "unknown";
}
