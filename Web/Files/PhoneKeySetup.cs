using Outreach.Files;
using Outreach.ServiceDefaults;

namespace Outreach.Web.Files;

/// <summary>The phone index's key builder, from <c>Outreach:PhoneKey</c> (required outside Development).</summary>
public static class PhoneKeySetup
{
    public static IHostApplicationBuilder AddPhoneKeys(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton(new PhoneIndexKeys(PhoneKeySetting.Read(builder.Configuration, builder.Environment)));
        return builder;
    }
}
