// The classic scripts the pages load before their modules (wwwroot/lib): Leaflet (with markercluster) and
// the SignalR client. Left untyped: the modules that use them wrap them (js/map.js, js/live.js).
declare global {
  interface Window {
    L: any;
    signalR: any;
  }
}

export {};
