// Patrol effort map: hexagons coloured by patrol hours and coverage gaps outlined, both given
// by the server (outlines computed there with h3) in the page's JSON blocks, so this only draws.
// A gap's "Show on the map" link zooms to it; without script the link reloads with ?cell=.
(function () {
  "use strict";
  const element = document.getElementById("effort-map");
  if (!element || typeof L === "undefined" || !window.ulinziKit) { return; }
  const { text } = window.ulinziKit;
  const status = document.getElementById("effort-map-status");
  const COLOURS = ["#e3eef9", "#b3d1ee", "#6fa8dc", "#2f74b5", "#0b3d75"];
  const GAP_COLOUR = "#b00020";

  function collection(id) {
    const block = document.getElementById(id);
    return block ? JSON.parse(block.textContent) : { type: "FeatureCollection", features: [] };
  }


  const map = L.map(element, { attributionControl: true });
  map.attributionControl.setPrefix(false);
  const cells = L.geoJSON(collection("effort-cells"), {
    style: (feature) => ({ className: "effort-cell", color: "#0b3d75", weight: 1, fillOpacity: 0.7,
      fillColor: COLOURS[feature.properties.level - 1] || COLOURS[0] }),
    onEachFeature: (feature, path) => {
      const p = feature.properties;
      path.bindTooltip(() => text(`${p.hours.toLocaleString()} patrol hours`, `H3 cell ${p.h3}`), { sticky: true });
    },
  }).addTo(map);
  const byCell = new Map();
  const gaps = L.geoJSON(collection("gap-cells"), {
    style: { className: "effort-gap", color: GAP_COLOUR, weight: 3, fillOpacity: 0.05, dashArray: "4 3" },
    onEachFeature: (feature, path) => {
      const p = feature.properties;
      byCell.set(p.h3, path);
      path.bindTooltip(() => text("Coverage gap", `${p.hours.toLocaleString()} patrol hours`, `H3 cell ${p.h3}`),
        { sticky: true });
    },
  }).addTo(map);

  function focus(cell) {
    const path = byCell.get(cell);
    if (!path) { return false; }
    map.fitBounds(path.getBounds(), { padding: [48, 48], maxZoom: 15 });
    path.openTooltip(path.getBounds().getCenter());
    element.dataset.focus = cell;
    return true;
  }

  const everything = L.featureGroup([cells, gaps]);
  if (everything.getLayers().some((group) => group.getLayers().length)) {
    map.fitBounds(everything.getBounds(), { padding: [24, 24], maxZoom: 14 });
  } else {
    map.setView([18.55, -72.3], 10);
  }
  if (element.dataset.focus) { focus(element.dataset.focus); }
  document.querySelectorAll("a.show-gap[data-cell]").forEach((link) => {
    link.addEventListener("click", (event) => {
      if (focus(link.dataset.cell)) {
        event.preventDefault();
        element.scrollIntoView({ block: "center" });
      }
    });
  });
  status.textContent = `${cells.getLayers().length.toLocaleString()} hexagons with patrol time, `
    + `${gaps.getLayers().length.toLocaleString()} coverage gaps.`;
})();
