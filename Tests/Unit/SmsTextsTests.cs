using Outreach.Grains.Sms;
using Outreach.Model;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Unit;

/// <summary>The pure parts of SMS: Aliyun's signature against the provider's documented example, surnames, reply codes.</summary>
[Category(TestCategory.Unit)]
public sealed class SmsTextsTests
{
    [Fact]
    public void AliyunSignature_MatchesTheProvidersDocumentedExample()
    {
        // The example of Aliyun SMS's "签名机制" page (AccessKeySecret testSecret, a GET of SendSms).
        var parameters = new Dictionary<string, string>
        {
            ["AccessKeyId"] = "testId",
            ["Action"] = "SendSms",
            ["Format"] = "XML",
            ["OutId"] = "123",
            ["PhoneNumbers"] = "15300000001",
            ["RegionId"] = "cn-hangzhou",
            ["SignName"] = "阿里云短信测试专用",
            ["SignatureMethod"] = "HMAC-SHA1",
            ["SignatureNonce"] = "45e25e9b-0a6f-4070-8c85-2956eda1b466",
            ["SignatureVersion"] = "1.0",
            ["TemplateCode"] = "SMS_71390007",
            ["TemplateParam"] = "{\"customer\":\"test\"}",
            ["Timestamp"] = "2017-07-12T02:42:19Z",
            ["Version"] = "2017-05-25",
        };

        Assert.Equal("zJDF+Lrzhj/ThnlvIToysFRq6t4=", AliyunSignature.Sign("GET", parameters, "testSecret"));
    }

    [Theory]
    [InlineData("a b*~", "a%20b%2A~")]
    [InlineData("阿", "%E9%98%BF")]
    [InlineData("{\"k\":\"v\"}", "%7B%22k%22%3A%22v%22%7D")]
    public void PercentEncode_IsRfc3986OverUtf8(string value, string expected) =>
        Assert.Equal(expected, AliyunSignature.PercentEncode(value));

    [Theory]
    [InlineData("王小明", "王")]
    [InlineData("欧阳娜娜", "欧阳")]
    [InlineData("欧阳", "欧")]
    [InlineData(" Alice  Chen ", "Chen")]
    [InlineData("", "")]
    public void Surname_IsTheFirstCharacterOrCompound_OrTheLastLatinWord(string name, string expected) =>
        Assert.Equal(expected, Surnames.Of(name));

    [Theory]
    [InlineData("123456", "123456")]
    [InlineData(" 接单 123456。", "123456")]
    [InlineData("12345", null)]
    [InlineData("1234567", null)]
    [InlineData("123456 654321", null)]
    [InlineData("好的", null)]
    [InlineData("１２３４５６", null)] // full-width digits are not the code's
    public void ReplyCode_IsTheOnlyRunOfSixDigits(string text, string? expected) =>
        Assert.Equal(expected, SmsTexts.ReplyCodeIn(text, ReplyCodes.Length));

    [Fact]
    public void Mask_KeepsTheLastTwoDigitsOnly() => Assert.Equal("****01", SmsTexts.Mask("+8613803930001"));

    [Fact]
    public void ProviderNumber_IsElevenDigitsForTheMainland() =>
        Assert.Equal("13803930001", AliyunSmsGateway.ProviderNumber("+8613803930001"));
}
