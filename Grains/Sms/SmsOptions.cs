using System.ComponentModel.DataAnnotations;

namespace Outreach.Grains.Sms;

/// <summary>
/// Text messages (configuration section <c>Sms</c>): which provider sends them, its credentials and the template of
/// each message. <c>console</c> (the default) only writes each message to the log, with the number masked.
/// </summary>
public sealed class SmsOptions : IValidatableObject
{
    public const string Section = "Sms";

    public const string Console = "console";
    public const string Aliyun = "aliyun";

    /// <summary><c>console</c> or <c>aliyun</c>.</summary>
    public string Provider { get; set; } = Console;

    /// <summary>The provider's API base URL; empty: its public one (<c>https://dysmsapi.aliyuncs.com/</c>).</summary>
    public string? Endpoint { get; set; }

    /// <summary>The provider's access key id (Aliyun AccessKeyId).</summary>
    public string? AccessKeyId { get; set; }

    /// <summary>The provider's secret (Aliyun AccessKeySecret). Never logged.</summary>
    public string? AccessKeySecret { get; set; }

    /// <summary>The approved signature (签名) shown as 【…】 at the start of each message.</summary>
    public string? SignName { get; set; }

    /// <summary>Aliyun's RegionId parameter.</summary>
    public string RegionId { get; set; } = "cn-hangzhou";

    /// <summary>The hotline number families and volunteers are told to call (also shown on the status page).</summary>
    public string Hotline { get; set; } = "";

    /// <summary>The provider's template code of each message (Aliyun: <c>SMS_…</c>); see README for their texts.</summary>
    public SmsTemplates Templates { get; set; } = new();

    /// <summary>How long one call to the provider may take before it counts as failed (then retried).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a call that failed for a reason a retry can cure (5xx, 429, time-out, no connection) is tried again.</summary>
    [Range(0, 5)]
    public int Retries { get; set; } = 2;

    /// <summary>How long a volunteer's reply code stays valid after the SMS offer was sent.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan CodeLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How long a reply taken up by one handler is its alone: a redelivery within it hears 503 (try later); after it, a
    /// handling that failed or died is taken up again.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan InboundLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How many "that code is not valid" answers one number is sent within <see cref="InvalidAnswerWindow"/>; its later
    /// wrong codes are logged and not answered (each answer is a paid text).
    /// </summary>
    [Range(0, 100)]
    public int InvalidAnswers { get; set; } = 3;

    /// <summary>The window <see cref="InvalidAnswers"/> counts in.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan InvalidAnswerWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The provider's API base URL, with a default per provider.</summary>
    public Uri ApiBase => new(string.IsNullOrWhiteSpace(Endpoint) ? "https://dysmsapi.aliyuncs.com/" : Endpoint);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider is not (Console or Aliyun))
            yield return new ValidationResult($"Sms:Provider must be '{Console}' or '{Aliyun}'.", [nameof(Provider)]);
        if (!string.IsNullOrWhiteSpace(Endpoint) && !Uri.TryCreate(Endpoint, UriKind.Absolute, out _))
            yield return new ValidationResult("Sms:Endpoint must be an absolute URL.", [nameof(Endpoint)]);
        if (Provider != Aliyun)
            yield break;
        foreach (var (name, value) in new[] { (nameof(AccessKeyId), AccessKeyId), (nameof(AccessKeySecret), AccessKeySecret), (nameof(SignName), SignName) })
        {
            if (string.IsNullOrWhiteSpace(value))
                yield return new ValidationResult($"Sms:{name} is required for the {Aliyun} provider.", [name]);
        }
        foreach (var kind in Enum.GetValues<SmsKind>())
        {
            if (string.IsNullOrWhiteSpace(Templates.CodeOf(kind)))
                yield return new ValidationResult($"Sms:Templates:{kind} is required for the {Aliyun} provider.", [nameof(Templates)]);
        }
    }
}

/// <summary>The provider's template code of each kind of message (configuration <c>Sms:Templates:{kind}</c>).</summary>
public sealed class SmsTemplates
{
    public string? FamilyClaimed { get; set; }
    public string? FamilyOnSite { get; set; }
    public string? FamilyCompleted { get; set; }
    public string? VolunteerOffer { get; set; }
    public string? ReplyClaimed { get; set; }
    public string? ReplyTaken { get; set; }
    public string? ReplyInvalid { get; set; }

    public string? CodeOf(SmsKind kind) => kind switch
    {
        SmsKind.FamilyClaimed => FamilyClaimed,
        SmsKind.FamilyOnSite => FamilyOnSite,
        SmsKind.FamilyCompleted => FamilyCompleted,
        SmsKind.VolunteerOffer => VolunteerOffer,
        SmsKind.ReplyClaimed => ReplyClaimed,
        SmsKind.ReplyTaken => ReplyTaken,
        SmsKind.ReplyInvalid => ReplyInvalid,
        _ => null,
    };
}

/// <summary>Checks <see cref="SmsOptions"/> at start-up (its ranges and <see cref="SmsOptions.Validate"/>): a silo with a wrong SMS setup does not start.</summary>
public sealed class SmsOptionsValidation : Microsoft.Extensions.Options.IValidateOptions<SmsOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, SmsOptions options)
    {
        var results = new List<ValidationResult>();
        return Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true)
            ? Microsoft.Extensions.Options.ValidateOptionsResult.Success
            : Microsoft.Extensions.Options.ValidateOptionsResult.Fail(results.Select(r => r.ErrorMessage ?? "invalid"));
    }
}
