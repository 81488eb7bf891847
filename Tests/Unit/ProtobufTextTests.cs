using System.Text;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Unit;

/// <summary>The telemetry checks search the texts an OTLP body carries, not its binary ids and numbers.</summary>
[Category(TestCategory.Unit)]
public sealed class ProtobufTextTests
{
    [Fact]
    public void Strings_OfNestedMessages_AreFound_AndBinaryFieldsThatSpellTheTextAreNot()
    {
        // span { trace_id (1): bytes that happen to hold "+86"; name (5): "GET /api"; attribute (9) { key (1): "phone" } }
        var traceId = new byte[] { 0xC3, 0x28, 0x2B, 0x38, 0x36, 0xFF, 0x00, 0x91 };
        var attribute = Field(1, Encoding.UTF8.GetBytes("phone"));
        var span = Concat(Field(1, traceId), Field(5, Encoding.UTF8.GetBytes("GET /api")), Field(9, attribute),
            [0x39, 0x2B, 0x38, 0x36, 0, 0, 0, 0, 0]); // field 7, fixed64 whose bytes are "+86"
        var body = Field(1, span);

        var strings = ProtobufText.Strings(body);

        Assert.Contains("GET /api", strings);
        Assert.Contains("phone", strings);
        Assert.DoesNotContain(strings, s => s.Contains("+86", StringComparison.Ordinal));
        Assert.True(body.AsSpan().IndexOf("+86"u8) >= 0, "the raw bytes do hold +86, which is why they are not searched");
    }

    [Fact]
    public void Strings_OfAMessageWithAPhoneInAnAttribute_FindIt()
    {
        var body = Field(1, Field(9, Concat(Field(1, "caller"u8.ToArray()), Field(2, Field(1, "+86 13800000000"u8.ToArray())))));

        Assert.Contains(ProtobufText.Strings(body), s => s.Contains("+86", StringComparison.Ordinal));
    }

    private static byte[] Field(int number, byte[] value)
    {
        var bytes = new List<byte> { (byte)(number << 3 | 2) };
        var length = value.Length;
        do
        {
            var b = (byte)(length & 0x7F);
            length >>= 7;
            bytes.Add(length > 0 ? (byte)(b | 0x80) : b);
        }
        while (length > 0);
        bytes.AddRange(value);
        return [.. bytes];
    }

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];
}
