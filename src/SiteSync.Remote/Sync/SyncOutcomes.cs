namespace SiteSync.Remote.Sync;

/// <summary>How a sync cycle ended, as the sync log and <see cref="SyncReport.Outcome"/> name it.</summary>
public static class SyncOutcomes
{
    /// <summary>The cycle is running (or the process died during it).</summary>
    public const string Running = "running";

    /// <summary>Push accepted and integrated by central, both pulls drained, everything integrated.</summary>
    public const string Ok = "ok";

    /// <summary>A stop was requested; the cycle ended after the batch in flight, and the next cycle resumes.</summary>
    public const string Stopped = "stopped";

    /// <summary>The cycle failed; the sync log holds the error code.</summary>
    public const string Failed = "failed";
}
