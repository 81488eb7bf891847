using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Caching.Memory;

namespace Outreach.Web.Auth;

/// <summary>
/// The cookie's ticket format with the tickets it decrypted remembered, found by a hash of the cookie's text: a phone
/// reporting its position every 20 s sends the same cookie each time, and decrypting it (a key derivation, an HMAC
/// and AES, then the ticket's claims read back) was ≈ 9 % of the web node's CPU per report.
/// </summary>
/// <remarks>
/// The key is the SHA-256 of the cookie's text, so the node holds no session cookie after its request (a memory dump
/// shows tickets, which a cookie could be made from only with the key ring). Only what decryption decides is
/// remembered: the ticket the cookie carries, the same for the same text while the key that sealed it is in the ring.
/// Everything decided about a session on each request still happens on each request — the ticket's expiry, the
/// absolute lifetime and the account's stamp (<c>OnValidatePrincipal</c>), so a revocation takes effect at once as
/// before. Each request gets its own copy of the remembered ticket (a handler may change the principal it is given).
/// Texts that do not decrypt are not remembered (garbage sent by anyone must not fill the memory), and a ticket is
/// kept at most <see cref="KeepFor"/>, so a key taken out of the ring stops admitting its cookies within that time.
/// </remarks>
public sealed class RememberedTickets(ISecureDataFormat<AuthenticationTicket> inner, TimeProvider clock, int capacity = RememberedTickets.DefaultCapacity)
    : ISecureDataFormat<AuthenticationTicket>, IDisposable
{
    /// <summary>How many tickets a node keeps (≈ 2 KB each): one per phone reporting through it; beyond, the oldest go.</summary>
    public const int DefaultCapacity = 20_000;

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
        var key = TicketKey.Of(protectedText);
        if (_tickets.TryGetValue(key, out AuthenticationTicket? known))
            return known!.Clone();
        var ticket = inner.Unprotect(protectedText, purpose);
        if (ticket is not null)
            _tickets.Set(key, ticket.Clone(), new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = KeepFor, Size = 1 });
        return ticket;
    }

    public void Dispose() => _tickets.Dispose();

    /// <summary>The SHA-256 of a cookie's text (its UTF-16 code units), as the cache's key.</summary>
    private readonly record struct TicketKey(UInt128 First, UInt128 Second)
    {
        public static TicketKey Of(string text)
        {
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(MemoryMarshal.AsBytes(text.AsSpan()), hash);
            var halves = MemoryMarshal.Cast<byte, UInt128>(hash);
            return new TicketKey(halves[0], halves[1]);
        }
    }

#pragma warning disable CS0618 // MemoryCache's clock is still the old ISystemClock.
    private sealed class SystemClockOf(TimeProvider clock) : Microsoft.Extensions.Internal.ISystemClock
    {
        public DateTimeOffset UtcNow => clock.GetUtcNow();
    }
#pragma warning restore CS0618
}
