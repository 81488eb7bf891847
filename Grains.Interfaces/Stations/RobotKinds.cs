namespace Outreach.Stations;

/// <summary>The words of <see cref="RobotKind"/> in the API and in delivery details, exactly as documented.</summary>
public static class RobotKinds
{
    public const string WeCom = "wecom";
    public const string DingTalk = "dingtalk";

    /// <summary>The kind a word names; null for any other word (no case folding).</summary>
    public static RobotKind? Parse(string? word) => word switch
    {
        WeCom => RobotKind.WeCom,
        DingTalk => RobotKind.DingTalk,
        _ => null,
    };

    /// <summary>The word of a kind.</summary>
    public static string Word(RobotKind kind) => kind == RobotKind.WeCom ? WeCom : DingTalk;
}
