// Map page, territorial control: the control areas in force on the chosen date, coloured per
// actor, and the share of the metropolitan area under control on that date.
// Everything that comes from the data (actor names, dates) reaches the page as text nodes or
// textContent, never as markup. Colours are set through element.style, which the CSP allows.
(function () {
  "use strict";
  const form = document.getElementById("control");
  const map = window.ulinzi && window.ulinzi.map;
  if (!form || !map) { return; }
  const picker = document.getElementById("control-date");
  const slider = document.getElementById("control-day");
  const zoom = document.getElementById("control-zoom");
  const banner = document.getElementById("illustrative-banner");
  const legend = document.getElementById("control-legend");
  const status = document.getElementById("control-status");
  const table = document.getElementById("control-share");  // absent until the communes are loaded
  const chart = document.getElementById("control-share-chart");
  const colours = JSON.parse(document.getElementById("actor-colours").textContent);
  const DAY_MS = 86400000;
  const OTHER_COLOUR = "#666666";
  const start = Date.parse(form.dataset.start);  // a date-only ISO string parses as UTC midnight

  // Above the administrative areas (overlayPane, 400), below tooltips and markers.
  map.createPane("control").style.zIndex = "450";
  let layer = null;
  let latest = 0;  // the newest request; answers to older ones are dropped
  let timer = null;

  const isoOf = (day) => new Date(start + day * DAY_MS).toISOString().slice(0, 10);
  const dayOf = (iso) => Math.round((Date.parse(iso) - start) / DAY_MS);
  const colourOf = (actor) => (Object.hasOwn(colours, actor) ? colours[actor] : OTHER_COLOUR);
  const percent = (fraction) => (fraction === null ? "—"
    : `${(fraction * 100).toLocaleString(undefined, { minimumFractionDigits: 1, maximumFractionDigits: 1 })} %`);
  const km2 = (value) => value.toLocaleString(undefined, { maximumFractionDigits: 2 });

  async function getJSON(url) {
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) { throw new Error(`HTTP ${response.status}`); }
    return response.json();
  }

  function swatch(actor) {
    const mark = document.createElement("span");
    mark.className = "swatch";
    mark.style.backgroundColor = colourOf(actor);
    return mark;
  }

  function tooltip(properties) {
    const box = document.createElement("div");
    const actor = document.createElement("strong");
    actor.textContent = properties.actor;
    box.append(actor);
    const lines = [
      properties.valid_to ? `In force ${properties.valid_from} to ${properties.valid_to}`
        : `In force since ${properties.valid_from}, no end date`,
      `Confidence: ${properties.confidence}`,
    ];
    if (properties.illustrative) { lines.push("Illustrative, not an assessment"); }
    for (const line of lines) { box.append(document.createElement("br"), line); }
    return box;
  }

  function drawLayer(collection, iso) {
    if (layer) { map.removeLayer(layer); }
    layer = L.geoJSON(collection, {
      pane: "control",
      className: "control-area",
      style: (feature) => {
        const colour = colourOf(feature.properties.actor);
        // Made-up claims get a dashed outline as well as the banner.
        const dashArray = feature.properties.illustrative ? "6 4" : null;
        return { color: colour, weight: 2, fillColor: colour, fillOpacity: 0.45, dashArray };
      },
      onEachFeature: (feature, path) => path.bindTooltip(() => tooltip(feature.properties), { sticky: true }),
    }).addTo(map);
    const features = collection.features;
    const actors = [...new Set(features.map((feature) => feature.properties.actor))].sort();
    legend.replaceChildren(...actors.map((actor) => {
      const item = document.createElement("li");
      item.append(swatch(actor), actor);
      return item;
    }));
    banner.hidden = !features.some((feature) => feature.properties.illustrative === true);
    zoom.disabled = features.length === 0;
    form.dataset.featureCount = String(features.length);
    status.textContent = features.length
      ? `${features.length} control area${features.length === 1 ? "" : "s"} in force on ${iso}, held by ${actors.length} actor${actors.length === 1 ? "" : "s"}.`
      : `No control areas your role may see are in force on ${iso}.`;
    announce(iso, actors);
  }

  // For route.js (the actors whose areas a route may avoid): the last state shown, and an event
  // on every change, since either script may be ready first.
  function announce(iso, actors) {
    const shown = { date: iso, actors };
    window.ulinzi.control = shown;
    document.dispatchEvent(new CustomEvent("ulinzi:control-shown", { detail: shown }));
  }

  function cell(text) {
    const td = document.createElement("td");
    td.className = "num";
    td.textContent = text;
    return td;
  }

  function showShare(share, iso) {
    // Actors whose claims in force all lie outside the area hold none of it: no row.
    const rows = share.actors.filter((actor) => actor.area_km2 > 0).map((actor) => {
      const row = document.createElement("tr");
      const name = document.createElement("th");
      name.scope = "row";
      name.append(swatch(actor.actor), actor.actor);
      row.append(name, cell(percent(actor.area_share)), cell(percent(actor.population_share)), cell(km2(actor.area_km2)));
      return row;
    });
    if (!rows.length) {
      const row = document.createElement("tr");
      const empty = document.createElement("td");
      empty.colSpan = 4;
      empty.textContent = "No actor holds any of this area on this date.";
      row.append(empty);
      rows.push(row);
    }
    table.tBodies[0].replaceChildren(...rows);
    const [total, contested] = table.tFoot.rows;
    total.cells[1].textContent = percent(share.any_actor.area_share);
    total.cells[2].textContent = percent(share.any_actor.population_share);
    total.cells[3].textContent = km2(share.any_actor.area_km2);
    contested.cells[1].textContent = `${km2(share.contested_km2)} km²`;
    const day = document.getElementById("control-share-date");
    day.textContent = iso;
    day.dateTime = iso;
    const people = share.population === null ? "population unknown"
      : `about ${Math.round(share.population).toLocaleString()} people`;
    document.getElementById("control-share-note").textContent = `The area covers ${km2(share.area_km2)} km², ${people}.`;
  }

  function showChart(iso) {
    const next = `${chart.dataset.base}?area=${encodeURIComponent(table.dataset.area)}&date=${encodeURIComponent(iso)}`;
    if (chart.getAttribute("src") !== next) { chart.src = next; }
  }

  async function show(iso) {
    const ticket = ++latest;
    status.textContent = `Loading territorial control on ${iso}…`;
    const day = encodeURIComponent(iso);
    try {
      const [collection, share] = await Promise.all([
        getJSON(`${form.dataset.controlUrl}?date=${day}`),
        table ? getJSON(`${table.dataset.shareUrl}?area=${encodeURIComponent(table.dataset.area)}&date=${day}`) : null,
      ]);
      if (ticket !== latest) { return; }
      drawLayer(collection, iso);
      if (table) {
        showShare(share, iso);
        showChart(iso);
      }
      form.dataset.shown = iso;
    } catch (error) {
      if (ticket === latest) { status.textContent = `Could not load territorial control (${error.message}).`; }
    }
  }

  function schedule(iso) {
    clearTimeout(timer);
    timer = setTimeout(() => show(iso), 200);
  }

  slider.addEventListener("input", () => {
    const iso = isoOf(Number(slider.value));
    picker.value = iso;
    schedule(iso);
  });
  picker.addEventListener("change", () => {
    const iso = picker.value;  // empty while the date is incomplete or invalid
    if (!iso || iso < picker.min || iso > picker.max) {
      status.textContent = `Choose a date from ${picker.min} to ${picker.max}.`;
      return;
    }
    slider.value = String(dayOf(iso));
    schedule(iso);
  });
  zoom.addEventListener("click", () => {
    if (layer && layer.getLayers().length) { map.fitBounds(layer.getBounds(), { maxZoom: 14, padding: [20, 20] }); }
  });
  show(picker.value);
})();
