namespace Outreach.Stations;

/// <summary>A group robot's provider. In the API: <c>wecom</c>, <c>dingtalk</c> (<see cref="RobotKinds"/>).</summary>
[GenerateSerializer, Alias("Outreach.RobotKind")]
public enum RobotKind
{
    /// <summary>企业微信 group robot: <c>https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…</c>.</summary>
    WeCom,
    /// <summary>钉钉 custom robot: <c>https://oapi.dingtalk.com/robot/send?access_token=…</c>, signed when it has a secret.</summary>
    DingTalk,
}
