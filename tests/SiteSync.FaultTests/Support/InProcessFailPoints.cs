using System.Runtime.CompilerServices;

namespace SiteSync.FaultTests.Support;

/// <summary>Fail points of the in-process centrals (<see cref="SiteSync.Testing.TestCentral"/>): the test
/// process arms them, before any of central's code runs, with a plan file that is empty (inert) until a test writes a plan
/// to it. Child processes never inherit it (<see cref="CentralProcess"/> and <see cref="RemoteCli"/> set their own).</summary>
public static class InProcessFailPoints
{
    public static readonly string PlanFile = Path.Combine(Path.GetTempPath(), $"sitesync-faults-inprocess-{Environment.ProcessId}.plan");

    [ModuleInitializer]
    internal static void ArmWithPlanFile()
    {
        File.WriteAllText(PlanFile, "");
        Environment.SetEnvironmentVariable("SITESYNC_FAILPOINTS", "@" + PlanFile);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => File.Delete(PlanFile);
    }

    /// <summary>Arms <paramref name="plan"/> until the returned scope is disposed.</summary>
    public static IDisposable Arm(string plan)
    {
        File.WriteAllText(PlanFile, plan);
        return new Disarm();
    }

    private sealed class Disarm : IDisposable
    {
        public void Dispose() => File.WriteAllText(PlanFile, "");
    }
}
