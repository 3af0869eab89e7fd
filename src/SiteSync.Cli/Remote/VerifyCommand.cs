using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SiteSync.Protocol.Sync;
using SiteSync.Remote.Integrity;

namespace SiteSync.Cli.Remote;

/// <summary><c>sitesync remote verify [--json]</c>: the integrity audit. Compares the records this site holds with central's copy
/// and names those that differ; central keeps the result for the site window. Exit 0 when the site matches, 1 when it differs
/// or the audit failed, 3 when central refused.</summary>
public static class VerifyCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("verify", "Check that the records this site holds match central's copy; name those that differ.");
        command.SetAction((parse, cancellationToken) => RemoteCommand.WithSiteAsync(parse, context, async site =>
        {
            var result = await site.VerifyAsync(cancellationToken);
            if (parse.GetValue(RemoteCommand.Json))
            {
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(result, CliJsonContext.Default.IntegrityVerification));
            }
            else
            {
                foreach (var line in Describe(result))
                {
                    await context.Out.WriteLineAsync(line);
                }
            }

            return result.Matches ? ExitCodes.Ok : ExitCodes.Failure;
        }));
        return command;
    }

    private static IEnumerable<string> Describe(IntegrityVerification result)
    {
        var at = result.CheckedAt.ToString("u", CultureInfo.InvariantCulture);
        if (result.Matches)
        {
            yield return Invariant($"matches: the {result.RecordsChecked} records of this site match central's copy ({result.Groups.Count} groups, checked {at}).");
        }
        else
        {
            var differing = result.Groups.Where(g => !g.Matches).ToList();
            yield return Invariant($"differs: {differing.Count} of {result.Groups.Count} groups differ from central's copy (checked {at}):");
            foreach (var group in differing)
            {
                yield return Invariant($"  {Group(group.TableName, group.StoreId)}: site {group.SiteCount} records, central {group.CentralCount}");
            }

            yield return Invariant($"{result.DifferenceCount} record(s) differ:");
            foreach (var difference in result.Differences)
            {
                yield return $"  {difference.TableName} {difference.RecordId}{(difference.StoreId is null ? "" : $" (store {difference.StoreId})")}: {Kind(difference.Kind)}";
            }

            if (result.DifferenceCount > result.Differences.Count)
            {
                yield return Invariant($"  … and {result.DifferenceCount - result.Differences.Count} more");
            }

            if (!result.IsSettled)
            {
                yield return Invariant(
                    $"note: this site has {result.PendingPush} local change(s) not pushed, {result.Buffered} pulled record(s) not integrated, and central's change log is at {result.CentralMaxCursor} (this site: {result.CentralCursor}); run 'sitesync remote sync', then verify again.");
            }
        }

        if (result.OtherStoreRecords > 0 || result.UnknownTableRecords > 0)
        {
            yield return Invariant(
                $"not audited: {result.OtherStoreRecords} record(s) of stores not active on this site (transfers), {result.UnknownTableRecords} of unknown tables.");
        }
    }

    private static string Group(string table, string? store) => store is null ? table : $"{table}, store {store}";

    private static string Kind(string kind) => kind switch
    {
        IntegrityDifferenceKinds.MissingAtSite => "missing at this site",
        IntegrityDifferenceKinds.MissingAtCentral => "missing at central",
        _ => "different content",
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
