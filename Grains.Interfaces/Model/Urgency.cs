namespace Outreach.Model;

/// <summary>How soon the family needs help; it sets the claim deadline.</summary>
[GenerateSerializer, Alias("Outreach.Urgency")]
public enum Urgency
{
    Emergency,
    Urgent,
    Routine,
}
