/* The map of a shared dataset's version: one circle per published (generalised) place,
   sized by its number of records. The points come from the page (json_script), never
   from the records themselves. The page works without this script, without Leaflet and
   without tiles: the map then stays hidden, or shows its circles on a blank ground. */
(function () {
  "use strict";
  window.addEventListener("load", function () {
    var box = document.getElementById("dataset-map");
    var data = document.getElementById("dataset-points");
    if (!box || !data || !window.L) return;
    var points = JSON.parse(data.textContent || "[]");
    if (!points.length) return;
    box.hidden = false;
    var map = window.L.map(box);
    if (box.dataset.tiles) {
      window.L.tileLayer(box.dataset.tiles, {
        maxZoom: 18,
        attribution: box.dataset.attribution || "",
      }).addTo(map);
    }
    var bounds = [];
    var most = points.reduce(function (m, p) { return Math.max(m, p[2]); }, 1);
    points.forEach(function (p) {
      var radius = 5 + 15 * Math.sqrt(p[2] / most);
      var circle = window.L.circleMarker([p[0], p[1]], {
        radius: radius,
        color: "#9a3b00",
        weight: 1,
        fillOpacity: 0.5,
      }).addTo(map);
      var text = document.createElement("span");
      text.textContent = p[2] + " " + box.dataset.records + " · " + p[3] + " " + box.dataset.counted;
      circle.bindPopup(text);
      bounds.push([p[0], p[1]]);
    });
    if (bounds.length === 1) map.setView(bounds[0], 9);
    else map.fitBounds(bounds, { padding: [20, 20], maxZoom: 11 });
    box.dataset.ready = "1";
  });
})();
