using System.Text.Json;
using System.Text.Json.Serialization;

namespace Outreach.Contracts;

/// <summary>
/// The contract's JSON, for the web and for every client of it: camelCase; enums exactly as their names (no case
/// folding, flags or numbers); numbers only as JSON numbers (never <c>"30"</c>). Control characters and
/// <c>null</c> array items are refused by the web before the body is read.
/// </summary>
public static class ContractJson
{
    /// <summary>Options set up by <see cref="Configure"/>, for clients that serialize bodies and read answers.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    public static void Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.Converters.Add(new StrictEnumConverterFactory());
        // The web defaults read "30" as 30; a number sent as a string is a mistake the caller should hear about.
        options.NumberHandling = JsonNumberHandling.Strict;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip;
        // A missing required field or a null where none is allowed is a 400 naming the field, not a null later.
        options.RespectNullableAnnotations = true;
        options.RespectRequiredConstructorParameters = true;
    }

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(options);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
