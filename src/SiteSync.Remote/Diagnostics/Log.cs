namespace SiteSync.Remote.Diagnostics;

/// <summary>Event ids of the remote engine (5000s).</summary>
internal static class EventIds
{
    public const int CycleStarted = 5001;
    public const int CycleFinished = 5002;
    public const int CycleFailed = 5003;
    public const int RequestSizeChanged = 5004;
    public const int Initialised = 5005;
    public const int PageAheadDropped = 5006;
}
