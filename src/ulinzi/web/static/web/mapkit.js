// Small DOM helpers the map pages share (Events, Overview, Patrol effort). Text from the records
// reaches the page through these as text nodes, never as markup.
(function () {
  "use strict";

  // Lines of text, one under the other: for tooltips.
  function text(...lines) {
    const box = document.createElement("div");
    lines.forEach((line, index) => {
      if (index) { box.append(document.createElement("br")); }
      box.append(line);
    });
    return box;
  }

  function swatch(colour, round) {
    const mark = document.createElement("span");
    mark.className = round ? "swatch round" : "swatch";
    mark.style.backgroundColor = colour;
    return mark;
  }

  function legendItem(colour, words, round) {
    const item = document.createElement("li");
    item.append(swatch(colour, round), words);
    return item;
  }

  window.ulinziKit = Object.freeze({ text, swatch, legendItem });
})();
