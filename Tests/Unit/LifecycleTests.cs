using Outreach.Grains.Dispatch;
using Outreach.Model;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Unit;

[Category(TestCategory.Unit)]
public sealed class LifecycleTests
{
    [Theory]
    [InlineData(RequestStatus.Claimed, RequestStatus.EnRoute)]
    [InlineData(RequestStatus.EnRoute, RequestStatus.OnSite)]
    [InlineData(RequestStatus.OnSite, RequestStatus.Completed)]
    public void NextStep_FollowsTheLifecycle(RequestStatus from, RequestStatus next) =>
        Assert.Equal(next, Lifecycle.NextStep(from));

    [Theory]
    [InlineData(RequestStatus.New)]
    [InlineData(RequestStatus.Offered)]
    [InlineData(RequestStatus.Completed)]
    [InlineData(RequestStatus.Cancelled)]
    public void NextStep_NoneOutsideTheAssignedStatuses(RequestStatus from) => Assert.Null(Lifecycle.NextStep(from));

    [Fact]
    public void ClaimDeadline_DependsOnUrgency()
    {
        var options = new DispatchOptions();

        Assert.True(options.ClaimDeadline(Urgency.Emergency) < options.ClaimDeadline(Urgency.Urgent));
        Assert.True(options.ClaimDeadline(Urgency.Urgent) < options.ClaimDeadline(Urgency.Routine));
    }
}
