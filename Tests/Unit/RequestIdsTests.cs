using Outreach.Web.Dispatch;
using Outreach.Contracts;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Unit;

[Category(TestCategory.Unit)]
public sealed class RequestIdsTests
{
    [Fact]
    public void For_SameAccountAndKey_IsTheSameId_OtherwiseDifferent()
    {
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());

        Assert.Equal(RequestIds.For(a, "call-1"), RequestIds.For(a, "call-1"));
        Assert.NotEqual(RequestIds.For(a, "call-1"), RequestIds.For(a, "call-2"));
        Assert.NotEqual(RequestIds.For(a, "call-1"), RequestIds.For(b, "call-1"));
        Assert.NotEqual(RequestIds.For(a, null), RequestIds.For(a, null));
    }

    [Theory]
    [InlineData("abc-123", true)]
    [InlineData("", false)]
    [InlineData("has space", false)]
    [InlineData("中文", false)]
    public void IsValidKey_AcceptsVisibleAscii(string key, bool valid) => Assert.Equal(valid, RequestIds.IsValidKey(key));

    [Theory]
    [InlineData("13803930001")]
    [InlineData("+86 138-0393-0001")]
    [InlineData("138 0393 0001")]
    [InlineData("0086 13803930001")]
    public void Phones_CommonForms_NormaliseToOneNumber(string typed) =>
        Assert.Equal("+8613803930001", Phones.Normalize(typed));

    [Theory]
    [InlineData("12345")]
    [InlineData("call me")]
    [InlineData("")]
    [InlineData("1380393000199999999999999999999999")]
    public void Phones_NotAPhoneNumber_IsNull(string typed) => Assert.Null(Phones.Normalize(typed));
}
