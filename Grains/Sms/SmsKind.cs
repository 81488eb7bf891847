namespace Outreach.Grains.Sms;

/// <summary>The messages the service sends; each is one provider template (<see cref="SmsTemplates"/>).</summary>
public enum SmsKind
{
    /// <summary>To the family: 志愿者${surname}师傅已接单，预计${eta}分钟到达。查看进度：${link}</summary>
    FamilyClaimed,
    /// <summary>To the family: 志愿者${surname}师傅已到达。查看进度：${link}</summary>
    FamilyOnSite,
    /// <summary>To the family: 服务已完成，如不满意请致电热线${hotline}。${link}</summary>
    FamilyCompleted,
    /// <summary>To a volunteer who opted in: 【${urgency}】${category}求助，约${eta}分钟可到。回复${code}接单。</summary>
    VolunteerOffer,
    /// <summary>Answer to a reply code: 接单成功，地址请打开志愿者页面查看或致电热线${hotline}。</summary>
    ReplyClaimed,
    /// <summary>Answer to a reply code: 已被他人接单，谢谢！</summary>
    ReplyTaken,
    /// <summary>Answer to a reply code: 代码无效或已过期。</summary>
    ReplyInvalid,
}
