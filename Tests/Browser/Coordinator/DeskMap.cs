using Microsoft.Playwright;

namespace Outreach.Tests.Browser.Coordinator;

/// <summary>
/// Reads the desk's live map as Leaflet holds it, without a hook in the page: an init script (added before the
/// page loads) wraps the global <c>L</c> as Leaflet sets it and notes every map and layer group made after
/// that; a volunteer's marker is the one whose icon is the <c>.vol-pin</c> of that volunteer's id.
/// </summary>
public static class DeskMap
{
    private const string Watch = """
        (() => {
          const maps = [], groups = [];
          let leaflet;
          Object.defineProperty(window, 'L', {
            configurable: true,
            get: () => leaflet,
            set: value => {
              leaflet = value;
              value?.Map?.addInitHook(function () { maps.push(this); });
              value?.LayerGroup?.addInitHook(function () { groups.push(this); });
            },
          });
          Object.defineProperty(window, '__deskMapSetView', {
            value: (lat, lon, zoom) => maps[0].setView([lat, lon], zoom, { animate: false }),
          });
          Object.defineProperty(window, '__deskMapView', {
            value: () => maps[0] && { center: maps[0].getCenter(), zoom: maps[0].getZoom() },
          });
          Object.defineProperty(window, '__deskMapMarker', {
            value: (kind, id) => {
              for (const group of groups) {
                if (!maps.some(map => map.hasLayer(group))) continue;
                for (const layer of group.getLayers()) {
                  const pin = layer.options?.icon?.options?.html;
                  if (pin instanceof Element && pin.classList.contains(kind) && pin.dataset.id === id) {
                    const p = layer.getLatLng();
                    return [p.lat, p.lng];
                  }
                }
              }
              return null;
            },
          });
        })();
        """;

    /// <summary>Watches the maps the page will make; call before opening the desk.</summary>
    public static Task WatchAsync(IPage page) => page.AddInitScriptAsync(Watch);

    /// <summary>How long a wait for the map may take: the desk asks the server for each view after it settles.</summary>
    private static readonly PageWaitForFunctionOptions Patience = new() { Timeout = 15_000 };

    /// <summary>
    /// Moves the desk's map to <paramref name="zoom"/> around the place, as a coordinator panning would — once the desk
    /// has loaded its first view: until then its first snapshot may still fit the map to the stations, moving it away.
    /// </summary>
    public static async Task SetViewAsync(IPage page, double lat, double lon, int zoom)
    {
        await page.WaitForFunctionAsync("() => document.body.dataset.mapSeq !== undefined", null, Patience);
        // Nothing is returned: Leaflet's setView answers the map, which Playwright would try to copy whole.
        await page.EvaluateAsync("([lat, lon, zoom]) => { window.__deskMapSetView(lat, lon, zoom); }", new object[] { lat, lon, zoom });
    }

    /// <summary>Where the volunteer's marker is now ([lat, lon]), or null when the map shows none.</summary>
    public static async Task<double[]?> VolunteerMarkerAsync(IPage page, Guid volunteerId) =>
        await page.EvaluateAsync<double[]?>("id => window.__deskMapMarker('vol-pin', id)", volunteerId.ToString());

    /// <summary>Waits until the volunteer's marker stands at <paramref name="lat"/>; says what the map shows when it does not.</summary>
    public static async Task WaitForVolunteerMarkerAsync(IPage page, Guid volunteerId, double lat)
    {
        try
        {
            await page.WaitForFunctionAsync(
                "([id, lat]) => { const p = window.__deskMapMarker('vol-pin', id); return p !== null && Math.abs(p[0] - lat) < 1e-7; }",
                new object[] { volunteerId.ToString(), lat }, Patience);
        }
        catch (TimeoutException e)
        {
            var shown = await page.EvaluateAsync<string>("""
                id => JSON.stringify({ mode: document.body.dataset.mapMode, seq: document.body.dataset.mapSeq,
                  marker: window.__deskMapMarker('vol-pin', id), pins: document.querySelectorAll('.vol-pin').length,
                  clusters: document.querySelectorAll('.vol-cluster').length, view: window.__deskMapView() })
                """, volunteerId.ToString());
            throw new TimeoutException($"The marker of volunteer {volunteerId} did not come to lat {lat}; the map shows {shown}", e);
        }
    }

    /// <summary>Waits until the map shows no marker for the volunteer.</summary>
    public static Task WaitForNoVolunteerMarkerAsync(IPage page, Guid volunteerId) =>
        page.WaitForFunctionAsync("id => window.__deskMapMarker('vol-pin', id) === null",
            volunteerId.ToString(), Patience);
}
