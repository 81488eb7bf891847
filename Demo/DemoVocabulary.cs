namespace Outreach.Demo;

/// <summary>
/// The words <see cref="DemoData"/> draws from: names, postings, notes and the streets of urban Puyang.
/// Kept apart from the generator so the vocabulary can grow without touching the logic.
/// Appending to a list is safe; reordering or removing entries changes the generated region.
/// </summary>
internal static class DemoVocabulary
{
    /// <summary>Common surnames, most common first.</summary>
    internal static readonly string[] Surnames =
    [
        "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭", "何", "高",
        "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "田", "董", "袁", "潘",
        "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟",
        "谭", "陆", "范", "金", "石", "贾", "付", "方", "白", "孟", "秦", "尹", "薛", "闫", "段", "雷", "侯", "史",
        "陶", "贺", "顾", "毛", "郝", "邵", "常", "牛", "申", "岳", "翟", "靳", "焦", "葛", "耿", "樊",
    ];

    /// <summary>Given names of working-age men.</summary>
    internal static readonly string[] MenGivenNames =
    [
        "建国", "建华", "志强", "志刚", "伟", "磊", "勇", "军", "涛", "斌", "鹏", "明", "亮", "超", "强", "刚",
        "峰", "海涛", "卫东", "立新", "振华", "永胜", "新民", "文斌", "宏伟", "俊杰", "晓东", "国强", "红军", "学军",
        "建军", "志勇", "海军", "振宇", "鑫", "凯", "浩", "宇", "晨阳", "少华", "德胜", "庆华", "长青", "建设",
    ];

    /// <summary>Given names of working-age women.</summary>
    internal static readonly string[] WomenGivenNames =
    [
        "芳", "丽", "娟", "敏", "静", "艳", "霞", "丽娜", "婷婷", "晓燕", "雪梅", "春梅", "海燕", "红梅", "慧", "琳",
        "丽君", "晓红", "艳红", "玉洁", "秀梅", "建红", "俊英", "燕", "萍", "莉", "颖", "倩", "佳", "文静",
        "丽霞", "红霞", "小娟", "美玲", "素芳", "玉梅",
    ];

    /// <summary>Given names of the elderly, men.</summary>
    internal static readonly string[] OldMenGivenNames =
    [
        "德明", "保国", "振海", "长江", "国庆", "福生", "广才", "玉山", "金堂", "春生", "树林", "永福", "庆余", "满仓",
    ];

    /// <summary>Given names of the elderly, women.</summary>
    internal static readonly string[] OldWomenGivenNames =
    [
        "秀兰", "桂英", "玉珍", "淑珍", "凤英", "秀英", "桂兰", "玉兰", "凤兰", "翠花", "素英", "兰英", "淑芬", "秀云",
    ];

    /// <summary>Given names of school-age boys.</summary>
    internal static readonly string[] BoyGivenNames =
    [
        "浩然", "子轩", "宇轩", "思远", "博文", "一鸣", "俊熙", "梓豪", "天佑", "浩宇", "子墨", "睿", "铭轩", "嘉豪",
    ];

    /// <summary>Given names of school-age girls.</summary>
    internal static readonly string[] GirlGivenNames =
    [
        "梓涵", "欣怡", "雨桐", "一诺", "佳琪", "诗涵", "可馨", "语嫣", "若汐", "思彤", "梦瑶", "紫萱", "子涵", "雨欣",
    ];

    /// <summary>Where oilfield workers are posted, far from home.</summary>
    internal static readonly string[] Postings =
    [
        "中原油田 伊拉克哈法亚项目", "新疆塔里木项目部", "苏丹 6区项目", "四川普光气田", "沙特 钻井项目部",
        "科威特 钻井项目部", "内蒙古鄂尔多斯项目部", "重庆涪陵页岩气项目", "哈萨克斯坦 项目部", "青海柴达木项目部",
        "新疆准噶尔盆地项目部", "中原油田 内蒙古探区",
    ];

    /// <summary>Notes on an elderly relative.</summary>
    internal static readonly string[] ElderNotes =
    [
        "高血压，需定期测量", "糖尿病，每天注射胰岛素", "腿脚不便，出门需要轮椅", "心脏支架术后，每月复查",
        "独居，耳背，打电话请大声", "老慢支，冬季易发作", "腰腿疼，买菜拎不动", "轻度阿尔茨海默症，外出需有人陪同",
        "每周二到油田总医院透析", "刚做完白内障手术",
    ];

    /// <summary>Notes on a spouse.</summary>
    internal static readonly string[] SpouseNotes =
    [
        "在油田学校任教，白天不便接电话", "怀孕7个月", "倒班，常上夜班", "腰椎间盘突出，不能提重物",
        "一人照顾老人和孩子", "在社区医院上班",
    ];

    /// <summary>Notes on a school-age child.</summary>
    internal static readonly string[] ChildNotes =
    [
        "孩子读初二，数学需要辅导", "上小学三年级，放学需要接送", "高三，英语需要辅导", "幼儿园大班",
        "读初一，物理需要辅导", "有哮喘，随身带喷雾", "小学五年级，作文需要辅导", "初三，准备中考",
    ];

    /// <summary>Notes on a whole family file.</summary>
    internal static readonly string[] FileNotes =
    [
        "上门前请先电话联系", "家住六楼无电梯", "家中养狗，敲门前先打电话", "老人不会用智能手机，请直接打电话",
        "孩子放学后独自在家", "希望一对一结对帮扶", "爱人晚上8点后方便接电话", "工人每年回家一次，春节前后在家",
    ];

    /// <summary>Names of residential compounds.</summary>
    internal static readonly string[] Compounds =
    [
        "油田一区", "油田三区", "绿城花园", "建业小区", "濮上花园", "华龙小区", "石化小区", "开州花园", "胜利小区",
        "文化小区", "长庆小区", "昆吾花园",
    ];
}
