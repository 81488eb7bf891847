namespace Outreach.Model;

/// <summary>What a family needs; a volunteer's skills use the same words.</summary>
[GenerateSerializer, Alias("Outreach.HelpCategory")]
public enum HelpCategory
{
    /// <summary>菜篮子: groceries.</summary>
    Groceries,
    /// <summary>饭盘子: meals.</summary>
    Meals,
    /// <summary>书袋子: schooling and school supplies.</summary>
    SchoolSupplies,
    /// <summary>药箱子: medicine.</summary>
    Medicine,
    /// <summary>子女教育: children's education.</summary>
    Tutoring,
    /// <summary>应急陪护: emergency accompaniment, e.g. escort to hospital.</summary>
    Escort,
    /// <summary>急救: first aid.</summary>
    FirstAid,
    /// <summary>其他: anything else.</summary>
    Other,
}
