using System.Globalization;

namespace Outreach.Simulator;

/// <summary>One line per event on standard output, with the time.</summary>
internal static class Log
{
    public static void Write(string text) =>
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.Now:HH:mm:ss} simulator: {text}"));
}
