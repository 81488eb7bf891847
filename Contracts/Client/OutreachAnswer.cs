using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Outreach.Contracts;

/// <summary>The web's answer to one call: its status, its body as text, and its <c>Retry-After</c> (null when none).</summary>
public sealed record OutreachAnswer(HttpStatusCode Status, string Body, TimeSpan? RetryAfter)
{
    /// <summary>The body as a JSON tree; null when it is empty or not JSON (a proxy's error page, say).</summary>
    public JsonNode? Json()
    {
        if (Body.Length == 0)
            return null;
        try
        {
            return JsonNode.Parse(Body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The body read as <typeparamref name="T"/> with the contract's JSON.</summary>
    public T Read<T>() => JsonSerializer.Deserialize<T>(Body, ContractJson.Options)
        ?? throw new JsonException($"The answer's body is null where a {typeof(T).Name} was expected.");
}
