using Outreach.Files;

namespace Outreach.Tests.Infrastructure;

/// <summary>Secrets the processes under test are given (never a real deployment's).</summary>
public static class TestSecrets
{
    /// <summary><c>Outreach:PhoneKey</c> of every silo and web node the tests start.</summary>
    public const string PhoneKey = "outreach-test-phone-key-0123456789";

    /// <summary>The phone index's keys as the processes under test make them.</summary>
    public static PhoneIndexKeys PhoneKeys { get; } = new(PhoneKey);
}
