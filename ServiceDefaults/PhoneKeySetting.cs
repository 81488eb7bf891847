using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Outreach.ServiceDefaults;

/// <summary>
/// The secret of the phone index's keyed hash, <c>Outreach:PhoneKey</c> (environment <c>Outreach__PhoneKey</c>).
/// Required outside Development; both the silo (which keeps the index) and the web (which looks numbers up) read it,
/// and it must be the same in every process and stay the same (see SECURITY.md, "Personal data").
/// </summary>
public static class PhoneKeySetting
{
    /// <summary>The configuration key.</summary>
    public const string Key = "Outreach:PhoneKey";

    /// <summary>The key used in Development when none is set: never in production.</summary>
    public const string DevelopmentDefault = "outreach-development-phone-key-not-secret";

    /// <summary>The configured secret; in Development a fixed default when unset; otherwise an error naming the setting.</summary>
    public static string Read(IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        var value = configuration[Key];
        if (!string.IsNullOrWhiteSpace(value))
        {
            if (value.Length < 16)
                throw new InvalidOperationException($"The setting {Key} (environment Outreach__PhoneKey) must be at least 16 characters.");
            return value;
        }
        if (environment.IsDevelopment())
            return DevelopmentDefault;
        throw new InvalidOperationException(
            $"The setting {Key} (environment Outreach__PhoneKey) is required: the secret of the phone index's keyed hash, the same in every silo and web node.");
    }
}
