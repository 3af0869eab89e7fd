using System.Runtime.InteropServices;
using System.Text;

namespace SiteSync.Cli;

/// <summary>Everything a command touches outside itself, so tests run commands in-process with captured output.</summary>
public sealed class CliContext
{
    // Held for the life of the process: a registration that is collected stops handling its signal.
    private static readonly List<PosixSignalRegistration> SignalRegistrations = [];

    public required TextWriter Out { get; init; }
    public required TextWriter Error { get; init; }
    public required TextReader In { get; init; }

    /// <summary>Whether standard output is a terminal (progress redraws in place) rather than a pipe or file (plain lines).</summary>
    public bool IsTerminal { get; init; }

    /// <summary>Reads an environment variable.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>Creates the handler HTTP requests go through.</summary>
    public Func<HttpMessageHandler> CreateHandler { get; init; } = Microsoft.Extensions.DependencyInjection.RemoteServiceCollectionExtensions.CreateHandler;

    /// <summary>Asks for a secret without echo; null when there is no terminal to ask on.</summary>
    public Func<string, string?> ReadSecret { get; init; } = _ => null;

    /// <summary>Cancelled on the first Ctrl-C or SIGTERM: <c>run</c> and <c>sync</c> stop after the batch in flight.</summary>
    public CancellationToken Stopping { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The context of a real process: the console, the environment, and Ctrl-C/SIGTERM as a clean stop (a second one
    /// ends the process at once).</summary>
    public static CliContext FromConsole(CancellationTokenSource stopping)
    {
        ArgumentNullException.ThrowIfNull(stopping);
        SignalRegistrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Stop(context, stopping)));
        SignalRegistrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Stop(context, stopping)));
        return new CliContext
        {
            Out = Console.Out,
            Error = Console.Error,
            In = Console.In,
            IsTerminal = !Console.IsOutputRedirected,
            ReadSecret = ReadSecretFromConsole,
            Stopping = stopping.Token,
        };
    }

    private static void Stop(PosixSignalContext context, CancellationTokenSource stopping)
    {
        if (!stopping.IsCancellationRequested)
        {
            context.Cancel = true;
            stopping.Cancel();
        }
    }

    private static string? ReadSecretFromConsole(string prompt)
    {
        if (Console.IsInputRedirected)
        {
            return null;
        }

        Console.Error.Write(prompt);
        var secret = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Console.Error.WriteLine();
                return secret.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (secret.Length > 0)
                {
                    secret.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                secret.Append(key.KeyChar);
            }
        }
    }
}
