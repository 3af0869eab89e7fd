using System.CommandLine;
using System.Text.Json;
using SiteSync.Remote.Settings;

namespace SiteSync.Cli.Remote;

/// <summary><c>sitesync remote config get [KEY]</c> and <c>config set KEY VALUE [--auth-code-stdin]</c>; only <c>interval</c>
/// changes without the authorisation code (rule 22).</summary>
public static class ConfigCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("config", "Read or change the site's settings.");
        command.Add(CreateGet(context));
        command.Add(CreateSet(context));
        return command;
    }

    private static Command CreateGet(CliContext context)
    {
        var key = new Argument<string?>("KEY") { Description = "One setting; all when omitted.", Arity = ArgumentArity.ZeroOrOne };
        var get = new Command("get", "Show settings (secrets only as 'set').") { key };
        get.SetAction((parse, cancellationToken) => RemoteCommand.WithSiteAsync(parse, context, async site =>
        {
            var settings = await site.GetConfigAsync(cancellationToken);
            var wanted = parse.GetValue(key);
            var shown = wanted is null ? settings : settings.Where(s => s.Key == wanted).ToList();
            if (shown.Count == 0)
            {
                await context.Error.WriteLineAsync($"Unknown setting '{wanted}'; known: {string.Join(", ", settings.Select(s => s.Key))}.");
                return ExitCodes.Usage;
            }

            if (parse.GetValue(RemoteCommand.Json))
            {
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(shown.ToDictionary(), CliJsonContext.Default.DictionaryStringString));
            }
            else
            {
                foreach (var (name, value) in shown)
                {
                    await context.Out.WriteLineAsync(wanted is null ? $"{name} = {value}" : value);
                }
            }

            return ExitCodes.Ok;
        }));
        return get;
    }

    private static Command CreateSet(CliContext context)
    {
        var key = new Argument<string>("KEY") { Description = $"One of: {string.Join(", ", SettingKeys.Settable)}." };
        var value = new Argument<string>("VALUE") { Description = "The new value; for password '-' (the password is then read like at init)." };
        var authCodeStdin = new Option<bool>("--auth-code-stdin") { Description = "Read the authorisation code from standard input." };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "For password: read it from the first line of standard input." };
        var set = new Command("set", "Change a setting; all but 'interval' need the authorisation code.") { key, value, authCodeStdin, passwordStdin };
        set.SetAction((parse, cancellationToken) => RemoteCommand.WithSiteAsync(parse, context, async site =>
        {
            var name = parse.GetRequiredValue(key);
            var newValue = parse.GetRequiredValue(value);
            if (name == SettingKeys.Password)
            {
                if (newValue != "-")
                {
                    await context.Error.WriteLineAsync("Never pass a password as an argument: use 'config set password -' (prompt or --password-stdin).");
                    return ExitCodes.Usage;
                }

                newValue = await RemoteCommand.ReadSecretAsync(context, parse.GetValue(passwordStdin), "New site password: ") ?? "";
            }

            var code = parse.GetValue(authCodeStdin) ? await RemoteCommand.ReadSecretAsync(context, fromStdin: true, "") : null;
            await site.SetConfigAsync(name, newValue, code, cancellationToken);
            await context.Out.WriteLineAsync(name == SettingKeys.Password ? "password changed" : $"{name} = {newValue}");
            return ExitCodes.Ok;
        }));
        return set;
    }
}
