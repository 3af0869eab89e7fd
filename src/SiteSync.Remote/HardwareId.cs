namespace SiteSync.Remote;

/// <summary>The device's hardware id (reference §6): the Linux machine id, unless overridden for tests and containers.</summary>
public static class HardwareId
{
    /// <summary>The environment variable the <c>sitesync</c> command reads an override from.</summary>
    public const string EnvironmentVariable = "SITESYNC_HARDWARE_ID";

    private static readonly string[] MachineIdFiles = ["/etc/machine-id", "/var/lib/dbus/machine-id"];

    /// <summary>The first non-empty override, else the machine id.</summary>
    /// <param name="overrides">Overrides in precedence order; null or blank ones are skipped.</param>
    /// <returns>The hardware id to send.</returns>
    /// <exception cref="InvalidOperationException">No override is given and the machine has no machine id.</exception>
    public static string Resolve(params ReadOnlySpan<string?> overrides)
    {
        foreach (var value in overrides)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                return value.Trim();
            }
        }

        return ReadMachineId() ?? throw new InvalidOperationException(
            $"This machine has no machine id ({string.Join(" or ", MachineIdFiles)}); set one with --hardware-id or {EnvironmentVariable}.");
    }

    /// <summary>The machine id from <c>/etc/machine-id</c> or <c>/var/lib/dbus/machine-id</c>, or null if neither has one.</summary>
    /// <returns>The machine id, or null.</returns>
    public static string? ReadMachineId()
    {
        foreach (var file in MachineIdFiles)
        {
            if (File.Exists(file) && File.ReadAllText(file).Trim() is { Length: > 0 } id)
            {
                return id;
            }
        }

        return null;
    }
}
