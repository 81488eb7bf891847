namespace Outreach.Model;

/// <summary>How a volunteer gets to a family.</summary>
[GenerateSerializer, Alias("Outreach.TravelMode")]
public enum TravelMode
{
    Walk,
    Bike,
    EBike,
    Car,
}
