// Map page: draws administrative areas from /api/geo/areas on a blank background.
// No tile layer on purpose: the product works disconnected, so nothing is fetched from outside.
(function () {
  "use strict";
  const element = document.getElementById("map");
  const status = document.getElementById("map-status");
  const select = document.getElementById("level");
  if (!element || typeof L === "undefined") { return; }

  const map = L.map(element, { zoomSnap: 0.25, attributionControl: true });
  map.attributionControl.setPrefix(false);
  map.setView([18.6, -72.6], 8);
  // Shared with control.js, which draws the control layer on the same map.
  window.ulinzi = Object.assign(window.ulinzi || {}, { map });
  let layer = null;

  function describe(feature) {
    const p = feature.properties;
    const km2 = p.area_km2.toLocaleString(undefined, { maximumFractionDigits: 1 });
    return `${p.name} (${p.pcode}), ${km2} km²`;
  }

  async function draw(level) {
    status.textContent = "Loading boundaries…";
    const response = await fetch(`${element.dataset.areasUrl}?level=${encodeURIComponent(level)}`,
      { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) { status.textContent = `Could not load boundaries (HTTP ${response.status}).`; return; }
    const collection = await response.json();
    if (layer) { map.removeLayer(layer); }
    layer = L.geoJSON(collection, {
      style: { color: "#15324d", weight: 1, fillColor: "#7fa7c9", fillOpacity: 0.35 },
      // Names come from imported files: hand Leaflet a text node, never markup.
      onEachFeature: (feature, path) => path.bindTooltip(() => {
        const label = document.createElement("span");
        label.textContent = describe(feature);
        return label;
      }, { sticky: true }),
    }).addTo(map);
    if (collection.features.length) { map.fitBounds(layer.getBounds()); }
    element.dataset.featureCount = String(collection.features.length);
    status.textContent = `${collection.features.length} areas at level ${level}. Boundaries: CNIGS / UN OCHA (COD-AB), where imported.`;
  }

  if (select) {
    select.addEventListener("change", () => draw(select.value));
    draw(select.value);
  }
})();
