// Map page, roads and routes: the road segments from /api/geo/roads (grey, or red when closed),
// and a route planner over /api/geo/route on the date chosen for territorial control.
// Place, segment and actor names come from the data: they reach the page as text nodes or
// textContent only, never as markup. Panes are styled through element.style, which the CSP allows.
(function () {
  "use strict";
  const form = document.getElementById("route-form");
  const map = window.ulinzi && window.ulinzi.map;
  if (!form || !map) { return; }
  const picker = document.getElementById("control-date");
  const from = document.getElementById("route-from");
  const to = document.getElementById("route-to");
  const actorsBox = document.getElementById("route-actors");
  const actorsNote = document.getElementById("route-actors-note");
  const result = document.getElementById("route-result");
  const roadsStatus = document.getElementById("roads-status");
  // The statuses that close a segment to routing, as the server defines them.
  const CLOSED = new Set(form.dataset.closedStatuses.split(" "));
  const GREY = "#7a8591";
  const RED = "#b00020";
  const BLUE = "#1b6ca8";

  // Above the control areas (450), below tooltips (650). Only interactive paths take the mouse
  // (Leaflet's CSS), so the grey roads are not interactive: the control areas and boundaries
  // underneath keep their tooltips. Closed roads and the route have tooltips of their own.
  map.createPane("roads").style.zIndex = "460";
  map.createPane("route").style.zIndex = "470";
  let roads = null;
  let roadsDate = null;  // the date of the roads drawn, or being drawn
  let roadsTicket = 0;  // the newest roads request; answers to older ones are dropped
  let line = null;
  let routeTicket = 0;

  async function getJSON(url) {
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    let body = null;
    try { body = await response.json(); } catch { body = null; }
    return { ok: response.ok, status: response.status, body };
  }

  function element(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined) { node.textContent = text; }
    if (className) { node.className = className; }
    return node;
  }

  function list(tag, testId, items) {
    const node = element(tag);
    node.dataset.testid = testId;
    node.append(...items.map((text) => element("li", text)));
    return node;
  }

  const km = (value) => `${value.toLocaleString(undefined, { maximumFractionDigits: 1 })} km`;
  const plural = (count, word) => `${count} ${word}${count === 1 ? "" : "s"}`;
  const statusText = (status) => status.replaceAll("_", " ");

  // Roads

  function roadLabel(properties) {
    const label = element("span");
    label.append(element("strong", properties.name), document.createElement("br"),
      `${statusText(properties.status)}, ${km(properties.length_km)}`);
    return label;
  }

  function drawRoads(collection, iso) {
    if (roads) { map.removeLayer(roads); }
    const closed = (feature) => CLOSED.has(feature.properties.status);
    roads = L.layerGroup([
      L.geoJSON(collection, {
        pane: "roads", className: "road", interactive: false, filter: (feature) => !closed(feature),
        style: { color: GREY, weight: 1.5, opacity: 0.9 },
      }),
      L.geoJSON(collection, {
        pane: "roads", className: "road road-closed", filter: closed,
        style: { color: RED, weight: 3, opacity: 1 },
        onEachFeature: (feature, path) => path.bindTooltip(() => roadLabel(feature.properties), { sticky: true }),
      }),
    ]).addTo(map);
    const features = collection.features;
    const shut = features.filter(closed).length;
    const coarse = features.some((feature) => feature.properties.coarse)
      ? " Coarse links: straight lines between commune points, not surveyed roads." : "";
    form.dataset.roadsShown = iso;
    form.dataset.closedRoads = String(shut);
    roadsStatus.textContent = features.length
      ? `${plural(features.length, "road segment")} on ${iso}, ${shut} closed.${coarse}`
      : "No road segments loaded.";
  }

  async function showRoads(iso) {
    const ticket = ++roadsTicket;
    roadsDate = iso;
    try {
      const answer = await getJSON(`${form.dataset.roadsUrl}?date=${encodeURIComponent(iso)}`);
      if (ticket !== roadsTicket) { return; }
      if (!answer.ok) { throw new Error(`HTTP ${answer.status}`); }
      drawRoads(answer.body, iso);
    } catch (error) {
      if (ticket === roadsTicket) { roadsStatus.textContent = `Could not load the roads (${error.message}).`; }
    }
  }

  // The actors whose control areas a route may avoid: those shown on the map (control.js).

  function selectedActors() {
    return [...actorsBox.querySelectorAll("input[type=checkbox]:checked")].map((box) => box.value);
  }

  function showActors(shown) {
    const checked = new Set(selectedActors());
    actorsBox.replaceChildren(...shown.actors.map((actor) => {
      const box = element("input");
      box.type = "checkbox";
      box.name = "avoid";
      box.value = actor;
      box.checked = checked.has(actor);
      const label = element("label");
      label.append(box, actor);
      return label;
    }));
    actorsNote.textContent = shown.actors.length ? ""
      : `No control areas your role may see are in force on ${shown.date}.`;
    if (shown.date !== roadsDate) { showRoads(shown.date); }
  }

  // Routes

  function drawRoute(answer) {
    // GeoJSON is lon,lat; Leaflet wants lat,lon.
    const latlngs = answer.geometry.coordinates.map((part) => part.map(([lon, lat]) => [lat, lon]));
    line = L.polyline(latlngs, { pane: "route", className: "route-line", color: BLUE, weight: 5, opacity: 0.85 })
      .bindTooltip(() => element("span", `${answer.start} to ${answer.end}, ${km(answer.length_km)}`), { sticky: true })
      .addTo(map);
    map.fitBounds(line.getBounds(), { maxZoom: 13, padding: [30, 30] });
  }

  const reasonText = (item) => `${item.segment}: ${item.reason}`;

  function showFound(answer, iso) {
    drawRoute(answer);
    const summary = element("p");
    summary.dataset.testid = "route-summary";
    const length = element("strong", km(answer.length_km));
    length.dataset.testid = "route-length";
    summary.append(`Route from ${answer.start} to ${answer.end} on ${iso}: `, length,
      `, ${plural(answer.segments.length, "segment")}.`);
    const parts = [summary, list("ol", "route-segments", answer.segments)];
    if (answer.avoided.length) {
      parts.push(element("h3", `Avoided (${plural(answer.avoided.length, "segment")})`),
        list("ul", "route-avoided", answer.avoided.map(reasonText)));
    } else {
      parts.push(element("p", "No segment had to be avoided.", "muted"));
    }
    return parts;
  }

  function showNone(answer, iso) {
    const heading = element("p", `No safe route from ${answer.start} to ${answer.end} on ${iso}.`, "error");
    heading.dataset.testid = "route-none";
    heading.setAttribute("role", "alert");
    if (!answer.reasons.length) {
      return [heading, element("p", "No road links the two places, whatever is avoided.")];
    }
    return [heading, element("p", `Every way on from the start is closed (${plural(answer.reasons.length, "segment")}):`),
      list("ul", "route-reasons", answer.reasons.map(reasonText))];
  }

  function refusal(answer) {
    const detail = answer.body && answer.body.detail;
    if (typeof detail === "string") { return detail; }
    if (Array.isArray(detail)) {  // a schema error: [{loc: [..., "from"], msg}]
      return detail.map((item) => `${(item.loc || []).slice(-1)[0] || "query"}: ${item.msg}`).join("; ");
    }
    return `HTTP ${answer.status}`;
  }

  function show(outcome, parts) {
    result.dataset.outcome = outcome;
    result.replaceChildren(...parts);
  }

  function showError(message) {
    const text = element("p", message, "error");
    text.dataset.testid = "route-error";
    text.setAttribute("role", "alert");
    show("error", [text]);
  }

  async function plan() {
    const iso = picker.value;
    const ticket = ++routeTicket;
    if (line) { map.removeLayer(line); line = null; }
    if (!iso || iso < picker.min || iso > picker.max) {
      showError(`Choose a date from ${picker.min} to ${picker.max} for territorial control above.`);
      form.dataset.state = "done";
      return;
    }
    form.dataset.state = "planning";
    show("planning", [element("p", `Planning a route on ${iso}…`, "muted")]);
    const query = new URLSearchParams({ from: from.value.trim(), to: to.value.trim(), date: iso,
      avoid: selectedActors().join(",") });
    try {
      // Statuses may have changed since the roads were drawn: redraw them with the route.
      const [answer] = await Promise.all([getJSON(`${form.dataset.routeUrl}?${query}`), showRoads(iso)]);
      if (ticket !== routeTicket) { return; }
      if (!answer.ok) {
        showError(`Cannot plan this route: ${refusal(answer)}`);
      } else if (answer.body.found) {
        show("found", showFound(answer.body, iso));
      } else {
        show("none", showNone(answer.body, iso));
      }
    } catch (error) {
      if (ticket === routeTicket) { showError(`Could not plan the route (${error.message}).`); }
    } finally {
      if (ticket === routeTicket) { form.dataset.state = "done"; }
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    plan();
  });
  document.addEventListener("ulinzi:control-shown", (event) => showActors(event.detail));
  if (window.ulinzi.control) {
    showActors(window.ulinzi.control);
  } else {
    showRoads(picker.value);
  }
})();
