namespace Outreach.Web.Infrastructure;

/// <summary>How many connections the web node's listening socket holds before it accepts them.</summary>
public static class ListenQueue
{
    /// <summary>
    /// Room for every phone of a dead node arriving at once: 8 × Kestrel's default of 512, the ceiling Debian's
    /// kernel puts on any listening socket (<c>net.core.somaxconn</c>).
    /// </summary>
    public const int Length = 4_096;
}
