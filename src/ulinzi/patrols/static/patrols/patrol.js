// Patrol page: the track from the API's GeoJSON export and a replay over its time span.
// The slider counts seconds from the first fix; moving it (or Play) draws the track up to that
// moment, puts a marker where the patrol was, and lists only the linked events dated by then.
// No tile layer: the product works disconnected.
(function () {
  "use strict";
  const element = document.getElementById("patrol-map");
  if (!element || typeof L === "undefined") { return; }
  const status = document.getElementById("patrol-map-status");
  const slider = document.getElementById("replay-time");
  const play = document.getElementById("replay-play");
  const clock = document.getElementById("replay-clock");
  const events = Array.from(document.querySelectorAll("#patrol-events li[data-date]"));
  const REPLAY_SECONDS = 30;  // a whole track plays in about this long, whatever its length
  const TICK_MS = 100;

  const map = L.map(element, { attributionControl: true });
  map.attributionControl.setPrefix(false);
  map.setView([18.55, -72.3], 11);
  let coordinates = [];
  let times = [];
  let walked = null;
  let marker = null;
  let timer = null;

  function positionAt(t) {
    // The last fix at or before t (times are in order).
    let low = 0;
    let high = times.length - 1;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (times[middle] <= t) { low = middle; } else { high = middle - 1; }
    }
    return low;
  }

  function show(seconds) {
    const t = times[0] + seconds * 1000;
    const last = positionAt(t);
    const done = coordinates.slice(0, last + 1);
    walked.setLatLngs(done);
    marker.setLatLng(done[done.length - 1]);
    clock.textContent = `${new Date(t).toISOString().slice(0, 19).replace("T", " ")} UTC`;
    events.forEach((item) => { item.hidden = Date.parse(`${item.dataset.date}T00:00:00Z`) > t; });
  }

  function stop() {
    clearInterval(timer);
    timer = null;
    play.textContent = "Play";
  }

  function start() {
    const max = Number(slider.max);
    if (Number(slider.value) >= max) { slider.value = "0"; }
    const step = Math.max(1, Math.ceil(max / (REPLAY_SECONDS * 1000 / TICK_MS)));
    play.textContent = "Pause";
    timer = setInterval(() => {
      const next = Math.min(max, Number(slider.value) + step);
      slider.value = String(next);
      show(next);
      if (next >= max) { stop(); }
    }, TICK_MS);
  }

  function ready(feature) {
    coordinates = feature.geometry.coordinates.map(([lon, lat]) => [lat, lon]);
    times = feature.properties.times.map((value) => Date.parse(value));
    if (!coordinates.length) { status.textContent = "This track has no positions you may see."; return; }
    L.polyline(coordinates, { className: "track-full", color: "#7a8591", weight: 2, opacity: 0.6 }).addTo(map);
    walked = L.polyline([], { className: "track-walked", color: "#b00020", weight: 4 }).addTo(map);
    marker = L.circleMarker(coordinates[0], { className: "track-position", radius: 7, color: "#ffffff", weight: 2,
      fillColor: "#b00020", fillOpacity: 1 }).addTo(map);
    map.fitBounds(L.latLngBounds(coordinates), { padding: [24, 24], maxZoom: 16 });
    const span = Math.round((times[times.length - 1] - times[0]) / 1000);
    slider.max = String(span);
    slider.value = String(span);
    slider.disabled = false;
    play.disabled = false;
    show(span);
    status.textContent = `${coordinates.length.toLocaleString()} positions; move the slider or press Play to replay.`;
    element.dataset.state = "done";
  }

  async function load() {
    status.textContent = "Loading the track…";
    try {
      const response = await fetch(element.dataset.trackUrl,
        { credentials: "same-origin", headers: { Accept: "application/geo+json" } });
      if (!response.ok) { throw new Error(`HTTP ${response.status}`); }
      const body = await response.json();
      ready(body.features[0]);
    } catch (error) {
      element.dataset.state = "error";
      status.textContent = `Could not load the track: ${error.message}`;
    }
  }

  slider.addEventListener("input", () => { stop(); show(Number(slider.value)); });
  play.addEventListener("click", () => { if (timer) { stop(); } else { start(); } });
  load();
})();
