// Map page, drawing a control area: only analysts, monitors and administrators get this script,
// Leaflet.draw and the form. The polygon and the form become one GeoJSON feature sent to
// POST /api/geo/control, which checks it exactly as `ulinzi import control` checks a file; its
// refusals are shown in the form as text, never as markup. After a save the control layer is
// reloaded through control.js's own date box, so this script needs nothing else from it.
(function () {
  "use strict";
  const tools = document.getElementById("draw-tools");
  const form = document.getElementById("draw-form");
  const map = window.ulinzi && window.ulinzi.map;
  if (!tools || !form || !map || typeof L === "undefined" || !L.Draw) { return; }
  const start = document.getElementById("draw-start");
  const finish = document.getElementById("draw-finish");
  const cancel = document.getElementById("draw-cancel");
  const hint = document.getElementById("draw-hint");
  const errors = document.getElementById("draw-errors");
  const status = document.getElementById("draw-status");
  const actors = document.getElementById("draw-actors");
  const picker = document.getElementById("control-date");
  const save = form.querySelector("button[type=submit]");
  const fields = form.elements;
  // Names the API gives in an error's location that are not form fields.
  const NAMES = { geometry: "Polygon", properties: "Properties", type: "Feature" };

  // Above the control areas, roads and route (450–470), below markers (600): the polygon being
  // drawn stays visible over everything it is drawn on.
  map.createPane("drawing").style.zIndex = "480";
  const shape = { pane: "drawing", color: "#1b6ca8", weight: 3, fillOpacity: 0.15, dashArray: "6 4" };
  const handler = new L.Draw.Polygon(map, { allowIntersection: false, showArea: false, shapeOptions: shape });
  let drawn = null;  // the finished polygon, on the map while its form is open

  function setDrawing(on) {
    start.hidden = on;
    finish.hidden = !on;
    cancel.hidden = !on;
    hint.textContent = on
      ? "Click on the map for each corner; click the first corner, or Finish the polygon, to close it."
      : "";
  }

  function discard() {
    if (drawn) { map.removeLayer(drawn); }
    drawn = null;
    form.hidden = true;
    errors.replaceChildren();
    delete tools.dataset.state;
  }

  function labelOf(name) {
    const field = fields.namedItem(name);
    const label = field && field.id ? form.querySelector(`label[for="${field.id}"]`) : null;
    if (label) { return label.textContent.trim(); }
    return Object.hasOwn(NAMES, name) ? NAMES[name] : name;
  }

  function showErrors(lines) {
    errors.replaceChildren(...lines.map((line) => {
      const item = document.createElement("li");
      item.textContent = line;
      return item;
    }));
  }

  // Ninja's 422 lists errors with their location (["body", "feature", "properties", "valid_to"]);
  // other refusals (403, 409) carry one message.
  function refusal(code, body) {
    if (body && Array.isArray(body.detail)) {
      return body.detail.map((error) => `${labelOf(String(error.loc[error.loc.length - 1]))}: ${error.msg}`);
    }
    if (body && typeof body.detail === "string") { return [body.detail]; }
    return [`The server refused the area (HTTP ${code}).`];
  }

  function feature() {
    const text = (name) => fields.namedItem(name).value.trim();
    const properties = {
      actor: text("actor"),
      actor_kind: text("actor_kind"),
      valid_from: text("valid_from"),
      confidence: text("confidence"),
      sensitivity: text("sensitivity"),
      illustrative: fields.namedItem("illustrative").checked,
    };
    for (const name of ["valid_to", "sources"]) {
      if (text(name)) { properties[name] = text(name); }
    }
    return { type: "Feature", geometry: drawn.toGeoJSON().geometry, properties };
  }

  // Show the control layer on a day the new claim holds: the day shown if it does, else its
  // first day (within the date box's range).
  function showClaim(properties) {
    const holds = (iso) => properties.valid_from <= iso && (!properties.valid_to || iso <= properties.valid_to);
    let iso = holds(picker.value) ? picker.value : properties.valid_from;
    if (iso < picker.min) { iso = picker.min; }
    if (iso > picker.max) { iso = picker.max; }
    picker.value = iso;
    picker.dispatchEvent(new Event("change"));
  }

  function saved(stored) {
    const p = stored.properties;
    if (![...actors.options].some((option) => option.value === p.actor)) {
      const option = document.createElement("option");
      option.value = p.actor;
      actors.append(option);
    }
    discard();
    form.reset();
    tools.dataset.state = "saved";
    const until = p.valid_to ? `to ${p.valid_to}` : "with no end date";
    status.textContent = `Saved: ${p.actor} from ${p.valid_from} ${until}, ${p.area_km2} km² (area ${stored.id}).`;
    tools.dataset.saved = String(stored.id);
    showClaim(p);
  }

  async function send() {
    const response = await fetch(tools.dataset.controlUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        Accept: "application/json",
        "Content-Type": "application/json",
        "X-CSRFToken": fields.namedItem("csrfmiddlewaretoken").value,
      },
      body: JSON.stringify(feature()),
    });
    let body = null;
    try { body = await response.json(); } catch { body = null; }
    return { code: response.status, body };
  }

  start.addEventListener("click", () => {
    discard();
    status.textContent = "";
    handler.enable();
    setDrawing(true);
  });
  finish.addEventListener("click", () => handler.completeShape());
  cancel.addEventListener("click", () => handler.disable());
  map.on(L.Draw.Event.DRAWSTOP, () => setDrawing(false));
  map.on(L.Draw.Event.CREATED, (event) => {
    drawn = event.layer.addTo(map);
    form.hidden = false;
    if (!fields.namedItem("valid_from").value) { fields.namedItem("valid_from").value = picker.value; }
    fields.namedItem("actor").focus();
  });
  document.getElementById("draw-discard").addEventListener("click", discard);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!drawn) { return; }
    save.disabled = true;
    errors.replaceChildren();
    tools.dataset.state = "sending";
    try {
      const { code, body } = await send();
      if (code === 201) {
        saved(body);
      } else {
        showErrors(refusal(code, body));
        tools.dataset.state = "refused";
      }
    } catch (error) {
      showErrors([`Could not reach the server (${error.message}).`]);
      tools.dataset.state = "refused";
    } finally {
      save.disabled = false;
    }
  });
})();
