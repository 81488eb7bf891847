using System.Diagnostics;
using Outreach.ServiceDefaults;
using Outreach.Tests.Infrastructure;
using Xunit;

namespace Outreach.Tests.Unit;

/// <summary>
/// The collector-stop log the bench lays over its claim races: off unless a directory is named, and when on, a forced
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
    public async Task ForcedCollection_IsOneLine_WithItsGenerationAndTime()
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

            (long StartTicks, double Ms, int Generation)? found = null;
            var deadline = Stopwatch.StartNew();
            while (found is null && deadline.Elapsed < TimeSpan.FromSeconds(20))
            {
                await Task.Delay(100);
                found = ReadLines(log.Path).Select(GcPauseLog.Parse)
                    .FirstOrDefault(p => p is { Generation: 2 } stop && stop.StartTicks >= before - Tolerance && stop.StartTicks <= after);
            }

            Assert.NotNull(found);
            Assert.InRange(found.Value.Ms, 0, (after - before) * 1000.0 / Stopwatch.Frequency + 50);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("123456789 12.345 1", 123456789L, 12.345, 1)]
    [InlineData("5 0.010 -1", 5L, 0.01, -1)]
    public void Parse_ItsOwnLines(string line, long start, double ms, int generation) =>
        Assert.Equal((start, ms, generation), GcPauseLog.Parse(line));

    [Theory]
    [InlineData("")]
    [InlineData("12 x 1")]
    [InlineData("12 1.0")]
    public void Parse_OtherLines_IsNull(string line) => Assert.Null(GcPauseLog.Parse(line));

    // The event's time is moved onto the monotonic clock through the wall clock, whose reading may differ by a few ms.
    private static readonly long Tolerance = Stopwatch.Frequency / 20;

    private static string[] ReadLines(string path)
    {
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
