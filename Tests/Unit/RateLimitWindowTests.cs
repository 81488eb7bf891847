using System.Threading.RateLimiting;
using Outreach.Tests.Infrastructure;
using Outreach.Web.Auth;

namespace Outreach.Tests.Unit;

/// <summary>
/// The rate limits' windows: one factory per window size, shared by every key of that size, and windows that leave
/// their replenishing to the partitioned limiter's one timer — a timer per account would fire for every volunteer.
/// </summary>
[Category(TestCategory.Unit)]
public sealed class RateLimitWindowTests
{
    [Fact]
    public void Window_IsSlidingOfItsPermits_AndNotSelfReplenishing()
    {
        var limits = new RateLimitOptions();
        using var window = RateLimits.Window("claim:a", 2, limits).Factory("claim:a");

        var sliding = Assert.IsType<SlidingWindowRateLimiter>(window);
        Assert.False(sliding.IsAutoReplenishing);
        Assert.Equal(limits.Window / 6, sliding.ReplenishmentPeriod);
        Assert.True(window.AttemptAcquire().IsAcquired);
        Assert.True(window.AttemptAcquire().IsAcquired);
        Assert.False(window.AttemptAcquire().IsAcquired);
    }

    [Fact]
    public void Window_OfOneSize_SharesItsFactory_AndGivesEachKeyItsOwnWindow()
    {
        var limits = new RateLimitOptions();
        var a = RateLimits.Window("claim:a", 2, limits);
        var b = RateLimits.Window("claim:b", 2, limits);

        Assert.Same(a.Factory, b.Factory);
        Assert.NotSame(a.Factory, RateLimits.Window("claim:a", 3, limits).Factory);
        Assert.Equal(("claim:a", "claim:b"), (a.PartitionKey, b.PartitionKey));
        using var first = a.Factory(a.PartitionKey);
        using var second = b.Factory(b.PartitionKey);
        Assert.NotSame(first, second);
    }
}
