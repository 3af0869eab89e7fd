using Microsoft.Extensions.Logging;
using SiteSync.Remote.Diagnostics;

namespace SiteSync.Remote.Sync;

/// <summary>The engine's log messages, source-generated: identifiers and counts only, never a password, hash or payload.</summary>
internal static partial class Log
{
    [LoggerMessage(EventIds.CycleStarted, LogLevel.Information, "Sync cycle started with request size {RequestSize}")]
    public static partial void CycleStarted(ILogger logger, int requestSize);

    [LoggerMessage(EventIds.CycleFinished, LogLevel.Information,
        "Sync cycle {Outcome}: pushed {Pushed}, pulled {PulledCentral} change-log and {PulledQueue} queue record(s), integrated {Integrated}")]
    public static partial void CycleFinished(ILogger logger, string outcome, int pushed, int pulledCentral, int pulledQueue, int integrated);

    [LoggerMessage(EventIds.CycleFailed, LogLevel.Warning, "Sync cycle failed: {Code}")]
    public static partial void CycleFailed(ILogger logger, string code);

    [LoggerMessage(EventIds.RequestSizeChanged, LogLevel.Information, "Request size {Previous} -> {Current}")]
    public static partial void RequestSizeChanged(ILogger logger, int previous, int current);

    [LoggerMessage(EventIds.Initialised, LogLevel.Information, "Central initialised the site: {QueueLength} record(s) queued")]
    public static partial void Initialised(ILogger logger, long queueLength);

    [LoggerMessage(EventIds.PageAheadDropped, LogLevel.Debug, "A change-log page asked for ahead was dropped: {Reason}")]
    public static partial void PageAheadDropped(ILogger logger, string reason);
}
