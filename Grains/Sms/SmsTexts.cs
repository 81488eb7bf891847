using System.Globalization;
using Outreach.Model;

namespace Outreach.Grains.Sms;

/// <summary>
/// The words of the messages, without Orleans or I/O: the template variables of each message, the Chinese text the
/// console sink shows for them, a volunteer's surname, the reply code found in a reply, and a masked number for logs.
/// No variable ever carries an address, a phone number or a description.
/// </summary>
public static class SmsTexts
{
    /// <summary>The surname the family is told (<see cref="Surnames.Of"/>).</summary>
    public static string SurnameOf(string? name) => Surnames.Of(name);

    /// <summary>Whole minutes, rounded up (a family told "7" should not wait 7.4).</summary>
    public static string Minutes(double? minutes) =>
        Math.Max(1, (int)Math.Ceiling(minutes ?? 0)).ToString(CultureInfo.InvariantCulture);

    public static string CategoryWord(HelpCategory category) => category switch
    {
        HelpCategory.Groceries => "买菜",
        HelpCategory.Meals => "送餐",
        HelpCategory.SchoolSupplies => "书袋子",
        HelpCategory.Medicine => "药箱子",
        HelpCategory.Tutoring => "子女教育",
        HelpCategory.Escort => "应急陪护",
        HelpCategory.FirstAid => "急救",
        _ => "其他",
    };

    public static string UrgencyWord(Urgency urgency) => urgency switch
    {
        Urgency.Emergency => "紧急",
        Urgency.Urgent => "较急",
        _ => "一般",
    };

    /// <summary>
    /// The reply code in a volunteer's text: the only run of ASCII digits in it, if it has the code's length
    /// (spaces, punctuation and words around it are ignored); null otherwise.
    /// </summary>
    public static string? ReplyCodeIn(string? text, int length)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 160)
            return null;
        var runs = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var digit = i < text.Length && char.IsAsciiDigit(text[i]);
            if (digit && start < 0)
                start = i;
            else if (!digit && start >= 0)
            {
                runs.Add(text[start..i]);
                start = -1;
            }
        }
        return runs is [var only] && only.Length == length ? only : null;
    }

    /// <summary>A number as logs may show it: its last two digits only.</summary>
    public static string Mask(string phone) =>
        phone.Length <= 2 ? "****" : "****" + phone[^2..];

    /// <summary>The message as the provider's template would render it (the console sink shows this).</summary>
    public static string Render(SmsMessage message)
    {
        string P(string name) => message.Parameters.TryGetValue(name, out var value) ? value : "";
        return message.Kind switch
        {
            SmsKind.FamilyClaimed => $"志愿者{P("surname")}师傅已接单，预计{P("eta")}分钟到达。查看进度：{P("link")}",
            SmsKind.FamilyOnSite => $"志愿者{P("surname")}师傅已到达。查看进度：{P("link")}",
            SmsKind.FamilyCompleted => $"服务已完成，如不满意请致电热线{P("hotline")}。{P("link")}",
            SmsKind.VolunteerOffer => $"【{P("urgency")}】{P("category")}求助，约{P("eta")}分钟可到。回复{P("code")}接单。",
            SmsKind.ReplyClaimed => $"接单成功，地址请打开志愿者页面查看或致电热线{P("hotline")}。",
            SmsKind.ReplyTaken => "已被他人接单，谢谢！",
            SmsKind.ReplyInvalid => "代码无效或已过期。",
            _ => message.Kind.ToString(),
        };
    }
}
