using System.Runtime;

namespace Outreach.Bench;

/// <summary>
/// The bench's own collector, kept out of what it measures. The set-up leaves a large young heap (the population,
/// thousands of cookies and connections): left alone, the first half minute of load paid for it in the bench's own
/// collections — 0.1–1.2 s of pause in every second of the city's warm-up — which every latency the bench timed then
/// carried. Settled once before the load: everything the set-up keeps is moved to the oldest generation, and while
/// the load runs the collector avoids blocking full collections.
/// </summary>
public static class BenchHeap
{
    public static void Settle()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GCSettings.LatencyMode = GCLatencyMode.SustainedLowLatency;
    }
}
