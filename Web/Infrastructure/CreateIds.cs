using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Outreach.Web.Auth;
using Outreach.Web.Dispatch;

namespace Outreach.Web.Infrastructure;

/// <summary>
/// Ids of new stations, family files and volunteers. With an <c>Idempotency-Key</c> header the id is derived from
/// the kind, the caller's account and the key, so a retried create (the answer was lost, the write failed after
/// all) names the same grain, which then exists: the retry answers 201 with the same id and
/// <c>Idempotent-Replayed: true</c> instead of creating a duplicate. Without the header every create is new.
/// </summary>
public static class CreateIds
{
    /// <summary>The header that marks a replayed answer.</summary>
    public const string ReplayedHeader = "Idempotent-Replayed";

    /// <summary>The id for this create, or a 400 naming the header when its key is not 1–128 visible ASCII characters.</summary>
    public static Guid For(string kind, HttpContext http, out bool keyed, out ValidationProblem? problem)
    {
        var key = KeyOf(http.Request, out problem);
        keyed = key.Length > 0;
        return keyed ? Derive(kind, http.User, key) : Guid.NewGuid();
    }

    /// <summary>
    /// The request's <c>Idempotency-Key</c> ("" when none was sent), or a 400 naming the header when one was sent that
    /// is not 1–128 visible ASCII characters — sent empty included, which is not "no key".
    /// </summary>
    public static string KeyOf(HttpRequest request, out ValidationProblem? problem)
    {
        var key = request.Headers[RequestEndpoints.IdempotencyHeader].ToString();
        problem = request.Headers.ContainsKey(RequestEndpoints.IdempotencyHeader) && !RequestIds.IsValidKey(key)
            ? Problems.Field(RequestEndpoints.IdempotencyHeader, $"An idempotency key is 1 to {RequestIds.MaxKeyLength} visible ASCII characters.")
            : null;
        return key;
    }

    /// <summary>A name-based GUID (version 5 layout) of the kind, the account and the key.</summary>
    internal static Guid Derive(string kind, ClaimsPrincipal user, string key)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"outreach/{kind}/{user.AccountId():N}/{key}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16));
    }

    /// <summary>Marks the answer as the replay of an earlier create with the same key.</summary>
    public static void MarkReplayed(HttpResponse response) => response.Headers[ReplayedHeader] = "true";
}
