using System.Diagnostics;
using Outreach.ServiceDefaults;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Unit;

/// <summary>
/// The stop log the bench lays over its claim races: off unless a directory is named, and when on, a forced
/// collection shows up as one line with its generation, placed on the shared monotonic clock where it happened.
/// </summary>
[Category(TestCategory.Unit)]
public sealed class GcPauseLogTests
{
    [Fact]
    public void StartIn_WithoutDirectory_IsOff()
    {
        Assert.Null(GcPauseLog.StartIn(null, "outreach-test"));
        Assert.Null(GcPauseLog.StartIn("  ", "outreach-test"));
    }

    [Fact]
    public async Task ForcedCollection_IsOneLine_WithItsGeneration_InsideTheCallThatForcedIt()
    {
        var directory = Directory.CreateTempSubdirectory("gc-pauses-").FullName;
        try
        {
            using var log = GcPauseLog.StartIn(directory, "outreach-test")!;
            Assert.Equal(Path.Combine(directory, $"outreach-test-{Environment.ProcessId}.gc"), log.Path);
            await Task.Delay(200); // the runtime's event source is enabled for the listener
            var before = Stopwatch.GetTimestamp();
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            var after = Stopwatch.GetTimestamp();

            // Placed inside the call that forced it, give or take the clocks' reading (Tolerance); by the listener's
            // arrival time instead it would fall after the call.
            List<(long StartTicks, double Ms, int Generation)> found = [];
            var deadline = Stopwatch.StartNew();
            while (found.Count == 0 && deadline.Elapsed < TimeSpan.FromSeconds(20))
            {
                await Task.Delay(100);
                found = [.. GcPauseLog.ReadLines(log.Path).Select(GcPauseLog.Parse).OfType<(long StartTicks, double Ms, int Generation)>()
                    .Where(stop => stop.Generation == 2 && stop.StartTicks >= before - Tolerance && stop.StartTicks <= after + Tolerance)];
            }

            var forced = Assert.Single(found);
            Assert.InRange(forced.Ms, 0, (after - before) * 1000.0 / Stopwatch.Frequency + 50);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("123456789 12.345 1", 123456789L, 12.345, 1)]
    [InlineData("5 0.010 -1", 5L, 0.01, -1)]
    public void Parse_ItsOwnLine_ReturnsItsFields(string line, long start, double ms, int generation) =>
        Assert.Equal((start, ms, generation), GcPauseLog.Parse(line));

    [Theory]
    [InlineData("")]
    [InlineData("12 x 1")]
    [InlineData("12 1.0")]
    public void Parse_OtherLines_IsNull(string line) => Assert.Null(GcPauseLog.Parse(line));

    // The event's time is moved onto the monotonic clock through the wall clock: 5 ms either way.
    private static readonly long Tolerance = Stopwatch.Frequency / 200;
}
