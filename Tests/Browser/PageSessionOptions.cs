using Microsoft.Playwright;

namespace Outreach.Tests.Browser;

/// <summary>How a <see cref="PageSession"/>'s browser context looks: screen, language, position, permissions.</summary>
public sealed record PageSessionOptions
{
    /// <summary>A desk-sized screen in Chinese.</summary>
    public static PageSessionOptions Desktop { get; } = new();

    /// <summary>A phone-sized touch screen (360 × 740) in Chinese.</summary>
    public static PageSessionOptions Phone { get; } = new() { Width = 360, Height = 740, Mobile = true };

    public int Width { get; init; } = 1280;

    public int Height { get; init; } = 800;

    public bool Mobile { get; init; }

    public string Locale { get; init; } = "zh-CN";

    /// <summary>The position the browser reports (needs <c>"geolocation"</c> in <see cref="Permissions"/> to be given).</summary>
    public Geolocation? Geolocation { get; init; }

    /// <summary>Permissions granted up front, e.g. <c>["geolocation", "notifications"]</c>; others are refused.</summary>
    public IReadOnlyList<string> Permissions { get; init; } = [];
}
