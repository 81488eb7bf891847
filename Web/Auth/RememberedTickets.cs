using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Caching.Memory;

namespace Outreach.Web.Auth;

/// <summary>
/// The cookie's ticket format with the tickets it decrypted remembered by the cookie's text: a phone reporting its
/// position every 20 s sends the same cookie each time, and decrypting it (a key derivation, an HMAC and AES, then the
/// ticket's claims read back) was ≈ 9 % of the web node's CPU per report.
/// </summary>
/// <remarks>
/// Only what decryption decides is remembered: the ticket the cookie carries, which is the same for the same text
/// while the key that sealed it is in the ring. Everything decided about a session on each request still happens on
/// each request — the ticket's expiry, the absolute lifetime and the account's stamp (<c>OnValidatePrincipal</c>), so a
/// revocation takes effect at once as before. Each request gets its own copy of the remembered ticket (a handler may
/// change the principal it is given). Texts that do not decrypt are not remembered (garbage sent by anyone must not
/// fill the memory), and a ticket is kept at most <see cref="KeepFor"/>, so a key taken out of the ring stops
/// admitting its cookies within that time.
/// </remarks>
public sealed class RememberedTickets(ISecureDataFormat<AuthenticationTicket> inner, TimeProvider clock, int capacity = RememberedTickets.DefaultCapacity)
    : ISecureDataFormat<AuthenticationTicket>, IDisposable
{
    /// <summary>How many tickets a node keeps: one per phone reporting through it, with room.</summary>
    public const int DefaultCapacity = 50_000;

    /// <summary>The longest a decrypted ticket is reused without decrypting its cookie again.</summary>
    public static readonly TimeSpan KeepFor = TimeSpan.FromMinutes(2);

    private readonly MemoryCache _tickets = new(new MemoryCacheOptions { SizeLimit = capacity, Clock = new SystemClockOf(clock) });

    public string Protect(AuthenticationTicket data) => inner.Protect(data);

    public string Protect(AuthenticationTicket data, string? purpose) => inner.Protect(data, purpose);

    public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, null);

    public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
    {
        if (protectedText is null || purpose is not null)
            return inner.Unprotect(protectedText, purpose);
        if (_tickets.TryGetValue(protectedText, out AuthenticationTicket? known))
            return known!.Clone();
        var ticket = inner.Unprotect(protectedText, purpose);
        if (ticket is not null)
            _tickets.Set(protectedText, ticket.Clone(), new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = KeepFor, Size = 1 });
        return ticket;
    }

    public void Dispose() => _tickets.Dispose();

#pragma warning disable CS0618 // MemoryCache's clock is still the old ISystemClock.
    private sealed class SystemClockOf(TimeProvider clock) : Microsoft.Extensions.Internal.ISystemClock
    {
        public DateTimeOffset UtcNow => clock.GetUtcNow();
    }
#pragma warning restore CS0618
}
