using System.Text;

namespace Outreach.Tests.Infrastructure;

/// <summary>
/// The texts a protobuf message carries, found without its schema: every length-delimited field that is valid UTF-8,
/// and, where such a field parses as a message, the texts inside it too. A search of the raw bytes also matches the
/// binary fields (trace and span ids, timestamps, doubles), where three random bytes can spell "+86".
/// </summary>
public static class ProtobufText
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static IReadOnlyList<string> Strings(ReadOnlySpan<byte> message)
    {
        var found = new List<string>();
        Walk(message, found, depth: 0);
        return found;
    }

    /// <summary>Adds the texts of <paramref name="message"/> to <paramref name="found"/>; false when it is not a message.</summary>
    private static bool Walk(ReadOnlySpan<byte> message, List<string> found, int depth)
    {
        if (depth > 32)
            return false;
        var mark = found.Count;
        var at = 0;
        while (at < message.Length)
        {
            if (!TryVarint(message, ref at, out var tag) || tag >> 3 == 0)
                return Undo(found, mark);
            switch ((int)(tag & 7))
            {
                case 0:
                    if (!TryVarint(message, ref at, out _))
                        return Undo(found, mark);
                    break;
                case 1:
                    at += 8;
                    break;
                case 5:
                    at += 4;
                    break;
                case 2:
                    if (!TryVarint(message, ref at, out var length) || length > (ulong)(message.Length - at))
                        return Undo(found, mark);
                    var field = message.Slice(at, (int)length);
                    at += (int)length;
                    if (TryText(field, out var text))
                        found.Add(text);
                    Walk(field, found, depth + 1);
                    break;
                default:
                    return Undo(found, mark);
            }
            if (at > message.Length)
                return Undo(found, mark);
        }
        return true;
    }

    private static bool Undo(List<string> found, int mark)
    {
        found.RemoveRange(mark, found.Count - mark);
        return false;
    }

    private static bool TryText(ReadOnlySpan<byte> field, out string text)
    {
        try
        {
            text = Strict.GetString(field);
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = "";
            return false;
        }
    }

    private static bool TryVarint(ReadOnlySpan<byte> bytes, ref int at, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64 && at < bytes.Length; shift += 7)
        {
            var b = bytes[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
                return true;
        }
        return false;
    }
}
