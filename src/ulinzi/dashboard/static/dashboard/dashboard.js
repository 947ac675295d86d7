// The dashboard: one time window drives the map (events, control, roads), the key figures, the
// weekly trend and the force strength panel. Each panel fetches its own data, so a slow one never
// holds up the others, and an answer to an older window is dropped when a newer one was asked.
// The window and filters live in the address bar, so a view can be shared as a link.
// No tile layer: the product works disconnected. Text from the records reaches the page as text
// nodes, never as markup; only the app's own paths are followed.
(function () {
  "use strict";
  const form = document.getElementById("dashboard-controls");
  const element = document.getElementById("dashboard-map");
  if (!form || !element || typeof L === "undefined" || !window.ulinziKit) { return; }
  const { text, legendItem } = window.ulinziKit;

  const DAY = 86400000;
  const PLAY_STEP_DAYS = 7;
  const PLAY_INTERVAL_MS = 1500;
  const FILTERS = ["event_type", "actor", "pcode", "verification"];
  const HEX_COLOURS = ["#fde4c8", "#fbb882", "#f4874f", "#d9503a", "#9e1b26"];
  const POINT_COLOUR = "#b00020";
  const OTHER_COLOUR = "#777777";
  const PAP = [18.545, -72.32];

  const slider = document.getElementById("window-end");
  const label = document.getElementById("window-label");
  const lengthSelect = document.getElementById("window-days");
  const untilInput = document.getElementById("until");
  const play = document.getElementById("play");
  const first = Date.parse(form.dataset.first);
  const last = Date.parse(form.dataset.last);
  const colours = JSON.parse(document.getElementById("actor-colours").textContent);
  const closed = new Set((element.dataset.closedStatuses || "").split(" ").filter(Boolean));
  const mapStatus = document.getElementById("map-status");
  const tickets = {};  // the newest request of each panel
  let timer = null;
  let playing = null;
  let moves = 0;  // the newest window asked for

  const iso = (ms) => new Date(ms).toISOString().slice(0, 10);
  const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  // "1 Jun 2024", as the server writes it, whatever the browser's locale.
  const pretty = (text) => {
    const day = new Date(`${text}T00:00:00Z`);
    return `${day.getUTCDate()} ${MONTHS[day.getUTCMonth()]} ${day.getUTCFullYear()}`;
  };
  const count = (n, word) => `${n.toLocaleString()} ${word}${n === 1 ? "" : "s"}`;
  const own = (path) => typeof path === "string" && path.startsWith("/") && !path.startsWith("//");

  function ticket(panel) {
    tickets[panel] = (tickets[panel] || 0) + 1;
    const mine = tickets[panel];
    return () => mine === tickets[panel];
  }

  async function getJSON(url) {
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) { throw new Error(body.detail || `HTTP ${response.status}`); }
    return body;
  }

  // --- the window -----------------------------------------------------------------------------

  function window_() {
    const until = Date.parse(untilInput.value) || last;
    const days = Number(lengthSelect.value) || 30;
    const shown = { until: iso(until), since: iso(until - (days - 1) * DAY), days };
    const data = new FormData(form);
    FILTERS.forEach((name) => { shown[name] = String(data.get(name) || "").trim(); });
    return shown;
  }

  function eventsQuery(shown) {
    const query = new URLSearchParams({ since: shown.since, until: shown.until });
    FILTERS.forEach((name) => { if (shown[name]) { query.set(name, shown[name]); } });
    return query;
  }

  function pageQuery(shown) {
    const query = new URLSearchParams({ until: shown.until, days: String(shown.days) });
    FILTERS.forEach((name) => { if (shown[name]) { query.set(name, shown[name]); } });
    return query;
  }

  function setUntil(ms) {
    const bounded = Math.min(last, Math.max(first, ms));
    untilInput.value = iso(bounded);
    slider.value = String(Math.round((bounded - first) / DAY));
  }

  // The address bar changes only once the user changes the view: a fresh Overview stays "/".
  function refresh(chosen = true) {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const shown = window_();
      label.textContent = `${pretty(shown.since)} – ${pretty(shown.until)}`;
      if (chosen) { history.replaceState(null, "", `?${pageQuery(shown)}`); }
      form.dataset.until = shown.until;
      const report = document.getElementById("report-link");
      if (report) { report.href = `${report.pathname}?period=${shown.until.slice(0, 7)}`; }
      const move = ++moves;
      // What the eye goes to first, then the rest: on a busy server the figures and the events
      // do not queue behind the layers and charts. Each panel still fails on its own.
      // Each move times itself (data-first-ms, data-all-ms): what the benchmark reads.
      const asked = performance.now();
      Promise.allSettled([loadFigures(shown), loadEvents(shown)]).then(() => {
        if (move !== moves) { return; }
        form.dataset.firstMs = String(Math.round(performance.now() - asked));
        return Promise.allSettled([loadTrend(shown), loadStrength(shown), loadControl(shown), loadRoads(shown)]);
      }).then(() => {
        if (move !== moves) { return; }
        form.dataset.allMs = String(Math.round(performance.now() - asked));
        form.dataset.timedUntil = shown.until;
      });
    }, 150);
  }

  // --- key figures ----------------------------------------------------------------------------

  function cell(text, numeric) {
    const td = document.createElement("td");
    if (numeric) { td.className = "num"; }
    td.append(text);
    return td;
  }

  function recordsLink(text, query) {
    const link = document.createElement("a");
    link.href = `${form.dataset.eventsUrl}?${query}`;
    link.textContent = text;
    return link;
  }

  function fillTable(id, tallies, empty) {
    const body = document.querySelector(`#${id} tbody`);
    if (!tallies.length) {
      const row = document.createElement("tr");
      const only = cell(empty);
      only.colSpan = 3;
      row.append(only);
      body.replaceChildren(row);
      return;
    }
    body.replaceChildren(...tallies.map((tally) => {
      const row = document.createElement("tr");
      const name = document.createElement("th");
      name.scope = "row";
      name.append(recordsLink(tally.label, tally.records));
      row.append(name, cell(recordsLink(tally.events.toLocaleString(), tally.records), true),
        cell(tally.fatalities.toLocaleString(), true));
      return row;
    }));
  }

  async function loadFigures(shown) {
    const current = ticket("figures");
    const panel = document.getElementById("figures-panel");
    const status = document.getElementById("figures-status");
    panel.dataset.state = "loading";
    try {
      const body = await getJSON(`${form.dataset.figuresUrl}?${eventsQuery(shown)}`);
      if (!current()) { return; }
      const events = document.getElementById("figure-events");
      const dead = document.getElementById("figure-fatalities");
      events.textContent = body.events.toLocaleString();
      dead.textContent = body.fatalities.toLocaleString();
      events.href = dead.href = `${form.dataset.eventsUrl}?${body.records}`;
      document.getElementById("figures-window").textContent = `${pretty(shown.since)} – ${pretty(shown.until)}`;
      fillTable("by-type", body.by_type, "No events in this window.");
      fillTable("top-communes", body.communes, "No events in this window.");
      fillTable("top-actors", body.actors, "No events in this window.");
      status.textContent = "Each number opens the records behind it.";
      panel.dataset.state = "done";
      panel.dataset.until = shown.until;
    } catch (error) {
      if (!current()) { return; }
      panel.dataset.state = "error";
      status.textContent = `Could not load the figures: ${error.message}`;
    }
  }

  // --- charts and strength --------------------------------------------------------------------

  // The weekly trend, drawn here from the API's numbers: redrawing it on every move of the
  // slider costs the server a query instead of a chart rendering.
  const SVG = "http://www.w3.org/2000/svg";
  const CHART = { width: 640, height: 240, left: 34, right: 34, top: 14, bottom: 24 };

  function shape(name, attributes, words) {
    const node = document.createElementNS(SVG, name);
    Object.entries(attributes).forEach(([key, value]) => node.setAttribute(key, String(value)));
    if (words !== undefined) { node.textContent = words; }
    return node;
  }

  function drawTrend(chart, body, shown) {
    const weeks = body.weeks;
    const inner = { width: CHART.width - CHART.left - CHART.right, height: CHART.height - CHART.top - CHART.bottom };
    const mostEvents = Math.max(1, ...weeks.map((week) => week.events));
    const mostDead = Math.max(1, ...weeks.map((week) => week.fatalities));
    const step = inner.width / Math.max(1, weeks.length);
    const start = Date.parse(weeks.length ? weeks[0].start : shown.since);
    const xOf = (ms) => CHART.left + ((ms - start) / (7 * DAY)) * step;
    const yOf = (value, most) => CHART.top + inner.height * (1 - value / most);
    const parts = [shape("title", {}, `Events and fatalities per week to ${pretty(shown.until)}`)];
    weeks.forEach((week, index) => {
      const height = inner.height * (week.events / mostEvents);
      const bar = shape("rect", { x: CHART.left + index * step + 0.5, y: CHART.top + inner.height - height,
        width: Math.max(1, step - 1), height, fill: week.in_window ? "#1b6ca8" : "#a9c6dd", class: "trend-bar" });
      bar.append(shape("title", {}, `Week of ${pretty(week.start)}: ${count(week.events, "event")}, ${week.fatalities.toLocaleString()} fatalities`));
      parts.push(bar);
    });
    const line = weeks.map((week, index) => `${(CHART.left + (index + 0.5) * step).toFixed(1)},${yOf(week.fatalities, mostDead).toFixed(1)}`);
    parts.push(shape("polyline", { points: line.join(" "), fill: "none", stroke: "#b00020", "stroke-width": 1.5 }));
    body.arrivals.forEach((arrival) => {
      const x = xOf(Date.parse(arrival.on)).toFixed(1);
      parts.push(shape("line", { x1: x, x2: x, y1: CHART.top, y2: CHART.top + inner.height, stroke: "#3a9d5d", "stroke-dasharray": "4 3" }));
      parts.push(shape("text", { x, y: CHART.top + 9, fill: "#3a9d5d", "text-anchor": "end", transform: `rotate(-90 ${x} ${CHART.top + 9})`, dy: -3 },
        `${arrival.name} +${arrival.personnel.toLocaleString()}`));
    });
    const base = CHART.top + inner.height;
    parts.push(shape("line", { x1: CHART.left, x2: CHART.left + inner.width, y1: base, y2: base, stroke: "#555" }));
    parts.push(shape("text", { x: CHART.left - 4, y: CHART.top + 8, "text-anchor": "end" }, mostEvents.toLocaleString()));
    parts.push(shape("text", { x: CHART.left - 4, y: base, "text-anchor": "end" }, "0"));
    parts.push(shape("text", { x: CHART.left + inner.width + 4, y: CHART.top + 8, fill: "#b00020" }, mostDead.toLocaleString()));
    const every = Math.max(1, Math.ceil(weeks.length / 6));
    weeks.forEach((week, index) => {
      if (index % every) { return; }
      parts.push(shape("text", { x: CHART.left + index * step, y: CHART.height - 6 }, pretty(week.start).replace(/^\d+ /, "")));
    });
    chart.replaceChildren(...parts);
    chart.dataset.until = shown.until;
    chart.dataset.weeks = String(weeks.length);
  }

  async function loadTrend(shown) {
    const current = ticket("trend");
    const chart = document.getElementById("trend-chart");
    try {
      const body = await getJSON(`${chart.dataset.url}?${eventsQuery(shown)}`);
      if (current()) { drawTrend(chart, body, shown); }
    } catch (error) {
      if (current()) { chart.replaceChildren(shape("text", { x: 10, y: 20 }, `Could not load the trend: ${error.message}`)); }
    }
  }

  // Deployed (solid) against pledged (outline) per country, largest pledge first.
  function drawStrength(chart, body) {
    const countries = body.countries.filter((country) => country.deployed || country.pledged)
      .sort((a, b) => (b.pledged || b.deployed) - (a.pledged || a.deployed));
    const row = 22;
    const left = 110;
    const width = 640 - left - 150;
    const height = Math.max(40, 10 + row * countries.length);
    const most = Math.max(1, ...countries.map((country) => Math.max(country.deployed, country.pledged || 0)));
    const parts = [shape("title", {}, `Deployed against pledged personnel on ${pretty(body.on)}`)];
    if (!countries.length) { parts.push(shape("text", { x: 10, y: 24 }, `No personnel deployed or pledged on ${pretty(body.on)}.`)); }
    countries.forEach((country, index) => {
      const y = 6 + index * row;
      parts.push(shape("text", { x: left - 6, y: y + 13, "text-anchor": "end" }, country.name));
      if (country.pledged) {
        parts.push(shape("rect", { x: left, y, width: (width * country.pledged) / most, height: row - 6, fill: "none",
          stroke: "#444", "stroke-dasharray": "4 2" }));
      }
      parts.push(shape("rect", { x: left, y, width: (width * country.deployed) / most, height: row - 6, fill: "#1b6ca8",
        class: "strength-bar" }));
      const pledged = country.pledged ? ` of ${country.pledged.toLocaleString()} pledged` : "";
      parts.push(shape("text", { x: left + (width * Math.max(country.deployed, country.pledged || 0)) / most + 4, y: y + 13 },
        `${country.deployed.toLocaleString()}${pledged}`));
    });
    chart.setAttribute("viewBox", `0 0 640 ${height}`);
    chart.replaceChildren(...parts);
    chart.dataset.until = body.on;
  }

  async function loadStrength(shown) {
    const current = ticket("strength");
    const chart = document.getElementById("strength-chart");
    try {
      const body = await getJSON(`${chart.dataset.url}?on=${shown.until}`);
      if (!current()) { return; }
      document.getElementById("strength-deployed").textContent = body.deployed.toLocaleString();
      const pledged = document.getElementById("strength-pledged");
      if (pledged) { pledged.textContent = body.pledged === null ? "—" : body.pledged.toLocaleString(); }
      const day = document.getElementById("strength-date");
      day.textContent = body.on;
      day.dateTime = body.on;
      drawStrength(chart, body);
    } catch (error) {
      if (current()) { document.getElementById("strength-date").textContent = `(could not load: ${error.message})`; }
    }
  }

  // --- the map --------------------------------------------------------------------------------

  const map = L.map(element, { zoomSnap: 1, attributionControl: true });
  map.attributionControl.setPrefix(false);
  map.createPane("control").style.zIndex = "420";
  map.createPane("roads").style.zIndex = "430";
  map.createPane("events").style.zIndex = "450";
  map.setView(PAP, 12);
  // A connected deployment's own tile server (ULINZI_MAP_TILE_URL), if it has one; the page's
  // security policy allows that origin and no other.
  if (element.dataset.tileUrl) {
    L.tileLayer(element.dataset.tileUrl, { attribution: element.dataset.tileAttribution || "", maxZoom: 19 }).addTo(map);
  }
  const layers = {
    boundaries: L.layerGroup().addTo(map),
    control: L.layerGroup().addTo(map),
    roads: L.layerGroup().addTo(map),
    events: L.layerGroup().addTo(map),
  };
  L.control.layers(null, {
    "Events": layers.events, "Territorial control": layers.control, "Road status": layers.roads,
    "Administrative boundaries": layers.boundaries,
  }, { collapsed: false }).addTo(map);




  async function loadBoundaries() {
    const level = element.dataset.level;
    if (!level) { return; }
    try {
      const body = await getJSON(`${element.dataset.areasUrl}?level=${encodeURIComponent(level)}&zoom=${map.getZoom()}`);
      layers.boundaries.clearLayers();
      L.geoJSON(body, {
        interactive: false,
        style: { color: "#15324d", weight: 0.7, fillColor: "#ffffff", fillOpacity: 0.3 },
      }).addTo(layers.boundaries);
    } catch (error) {
      mapStatus.textContent = `Could not load the boundaries: ${error.message}`;
    }
  }

  function viewQuery(shown) {
    const bounds = map.getBounds();
    const box = [Math.max(bounds.getWest(), -180), Math.max(bounds.getSouth(), -90),
      Math.min(bounds.getEast(), 180), Math.min(bounds.getNorth(), 90)];
    const query = eventsQuery(shown);
    query.set("bbox", box.map((value) => value.toFixed(5)).join(","));
    query.set("zoom", String(Math.round(map.getZoom())));
    query.set("show", "auto");
    return query;
  }

  function pointTooltip(p) {
    const actors = p.actor2 ? `${p.actor1} vs ${p.actor2}` : p.actor1;
    return text(`${p.date} · ${p.sub_event_type}`, actors, p.location || "place not named",
      `Fatalities: ${p.fatalities}`, "Click to open the event");
  }

  function drawEvents(collection, shown) {
    layers.events.clearLayers();
    L.geoJSON(collection, {
      pane: "events",
      style: (feature) => {
        if (feature.properties.kind === "event") {
          return { className: "event-point", color: "#ffffff", weight: 1, fillColor: POINT_COLOUR, fillOpacity: 0.85 };
        }
        const colour = HEX_COLOURS[feature.properties.level - 1] || HEX_COLOURS[0];
        return { className: "event-cell", color: "#6b1a1a", weight: 1, fillColor: colour, fillOpacity: 0.7 };
      },
      pointToLayer: (feature, latlng) => L.circleMarker(latlng,
        { pane: "events", radius: 5 + 2 * Math.sqrt(Math.min(feature.properties.fatalities_best || 0, 100)) }),
      onEachFeature: (feature, path) => {
        const p = feature.properties;
        if (p.kind === "event") {
          path.bindTooltip(() => pointTooltip(p), { sticky: true });
          path.on("click", () => { if (own(p.url)) { window.location.assign(p.url); } });
        } else {
          const dead = `${p.fatalities.toLocaleString()} ${p.fatalities === 1 ? "fatality" : "fatalities"}`;
          path.bindTooltip(() => text(count(p.events, "event"), dead, "Click to list them"), { sticky: true });
          path.on("click", () => openCell(feature, shown));
        }
      },
    }).addTo(layers.events);
    const legend = document.getElementById("events-legend");
    if (collection.mode === "points") {
      legend.replaceChildren(legendItem(POINT_COLOUR, "One event (larger: more fatalities)", true));
    } else {
      legend.replaceChildren(...collection.classes.map((c) => legendItem(HEX_COLOURS[c.level - 1],
        c.low === c.high ? count(c.low, "event") : `${c.low.toLocaleString()}–${c.high.toLocaleString()} events`)));
    }
    element.dataset.mode = collection.mode;
    element.dataset.featureCount = String(collection.features.length);
    element.dataset.until = shown.until;
    const how = collection.mode === "points" ? "one circle each" : `counted in ${collection.features.length} hexagons`;
    mapStatus.textContent = collection.in_view
      ? `${count(collection.in_view, "event")} in view, ${how}.` : "No event of this window in view.";
  }

  async function loadEvents(shown) {
    const current = ticket("events");
    element.dataset.state = "loading";
    try {
      const body = await getJSON(`${element.dataset.eventsUrl}?${viewQuery(shown)}`);
      if (!current()) { return; }
      drawEvents(body, shown);
      element.dataset.state = "done";
    } catch (error) {
      if (!current()) { return; }
      element.dataset.state = "error";
      mapStatus.textContent = `Could not load the events: ${error.message}`;
    }
  }

  // A hexagon's records: its events as points (the server's own release rules), kept when they
  // fall inside the hexagon's outline, listed beside the map with a link to each.
  function inside(point, ring) {
    let hit = false;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i];
      const [xj, yj] = ring[j];
      if ((yi > point[1]) !== (yj > point[1]) && point[0] < ((xj - xi) * (point[1] - yi)) / (yj - yi) + xi) { hit = !hit; }
    }
    return hit;
  }

  async function openCell(feature, shown) {
    const ring = feature.geometry.coordinates[0];
    const xs = ring.map((pair) => pair[0]);
    const ys = ring.map((pair) => pair[1]);
    const query = eventsQuery(shown);
    query.set("bbox", [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)].map((v) => v.toFixed(6)).join(","));
    query.set("zoom", "16");
    query.set("show", "points");
    const box = document.getElementById("cell-records");
    const list = document.getElementById("cell-list");
    const note = document.getElementById("cell-note");
    box.hidden = false;
    list.replaceChildren();
    note.textContent = "Loading the events of this hexagon…";
    try {
      const body = await getJSON(`${element.dataset.eventsUrl}?${query}`);
      if (body.mode !== "points") { note.textContent = `${count(feature.properties.events, "event")}: too many to list; zoom in.`; return; }
      const found = body.features.filter((point) => inside(point.geometry.coordinates, ring));
      list.replaceChildren(...found.map((point) => {
        const p = point.properties;
        const item = document.createElement("li");
        const link = document.createElement("a");
        if (own(p.url)) { link.href = p.url; }
        link.textContent = `${p.date} · ${p.sub_event_type}`;
        item.append(link, ` — ${p.actor1}${p.actor2 ? ` vs ${p.actor2}` : ""}, ${p.location || "place not named"}, fatalities ${p.fatalities}`);
        return item;
      }));
      box.dataset.count = String(found.length);
      note.textContent = `${count(found.length, "event")} in this hexagon, ${pretty(shown.since)} – ${pretty(shown.until)}.`;
    } catch (error) {
      note.textContent = `Could not load the events of this hexagon: ${error.message}`;
    }
  }

  async function loadControl(shown) {
    const current = ticket("control");
    try {
      const body = await getJSON(`${element.dataset.controlUrl}?date=${shown.until}`);
      if (!current()) { return; }
      layers.control.clearLayers();
      const colourOf = (actor) => (Object.hasOwn(colours, actor) ? colours[actor] : OTHER_COLOUR);
      L.geoJSON(body, {
        pane: "control",
        style: (feature) => {
          const colour = colourOf(feature.properties.actor);
          return { color: colour, weight: 2, fillColor: colour, fillOpacity: 0.3,
            dashArray: feature.properties.illustrative ? "6 4" : null };
        },
        onEachFeature: (feature, path) => path.bindTooltip(() => text(feature.properties.actor,
          `Confidence: ${feature.properties.confidence}`,
          feature.properties.illustrative ? "Illustrative, not an assessment" : ""), { sticky: true }),
      }).addTo(layers.control);
      const actors = [...new Set(body.features.map((feature) => feature.properties.actor))].sort();
      document.getElementById("control-legend").replaceChildren(...actors.map((actor) => legendItem(colourOf(actor), actor)));
      document.getElementById("illustrative-banner").hidden = !body.features.some((f) => f.properties.illustrative === true);
      element.dataset.controlCount = String(body.features.length);
      element.dataset.controlUntil = shown.until;
    } catch (error) {
      if (current()) { mapStatus.textContent = `Could not load territorial control: ${error.message}`; }
    }
  }

  // Road geometry does not change with the date, only statuses do: the segments are drawn once
  // and restyled on later moves, unless the set of segments itself changed.
  const roadPaths = new Map();
  const roadStyle = (status) => ({ color: closed.has(status) ? "#b00020" : "#7a8591",
    weight: closed.has(status) ? 4 : 2, opacity: 0.9 });

  function sameRoads(features) {
    return features.length === roadPaths.size && features.every((feature) => roadPaths.has(feature.id));
  }

  async function loadRoads(shown) {
    const current = ticket("roads");
    try {
      const body = await getJSON(`${element.dataset.roadsUrl}?date=${shown.until}`);
      if (!current()) { return; }
      if (sameRoads(body.features)) {
        body.features.forEach((feature) => {
          const path = roadPaths.get(feature.id);
          if (path.feature.properties.status !== feature.properties.status) {
            path.feature.properties.status = feature.properties.status;
            path.setStyle(roadStyle(feature.properties.status));
          }
        });
      } else {
        layers.roads.clearLayers();
        roadPaths.clear();
        L.geoJSON(body, {
          pane: "roads",
          style: (feature) => roadStyle(feature.properties.status),
          onEachFeature: (feature, path) => {
            roadPaths.set(feature.id, path);
            path.bindTooltip(() => text(path.feature.properties.name || "road",
              path.feature.properties.status.replaceAll("_", " ")), { sticky: true });
          },
        }).addTo(layers.roads);
      }
      element.dataset.roadsUntil = shown.until;
    } catch (error) {
      if (current()) { mapStatus.textContent = `Could not load the roads: ${error.message}`; }
    }
  }

  // --- controls -------------------------------------------------------------------------------

  function stop() {
    clearInterval(playing);
    playing = null;
    play.textContent = "Play";
    play.setAttribute("aria-pressed", "false");
  }

  play.addEventListener("click", () => {
    if (playing) { stop(); return; }
    if ((Date.parse(untilInput.value) || last) >= last) { setUntil(first + (Number(lengthSelect.value) - 1) * DAY); }
    play.textContent = "Pause";
    play.setAttribute("aria-pressed", "true");
    refresh();
    playing = setInterval(() => {
      const next = (Date.parse(untilInput.value) || last) + PLAY_STEP_DAYS * DAY;
      setUntil(next);
      refresh();
      if (next >= last) { stop(); }
    }, PLAY_INTERVAL_MS);
  });
  slider.addEventListener("input", () => { setUntil(first + Number(slider.value) * DAY); refresh(); });
  untilInput.addEventListener("change", () => { if (untilInput.value) { setUntil(Date.parse(untilInput.value)); refresh(); } });
  lengthSelect.addEventListener("change", () => refresh());
  form.addEventListener("submit", (event) => { event.preventDefault(); refresh(); });
  map.on("moveend", () => { clearTimeout(map.pending); map.pending = setTimeout(() => loadEvents(window_()), 200); });
  map.on("zoomend", loadBoundaries);

  setUntil(Date.parse(slider.dataset.until) || last);
  loadBoundaries();
  refresh(false);
})();
