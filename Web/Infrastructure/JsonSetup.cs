using System.Text.Json;
using System.Text.Json.Serialization;

namespace Outreach.Web.Infrastructure;

/// <summary>
/// The contract's JSON: camelCase; enums exactly as their names (no case folding, flags or numbers); numbers only
/// as JSON numbers (never <c>"30"</c>). Control characters and <c>null</c> array items are refused before the
/// body is read, by <see cref="JsonInputGuard"/>.
/// </summary>
public static class JsonSetup
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.Converters.Add(new StrictEnumConverterFactory());
        // The web defaults read "30" as 30; a number sent as a string is a mistake the caller should hear about.
        options.NumberHandling = JsonNumberHandling.Strict;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip;
        // A missing required field or a null where none is allowed is a 400 naming the field, not a null later.
        options.RespectNullableAnnotations = true;
        options.RespectRequiredConstructorParameters = true;
    }
}
