namespace Outreach.Model;

/// <summary>
/// A volunteer's surname, the only part of their name a family is told ("志愿者王师傅"): Chinese names start with it
/// (two characters for the common 复姓), a name in Latin letters ends with it ("Alice Chen" → "Chen").
/// </summary>
public static class Surnames
{
    private static readonly string[] Compound =
        ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "令狐", "宇文", "夏侯", "轩辕", "端木", "独孤", "南宫", "西门"];

    /// <summary>The surname of <paramref name="name"/>; empty for an empty name.</summary>
    public static string Of(string? name)
    {
        var trimmed = (name ?? "").Trim();
        if (trimmed.Length == 0)
            return "";
        if (IsHan(trimmed[0]))
        {
            foreach (var compound in Compound)
            {
                if (trimmed.Length > compound.Length && trimmed.StartsWith(compound, StringComparison.Ordinal))
                    return compound;
            }
            return trimmed[..1];
        }
        return trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1];
    }

    private static bool IsHan(char c) => c is >= '\u4e00' and <= '\u9fff' or >= '\u3400' and <= '\u4dbf';
}
