using System.Text.Json;
using System.Text.Json.Serialization;

namespace Outreach.Web.Infrastructure;

/// <summary>The contract's JSON: camelCase, enums as their names (unknown words are an error), no numbers for enums.</summary>
public static class JsonSetup
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.Converters.Add(new JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: false));
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip;
        // A missing required field or a null where none is allowed is a 400 naming the field, not a null later.
        options.RespectNullableAnnotations = true;
        options.RespectRequiredConstructorParameters = true;
    }
}
