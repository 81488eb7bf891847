using System.Globalization;

namespace Outreach.Grains.Dispatch;

/// <summary>
/// A timeline line the system writes: an event name with its values, so a page can say it in the reader's
/// language, and the same line in English for the API's <c>note</c>. Built once per transition inside the
/// request grain; <see cref="Add"/> and <see cref="Then"/> extend it as the transition learns more.
/// </summary>
internal sealed class TimelineNote
{
    private TimelineNote(string @event, string text)
    {
        Event = @event;
        Text = text;
    }

    /// <summary>The event's name, e.g. <c>offered</c>; pages look up <c>timeline.{Event}</c>.</summary>
    public string Event { get; }

    /// <summary>The event's values as invariant strings (counts, minutes, names, a person's own words as <c>text</c>).</summary>
    public Dictionary<string, string> Details { get; } = new(StringComparer.Ordinal);

    /// <summary>The whole line in English.</summary>
    public string Text { get; private set; }

    public static TimelineNote Recorded() => new("recorded", "recorded by the hotline");

    public static TimelineNote Offered(int count, double minutes) =>
        new TimelineNote("offered", $"offered to {count} volunteer(s) within {Minutes(minutes)} min")
            .Add("count", count).Add("minutes", Minutes(minutes));

    public static TimelineNote PairedFirst(int count, double seconds) =>
        new TimelineNote("pairedFirst", $"offered to the paired helper first ({count}), alone for {Math.Round(seconds)} s")
            .Add("count", count).Add("seconds", Math.Round(seconds));

    public static TimelineNote PairedWindowOver(int count, double minutes) =>
        new TimelineNote("pairedWindowOver", $"no claim by the paired helper; offered to {count} volunteer(s) within {Minutes(minutes)} min")
            .Add("count", count).Add("minutes", Minutes(minutes));

    public static TimelineNote Claimed(string volunteer, double etaMinutes) =>
        new TimelineNote("claimed", $"claimed by {volunteer}, ETA {Minutes(etaMinutes)} min")
            .Add("volunteer", volunteer).Add("eta", Minutes(etaMinutes));

    public static TimelineNote Assigned(string volunteer, string coordinator, bool offDuty, string? lacksSkill, string? text)
    {
        var objections = new List<string>();
        if (offDuty)
            objections.Add("is off duty");
        if (lacksSkill is not null)
            objections.Add($"lacks the skill {lacksSkill}");
        var forced = objections.Count > 0 ? $" (forced: {string.Join(", ", objections)})" : "";
        return new TimelineNote("assigned", $"assigned to {volunteer} by {coordinator}{forced}{Words(text)}")
            .Add("volunteer", volunteer).Add("coordinator", coordinator)
            .Add("offDuty", offDuty ? "true" : null).Add("lacksSkill", lacksSkill).Add("text", text);
    }

    public static TimelineNote Satisfied(int rating, string? text) =>
        new TimelineNote("satisfied", $"follow-up: satisfied, {rating}/5{Words(text)}").Add("rating", rating).Add("text", text);

    public static TimelineNote NotSatisfied(int rating, string? text) =>
        new TimelineNote("notSatisfied", $"follow-up: not satisfied, {rating}/5{Words(text)}; reopened").Add("rating", rating).Add("text", text);

    public static TimelineNote Released(string volunteer, string reason) =>
        new TimelineNote("released", $"released by {volunteer}: {reason}").Add("volunteer", volunteer).Add("text", reason);

    public static TimelineNote NotEnRoute(string volunteer, double minutes) =>
        new TimelineNote("notEnRoute", $"{volunteer} did not set off within {Minutes(minutes)} min; offered again")
            .Add("volunteer", volunteer).Add("minutes", Minutes(minutes));

    public static TimelineNote NoClaim(double minutes) =>
        new TimelineNote("noClaim", $"no claim within {Minutes(minutes)} min").Add("minutes", Minutes(minutes));

    public static TimelineNote Widened(string coordinator, string? text) =>
        new TimelineNote("widened", $"circle widened by {coordinator}{Words(text)}").Add("coordinator", coordinator).Add("text", text);

    /// <summary>Adds a value (nothing when it is null or blank).</summary>
    public TimelineNote Add(string key, object? value)
    {
        var text = Convert.ToString(value, CultureInfo.InvariantCulture);
        if (!string.IsNullOrWhiteSpace(text))
            Details[key] = text;
        return this;
    }

    /// <summary>Appends to the English line.</summary>
    public TimelineNote Then(string text)
    {
        Text += text;
        return this;
    }

    private static string Words(string? text) => string.IsNullOrWhiteSpace(text) ? "" : $": {text}";

    private static double Minutes(double minutes) => Math.Round(minutes, 1);
}
