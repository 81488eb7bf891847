using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Outreach.Tests.Infrastructure;
using Outreach.Web.Auth;

namespace Outreach.Tests.Unit;

/// <summary>
/// The cookie's tickets remembered by their text: decrypted once, each request given its own copy, failures never
/// remembered, and nothing kept past <see cref="RememberedTickets.KeepFor"/> or the capacity.
/// </summary>
[Category(TestCategory.Unit)]
public sealed class RememberedTicketsTests
{
    [Fact]
    public void TheSameCookie_IsDecryptedOnce_AndEachRequestGetsItsOwnCopy()
    {
        var (tickets, inner, _) = Make();
        var cookie = inner.Protect(Ticket("li"));

        var first = tickets.Unprotect(cookie)!;
        first.Principal.Identities.First().AddClaim(new Claim("added-by-a-handler", "x"));
        var second = tickets.Unprotect(cookie)!;

        Assert.Equal(1, inner.Decrypted);
        Assert.NotSame(first.Principal, second.Principal);
        Assert.Equal("li", second.Principal.Identity!.Name);
        Assert.Null(second.Principal.FindFirst("added-by-a-handler"));
        Assert.Equal(first.Properties.ExpiresUtc, second.Properties.ExpiresUtc);
    }

    [Fact]
    public void ACookieThatDoesNotDecrypt_IsNeverRemembered()
    {
        var (tickets, inner, _) = Make();
        var forged = inner.Protect(Ticket("li"))[..^4] + "AAAA";

        Assert.Null(tickets.Unprotect(forged));
        Assert.Null(tickets.Unprotect(forged));
        Assert.Null(tickets.Unprotect(null));

        Assert.Equal(2, inner.Decrypted);
    }

    [Fact]
    public void AfterKeepFor_TheCookieIsDecryptedAgain()
    {
        var (tickets, inner, clock) = Make();
        var cookie = inner.Protect(Ticket("li"));
        tickets.Unprotect(cookie);

        clock.Advance(RememberedTickets.KeepFor - TimeSpan.FromSeconds(1));
        tickets.Unprotect(cookie);
        Assert.Equal(1, inner.Decrypted);

        clock.Advance(TimeSpan.FromSeconds(2));
        tickets.Unprotect(cookie);
        Assert.Equal(2, inner.Decrypted);
    }

    [Fact]
    public void BeyondItsCapacity_ANewCookieIsNotRemembered()
    {
        var (tickets, inner, _) = Make(capacity: 2);
        var cookies = new[] { "a", "b", "c" }.Select(n => inner.Protect(Ticket(n))).ToArray();
        foreach (var cookie in cookies)
            Assert.NotNull(tickets.Unprotect(cookie));

        Assert.Equal("c", tickets.Unprotect(cookies[2])!.Principal.Identity!.Name);

        Assert.Equal(4, inner.Decrypted);
    }

    [Fact]
    public void ACookieBoundToAPurpose_IsAlwaysDecrypted()
    {
        var (tickets, inner, _) = Make();
        var cookie = inner.Protect(Ticket("li"), "binding");

        Assert.NotNull(tickets.Unprotect(cookie, "binding"));
        Assert.NotNull(tickets.Unprotect(cookie, "binding"));

        Assert.Equal(2, inner.Decrypted);
    }

    private static (RememberedTickets Tickets, CountingFormat Inner, ManualClock Clock) Make(int capacity = RememberedTickets.DefaultCapacity)
    {
        var inner = new CountingFormat(new TicketDataFormat(new EphemeralDataProtectionProvider().CreateProtector("tests")));
        var clock = new ManualClock();
        return (new RememberedTickets(inner, clock, capacity), inner, clock);
    }

    private static AuthenticationTicket Ticket(string name) => new(
        new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, name)], "Cookies")),
        new AuthenticationProperties { ExpiresUtc = DateTimeOffset.UtcNow.AddHours(1) }, "Cookies");

    private sealed class CountingFormat(ISecureDataFormat<AuthenticationTicket> inner) : ISecureDataFormat<AuthenticationTicket>
    {
        public int Decrypted;

        public string Protect(AuthenticationTicket data) => inner.Protect(data);

        public string Protect(AuthenticationTicket data, string? purpose) => inner.Protect(data, purpose);

        public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, null);

        public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
        {
            if (protectedText is not null)
                Decrypted++;
            return inner.Unprotect(protectedText, purpose);
        }
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
