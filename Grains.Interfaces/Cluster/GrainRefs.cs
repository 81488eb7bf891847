namespace Outreach.Cluster;

/// <summary>
/// Grain references without Orleans resolving the interface on every call: <c>IGrainFactory.GetGrain&lt;T&gt;(key)</c>
/// reads the interface's attributes by reflection each time (2–3 % of a web node's CPU on the position-report path,
/// by the profile). Here each interface's <see cref="GrainInterfaceType"/> and <see cref="GrainType"/> are resolved
/// once, and a reference is built from its grain id — the same reference <c>GetGrain</c> gives.
/// </summary>
public static class GrainRefs
{
    /// <summary>The <typeparamref name="T"/> grain with this key (as <c>GetGrain&lt;T&gt;(key)</c>).</summary>
    public static T Get<T>(this IGrainFactory grains, Guid key) where T : IGrainWithGuidKey
    {
        var (interfaceType, grainType) = Resolved<T>.Of(grains);
        return (T)grains.GetGrain(GrainId.Create(grainType, GrainIdKeyExtensions.CreateGuidKey(key)), interfaceType);
    }

    /// <summary>The <typeparamref name="T"/> grain with this key (as <c>GetGrain&lt;T&gt;(key)</c>).</summary>
    public static T Get<T>(this IGrainFactory grains, string key) where T : IGrainWithStringKey
    {
        var (interfaceType, grainType) = Resolved<T>.Of(grains);
        return (T)grains.GetGrain(GrainId.Create(grainType, IdSpan.Create(key)), interfaceType);
    }

    /// <summary>The <typeparamref name="T"/> grain with this key (as <c>GetGrain&lt;T&gt;(key)</c>).</summary>
    public static T Get<T>(this IGrainFactory grains, long key) where T : IGrainWithIntegerKey
    {
        var (interfaceType, grainType) = Resolved<T>.Of(grains);
        return (T)grains.GetGrain(GrainId.Create(grainType, GrainIdKeyExtensions.CreateIntegerKey(key)), interfaceType);
    }

    private static class Resolved<T>
    {
        private static (GrainInterfaceType Interface, GrainType Type)? _types;

        public static (GrainInterfaceType Interface, GrainType Type) Of(IGrainFactory grains)
        {
            if (_types is { } known)
                return known;
            // One reference made the usual way says both (the same for every key of the interface).
            var sample = (GrainReference)(object)(typeof(IGrainWithStringKey).IsAssignableFrom(typeof(T))
                ? grains.GetGrain(typeof(T), "sample")
                : typeof(IGrainWithIntegerKey).IsAssignableFrom(typeof(T))
                    ? grains.GetGrain(typeof(T), 0L)
                    : grains.GetGrain(typeof(T), Guid.Empty));
            var resolved = (sample.InterfaceType, sample.GrainId.Type);
            _types = resolved;
            return resolved;
        }
    }
}
