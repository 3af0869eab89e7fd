using System.CommandLine;
using System.Text.Json;

namespace SiteSync.Cli.Remote;

/// <summary><c>sitesync remote records put TABLE [--file FILE] | get TABLE ID | list TABLE [--store STORE_ID]</c>.</summary>
public static class RecordsCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("records", "Enter and read records of the site's database.");
        command.Add(CreatePut(context));
        command.Add(CreateGet(context));
        command.Add(CreateList(context));
        return command;
    }

    private static Command CreatePut(CliContext context)
    {
        var table = new Argument<string>("TABLE") { Description = "The legacy table, e.g. transact." };
        var file = new Option<FileInfo?>("--file") { Description = "Read the JSON from this file instead of standard input." };
        var put = new Command("put", "Store one JSON record or an array (store data of this site's stores only).") { table, file };
        put.SetAction((parse, cancellationToken) => RemoteCommand.WithSiteAsync(parse, context, async site =>
        {
            var json = parse.GetValue(file) is { } path
                ? await File.ReadAllTextAsync(path.FullName, cancellationToken)
                : await context.In.ReadToEndAsync(cancellationToken);
            var tableName = parse.GetRequiredValue(table);
            var stored = await site.PutRecordsAsync(tableName, json, cancellationToken);
            await context.Out.WriteLineAsync(parse.GetValue(RemoteCommand.Json)
                ? JsonSerializer.Serialize(new PutResult(tableName, stored), CliJsonContext.Default.PutResult)
                : $"stored {stored} {tableName} record(s); they are pushed at the next sync");
            return ExitCodes.Ok;
        }));
        return put;
    }

    private static Command CreateGet(CliContext context)
    {
        var table = new Argument<string>("TABLE");
        var id = new Argument<string>("ID");
        var get = new Command("get", "Print one record.") { table, id };
        get.SetAction((parse, cancellationToken) => RemoteCommand.WithSiteAsync(parse, context, async site =>
        {
            var record = await site.GetRecordAsync(parse.GetRequiredValue(table), parse.GetRequiredValue(id), cancellationToken);
            if (record is null)
            {
                await context.Error.WriteLineAsync($"No {parse.GetRequiredValue(table)} record {parse.GetRequiredValue(id)} on this site.");
                return ExitCodes.Failure;
            }

            await context.Out.WriteLineAsync(parse.GetValue(RemoteCommand.Json)
                ? JsonSerializer.Serialize(record, CliJsonContext.Default.RemoteRecord)
                : record.Data);
            return ExitCodes.Ok;
        }));
        return get;
    }

    private static Command CreateList(CliContext context)
    {
        var table = new Argument<string>("TABLE");
        var store = new Option<string?>("--store") { Description = "Only records of this store." };
        var list = new Command("list", "Print the records of a table, one JSON record per line.") { table, store };
        list.SetAction((parse, cancellationToken) => RemoteCommand.WithSiteAsync(parse, context, async site =>
        {
            var records = await site.ListRecordsAsync(parse.GetRequiredValue(table), parse.GetValue(store), cancellationToken);
            if (parse.GetValue(RemoteCommand.Json))
            {
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(records, CliJsonContext.Default.IReadOnlyListRemoteRecord));
            }
            else
            {
                foreach (var record in records)
                {
                    await context.Out.WriteLineAsync(record.Data);
                }
            }

            return ExitCodes.Ok;
        }));
        return list;
    }
}
