using SiteSync.Cli;

using var stopping = new CancellationTokenSource();
return await SiteSyncCommand.InvokeAsync(args, CliContext.FromConsole(stopping));
