namespace Outreach.Grains.Reach.Robots;

/// <summary>
/// How a group hears who claimed: never the full name. A Chinese name gives its surname and 师傅 (王芳 → 王师傅,
/// 欧阳明华 → 欧阳师傅, with the common two-character surnames), the way volunteers are addressed on the street;
/// any other name gives its first word (Li Wei → Li). Unknown: 志愿者.
/// </summary>
public static class ClaimerNames
{
    private const string Nobody = "志愿者";

    private static readonly HashSet<string> CompoundSurnames = new(StringComparer.Ordinal)
    {
        "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "令狐", "夏侯",
        "端木", "独孤", "南宫", "西门", "轩辕", "呼延", "澹台", "公冶", "太史", "申屠", "闻人", "万俟", "钟离", "赫连",
    };

    /// <summary>The short form of <paramref name="fullName"/> a group may see.</summary>
    public static string ForGroup(string? fullName)
    {
        var name = (fullName ?? "").Trim();
        if (name.Length == 0)
            return Nobody;
        if (IsHan(name[0]))
        {
            var surname = name.Length >= 3 && CompoundSurnames.Contains(name[..2]) ? name[..2] : name[..1];
            return surname + "师傅";
        }
        var first = name.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries)[0];
        return first.Length > 20 ? first[..20] : first;
    }

    private static bool IsHan(char c) => c is >= '\u4e00' and <= '\u9fff' or >= '\u3400' and <= '\u4dbf';
}
