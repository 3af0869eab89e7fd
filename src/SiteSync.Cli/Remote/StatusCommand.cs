using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SiteSync.Remote;

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
            var stores = new List<string>();
            foreach (var id in status.ActiveStoreIds)
            {
                stores.Add(await DescribeStoreAsync(site, id, cancellationToken));
            }

            string[] lines =
            [
                $"Site:            {status.SiteName} (site id {Show(status.SiteId)}, central site {Show(status.CentralSiteId)})",
                $"Server:          {status.ServerUrl}",
                $"Hardware id:     {status.HardwareId}",
                $"Data:            {status.DataDirectory}",
                $"Initialised:     {(status.IsInitialised ? "yes" : "no")}",
                $"Interval:        {(status.IntervalMinutes == 0 ? "paused" : $"{status.IntervalMinutes} min")}",
                $"Request size:    {status.RequestSize} (bounds {status.RequestSizeMin}..{status.RequestSizeMax})",
                $"Active stores:   {(stores.Count == 0 ? "none" : string.Join(", ", stores))}",
                $"Pending push:    {status.PendingPush}",
                $"Buffered pull:   {status.Buffered}",
                $"Change-log at:   {status.CentralCursor}",
                $"Last sync:       {DescribeLast(last)}",
                $"Last successful: {(status.LastSuccessfulSyncAt is { } at ? $"finished {Time(at)}" : "never")}",
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

    /// <summary>The latest cycle with both of its times named: <c>ok, started 2026-11-26 05:00:00Z, finished 2026-11-26 05:00:03Z</c>.</summary>
    private static string DescribeLast(SyncLogSummary? last) => last switch
    {
        null => "never",
        { FinishedAt: { } finished } => $"{Outcome(last)}, started {Time(last.StartedAt)}, finished {Time(finished)}",
        _ => $"{Outcome(last)}, started {Time(last.StartedAt)}, not finished (still running, or the process was stopped)",
    };

    private static string Outcome(SyncLogSummary last) => last.ErrorCode is null ? last.Outcome : $"{last.Outcome} ({last.ErrorCode})";

    private static string Time(DateTimeOffset at) => at.ToString("u", CultureInfo.InvariantCulture);

    /// <summary>A store as people know it, from the <c>store</c> record the site pulled: <c>DST District store</c>; the id
    /// until that record has arrived.</summary>
    private static async Task<string> DescribeStoreAsync(RemoteSite site, string id, CancellationToken cancellationToken)
    {
        var record = await site.GetRecordAsync("store", id, cancellationToken);
        if (record is null)
        {
            return $"{id} (store record not pulled yet)";
        }
        using var json = JsonDocument.Parse(record.Data);
        var code = json.RootElement.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        var name = json.RootElement.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        return string.Join(" ", new[] { code, name }.Where(part => !string.IsNullOrWhiteSpace(part))) is { Length: > 0 } label ? label : id;
    }

    private static string Show(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "unknown";
}
