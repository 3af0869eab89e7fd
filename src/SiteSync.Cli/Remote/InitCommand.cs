using System.CommandLine;
using SiteSync.Remote;

namespace SiteSync.Cli.Remote;

/// <summary><c>sitesync remote init --server URL --site NAME [--password-stdin] [--auth-code-stdin] [--hardware-id ID]</c>.</summary>
public static class InitCommand
{
    public static Command Create(CliContext context)
    {
        var server = new Option<string>("--server") { Description = "Central's URL, e.g. http://central:5080.", Required = true };
        var site = new Option<string>("--site") { Description = "The site name registered on central.", Required = true };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of standard input." };
        var authCodeStdin = new Option<bool>("--auth-code-stdin")
        {
            Description = "Read the authorisation code that locks protected settings from standard input (after the password).",
        };
        var hardwareId = new Option<string?>("--hardware-id") { Description = "Send this hardware id instead of the machine id." };
        var interval = new Option<int?>("--interval") { Description = "Minutes between sync cycles (default 5; 0 pauses)." };

        var command = new Command("init", "Set up this device as a remote site.") { server, site, passwordStdin, authCodeStdin, hardwareId, interval };
        command.SetAction((parse, cancellationToken) => RemoteCommand.WithSiteAsync(parse, context, async remote =>
        {
            var password = await RemoteCommand.ReadSecretAsync(context, parse.GetValue(passwordStdin), "Site password: ");
            if (string.IsNullOrEmpty(password))
            {
                await context.Error.WriteLineAsync("A password is required: pass --password-stdin and write it to standard input, or run on a terminal.");
                return ExitCodes.Usage;
            }

            string? code = null;
            if (parse.GetValue(authCodeStdin))
            {
                code = await RemoteCommand.ReadSecretAsync(context, fromStdin: true, "");
                if (string.IsNullOrEmpty(code))
                {
                    await context.Error.WriteLineAsync("--auth-code-stdin: no authorisation code on standard input.");
                    return ExitCodes.Usage;
                }
            }

            await remote.InitAsync(
                new RemoteSetup(ParseServer(parse.GetRequiredValue(server)), parse.GetRequiredValue(site), password, code, parse.GetValue(hardwareId), parse.GetValue(interval)),
                cancellationToken);
            // init works offline (a device is often set up before it has a link), so it cannot know whether the password is
            // right; it says so, and names the command that checks.
            await context.Out.WriteLineAsync(
                $"Set up site '{parse.GetRequiredValue(site)}' in {remote.DataDirectory}{(code is null ? " (no authorisation code: protected settings are not locked)" : "")}.");
            await context.Out.WriteLineAsync(
                $"The server, site name and password were not checked: run '{RemoteCommand.Suggest(parse, "check")}' to test them against central.");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Uri ParseServer(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
            ? uri
            : throw new RemoteRefusedException(RefusalCodes.InvalidSetting, $"'{value}' is not an http or https URL.");
}
