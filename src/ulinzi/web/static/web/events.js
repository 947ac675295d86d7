// Events page map: the filtered events in view, one circle each when few, H3 hexagons when many.
// The server does all the counting and computes the hexagon outlines (with the h3 package), so
// this file only draws. No tile layer: the product works disconnected. Everything from the
// records (actors, places) reaches the page as text nodes, never as markup.
(function () {
  "use strict";
  const element = document.getElementById("events-map");
  if (!element || typeof L === "undefined" || !window.ulinziKit) { return; }
  const { text, legendItem } = window.ulinziKit;
  const status = document.getElementById("events-map-status");
  const legend = document.getElementById("events-legend");
  const show = document.getElementById("map-show");
  // Light to dark, for count classes 1 to 5.
  const HEX_COLOURS = ["#fde4c8", "#fbb882", "#f4874f", "#d9503a", "#9e1b26"];
  const POINT_COLOUR = "#b00020";
  const WORLD = { west: -180, south: -90, east: 180, north: 90 };

  // Whole zoom levels: the server picks the hexagon size from the zoom.
  const map = L.map(element, { zoomSnap: 1, attributionControl: true });
  map.attributionControl.setPrefix(false);
  // Above the boundaries (overlayPane, 400), below tooltips.
  map.createPane("events").style.zIndex = "450";
  let layer = null;
  let latest = 0;  // the newest request; answers to older ones are dropped
  let timer = null;

  function clamp(value, low, high) { return Math.min(high, Math.max(low, value)); }

  function count(n, word) { return `${n.toLocaleString()} ${word}${n === 1 ? "" : "s"}`; }

  function fit() {
    const extent = (element.dataset.extent || "").split(",").map(Number);
    if (extent.length !== 4 || !extent.every(Number.isFinite)) { map.setView([0, 0], 2); return; }
    const [west, south, east, north] = extent;
    map.fitBounds([[south, west], [north, east]], { padding: [24, 24], maxZoom: 13 });
  }


  function strong(value) {
    const bold = document.createElement("strong");
    bold.textContent = value;
    return bold;
  }

  function pointTooltip(p) {
    const actors = p.actor2 ? `${p.actor1} vs ${p.actor2}` : p.actor1;
    return text(strong(`${p.date} · ${p.sub_event_type}`), actors, p.location || "place not named",
      `Fatalities: ${p.fatalities}`, `${p.verification} · ${p.sensitivity}`, "Click to open the event");
  }

  function cellTooltip(p) {
    const dead = p.fatalities === 1 ? "1 fatality" : `${p.fatalities.toLocaleString()} fatalities`;
    return text(strong(count(p.events, "event")), dead, `H3 cell ${p.h3}`);
  }

  // Only the app's own paths are followed, whatever the answer holds.
  function openEvent(url) {
    if (typeof url === "string" && url.startsWith("/") && !url.startsWith("//")) { window.location.assign(url); }
  }

  function radiusOf(fatalities) { return 5 + 2 * Math.sqrt(Math.min(fatalities, 100)); }



  function drawLegend(collection) {
    if (collection.mode === "points") {
      legend.replaceChildren(legendItem(POINT_COLOUR, "One event (a larger circle: more fatalities)", true));
      return;
    }
    legend.replaceChildren(...collection.classes.map((c) => legendItem(HEX_COLOURS[c.level - 1],
      c.low === c.high ? count(c.low, "event") : `${c.low.toLocaleString()}–${c.high.toLocaleString()} events`)));
  }

  function draw(collection) {
    if (layer) { map.removeLayer(layer); }
    layer = L.geoJSON(collection, {
      pane: "events",
      // Leaflet applies this to circles and hexagons alike.
      style: (feature) => {
        if (feature.properties.kind === "event") {
          return { className: "event-point", color: "#ffffff", weight: 1, fillColor: POINT_COLOUR, fillOpacity: 0.8 };
        }
        const colour = HEX_COLOURS[feature.properties.level - 1] || HEX_COLOURS[0];
        return { className: "event-cell", color: "#6b1a1a", weight: 1, fillColor: colour, fillOpacity: 0.7 };
      },
      pointToLayer: (feature, latlng) => L.circleMarker(latlng,
        { pane: "events", radius: radiusOf(feature.properties.fatalities_best) }),
      onEachFeature: (feature, path) => {
        const p = feature.properties;
        path.bindTooltip(() => (p.kind === "event" ? pointTooltip(p) : cellTooltip(p)), { sticky: true });
        if (p.kind === "event") { path.on("click", () => openEvent(p.url)); }
      },
    }).addTo(map);
    drawLegend(collection);
    element.dataset.mode = collection.mode;
    element.dataset.featureCount = String(collection.features.length);
    const inView = `${count(collection.in_view, "matching event")} in view`;
    const how = collection.mode === "points" ? "one circle each"
      : `counted in ${collection.features.length.toLocaleString()} hexagons (H3 resolution ${collection.resolution}); a hexagon counts all its events, in view or not`;
    const summary = collection.in_view ? `${inView}, ${how}.` : "No matching event in view.";
    status.textContent = [summary, collection.note].filter(Boolean).join(" ");
  }

  function viewQuery() {
    const bounds = map.getBounds();
    const box = [
      clamp(bounds.getWest(), WORLD.west, WORLD.east), clamp(bounds.getSouth(), WORLD.south, WORLD.north),
      clamp(bounds.getEast(), WORLD.west, WORLD.east), clamp(bounds.getNorth(), WORLD.south, WORLD.north),
    ];
    const query = new URLSearchParams(element.dataset.filters || "");
    query.set("bbox", box.map((value) => value.toFixed(5)).join(","));
    query.set("zoom", String(Math.round(map.getZoom())));
    query.set("show", show ? show.value : "auto");
    return query;
  }

  async function load() {
    const ticket = ++latest;
    element.dataset.state = "loading";
    status.textContent = "Loading events…";
    try {
      const response = await fetch(`${element.dataset.mapUrl}?${viewQuery()}`,
        { credentials: "same-origin", headers: { Accept: "application/json" } });
      const body = await response.json();
      if (ticket !== latest) { return; }
      if (!response.ok) { throw new Error(body.detail || `HTTP ${response.status}`); }
      draw(body);
      element.dataset.state = "done";
    } catch (error) {
      if (ticket !== latest) { return; }
      element.dataset.state = "error";
      status.textContent = `Could not load the events for the map: ${error.message}`;
    }
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(load, 200);
  }

  // Administrative boundaries under the events, for orientation; not interactive.
  async function drawBoundaries() {
    const url = element.dataset.areasUrl;
    if (!url) { return; }
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) { return; }
    L.geoJSON(await response.json(), {
      interactive: false,
      style: { color: "#15324d", weight: 0.6, fillColor: "#ffffff", fillOpacity: 0.25 },
    }).addTo(map);
  }

  fit();
  drawBoundaries();
  load();
  map.on("moveend", later);
  if (show) { show.addEventListener("change", load); }
})();
