using System.Text.Json.Nodes;
using Outreach.Model;
using Outreach.Reach;
using Outreach.Stations;

namespace Outreach.Grains.Reach.Robots;

/// <summary>
/// What a station's group reads, in each provider's markdown message (WeCom: <c>markdown.content</c>, at most 4096
/// bytes; DingTalk: <c>markdown.title</c> and <c>markdown.text</c>). An offer gives the category, the urgency, the
/// area (the station's name, never the address), how many volunteers were offered and the link that opens the
/// volunteer page on it; a claim gives 已被接单 and the claimer's short name (<see cref="ClaimerNames"/>). No
/// phone, address or description is ever in <see cref="RobotNews"/>, so none can be here. Every message holds 求助,
/// the keyword to give a DingTalk robot whose security is 自定义关键词.
/// </summary>
public sealed record RobotMessage(string Title, IReadOnlyList<string> Lines)
{
    /// <summary>The message of a piece of news.</summary>
    public static RobotMessage For(RobotNews news, string stationName, string publicUrl)
    {
        var what = $"{CategoryNames.Chinese(news.Category)}（{UrgencyWord(news.Urgency)}）";
        var area = Plain(stationName);
        if (news.Event == ReachEvents.Claimed)
        {
            return new RobotMessage($"求助已被接单：{what}",
                [$"**求助已被接单**：{what}", $"> 接单志愿者：{Plain(ClaimerNames.ForGroup(news.ClaimerName))}", $"> 区域：{area}附近"]);
        }
        var link = $"{publicUrl.TrimEnd('/')}/volunteer?offer={news.RequestId:D}";
        return new RobotMessage($"新求助：{what}",
            [$"**新求助**：{what}", $"> 区域：{area}附近", $"> 已推送给 {news.OfferedCount} 位志愿者，先接先得", $"[打开志愿者页面接单]({link})"]);
    }

    /// <summary>The JSON body for a robot of <paramref name="kind"/>.</summary>
    public JsonObject Body(RobotKind kind) => kind == RobotKind.WeCom
        ? new JsonObject
        {
            ["msgtype"] = "markdown",
            ["markdown"] = new JsonObject { ["content"] = string.Join('\n', Lines) },
        }
        : new JsonObject
        {
            ["msgtype"] = "markdown",
            // DingTalk's markdown needs an empty line between paragraphs.
            ["markdown"] = new JsonObject { ["title"] = Title, ["text"] = string.Join("\n\n", Lines) },
        };

    /// <summary>Text a coordinator typed, without the characters that would make markdown of it (links, emphasis, tags).</summary>
    private static string Plain(string text) =>
        new([.. text.Where(c => c is not ('[' or ']' or '(' or ')' or '<' or '>' or '*' or '_' or '`' or '#' or '\\') && !char.IsControl(c))]);

    private static string UrgencyWord(Urgency urgency) => urgency switch
    {
        Urgency.Emergency => "紧急",
        Urgency.Urgent => "加急",
        _ => "一般",
    };
}
