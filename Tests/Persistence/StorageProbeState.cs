namespace Outreach.Tests.Persistence;

/// <summary>A small state written straight through <c>IGrainStorage</c> by the storage tests.</summary>
public sealed class StorageProbeState
{
    public string Writer { get; set; } = "";

    public int Value { get; set; }
}
