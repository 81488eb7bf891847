using System.Text.Json;
using Outreach.Grains.Dispatch;
using Outreach.Model;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Unit;

/// <summary>
/// The pages' lifecycle module (Web/wwwroot/js/lifecycle.js), loaded by Node.js, says what the C# says: the
/// statuses of <see cref="RequestStatus"/> in order, <see cref="Lifecycle"/>'s lists (closed, assigned, coming,
/// open) and <see cref="Lifecycle.NextStep"/>. A change to either side alone fails here.
/// </summary>
[Category(TestCategory.Unit)]
public sealed class LifecycleModuleTests
{
    private static readonly Lazy<JsonElement> Module = new(ReadModule);

    private static IEnumerable<RequestStatus> All => Enum.GetValues<RequestStatus>();

    [Fact]
    public void Statuses_AreTheEnumsNamesInOrder() =>
        Assert.Equal(Enum.GetNames<RequestStatus>(), Strings("statuses"));

    [Fact]
    public void Closed_IsWhatTheLifecycleAndTheRequestStateCallClosed()
    {
        Assert.Equal(Names(Lifecycle.Closed), Strings("closed"));
        Assert.Equal(Names(All.Where(s => new HelpRequestState { Status = s }.IsClosed)), Strings("closed"));
    }

    [Fact]
    public void Assigned_IsWhatTheLifecycleCallsAssigned() =>
        Assert.Equal(Names(Lifecycle.Assigned), Strings("assigned"));

    [Fact]
    public void Coming_IsWhatTheLifecycleCallsComing() =>
        Assert.Equal(Names(Lifecycle.Coming), Strings("coming"));

    [Fact]
    public void Open_IsWhatTheLifecycleCallsOpen() =>
        Assert.Equal(Names(Lifecycle.Open), Strings("open"));

    [Fact]
    public void NextStep_IsTheLifecyclesForEveryStatus()
    {
        var next = Module.Value.GetProperty("next");
        foreach (var status in All)
        {
            var fromModule = next.GetProperty(status.ToString());
            var expected = Lifecycle.NextStep(status)?.ToString();
            Assert.True(expected == (fromModule.ValueKind == JsonValueKind.Null ? null : fromModule.GetString()),
                $"nextStep('{status}') is {fromModule} in lifecycle.js, {expected ?? "null"} in Lifecycle.NextStep");
        }
    }

    private static string[] Names(IEnumerable<RequestStatus> statuses) => [.. statuses.Select(s => s.ToString())];

    private static string[] Strings(string property) =>
        [.. Module.Value.GetProperty(property).EnumerateArray().Select(e => e.GetString()!)];

    /// <summary>Imports the module with Node.js and prints what it exports, for every status the C# knows.</summary>
    private static JsonElement ReadModule()
    {
        var statuses = JsonSerializer.Serialize(Enum.GetNames<RequestStatus>());
        return PageModule.Read("lifecycle.js",
            $"{{ statuses: m.STATUSES, closed: m.CLOSED, assigned: m.ASSIGNED, coming: m.COMING, open: m.OPEN, next: Object.fromEntries({statuses}.map(s => [s, m.nextStep(s)])) }}");
    }
}
