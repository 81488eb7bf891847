namespace Outreach.Model;

/// <summary>
/// The union's own words for the help categories (the pages say the same: <c>Web/wwwroot/i18n/common.js</c>,
/// held to this by <c>CategoryNamesTests</c>), for text the server writes in Chinese: group messages, exports,
/// certificates.
/// </summary>
public static class CategoryNames
{
    public static string Chinese(HelpCategory category) => category switch
    {
        HelpCategory.Groceries => "菜篮子",
        HelpCategory.Meals => "饭盘子",
        HelpCategory.SchoolSupplies => "书袋子",
        HelpCategory.Medicine => "药箱子",
        HelpCategory.Tutoring => "子女教育",
        HelpCategory.Escort => "应急陪护",
        HelpCategory.FirstAid => "急救",
        _ => "其他",
    };
}
