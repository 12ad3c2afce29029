/* The record form's helpers. The form works fully without any of them.
   - narrow the evidence and unit selects to what the chosen species allows (a hint: the
     server checks);
   - "Use my location": the phone's GPS fills latitude, longitude and uncertainty;
   - a Leaflet map (files served by this node) where a tap sets the coordinates. */
(function () {
  "use strict";
  var form = document.getElementById("record-form");
  if (!form) return;
  var lat = form.querySelector("#id_latitude");
  var lon = form.querySelector("#id_longitude");
  var datum = form.querySelector("#id_datum");
  var uncertainty = form.querySelector("#id_coordinate_uncertainty_m");
  var species = form.querySelector("#id_species");
  var area = form.querySelector("#id_protected_area");
  var onPlaceChange = function () {};

  function limit(select, allowed) {
    if (!select) return;
    var ok = allowed ? allowed.split(" ") : null;
    Array.prototype.forEach.call(select.options, function (option) {
      var fits = !option.value || !ok || ok.indexOf(option.value) >= 0;
      option.hidden = !fits;
      option.disabled = !fits;
      if (!fits && option.selected) select.value = "";
    });
  }

  function narrow() {
    var option = species.options[species.selectedIndex];
    var data = option ? option.dataset : {};
    limit(form.querySelector("#id_evidence"), data.evidence);
    limit(form.querySelector("#id_unit"), data.units);
  }
  if (species) {
    species.addEventListener("change", narrow);
    narrow();
  }

  function setPlace(latitude, longitude, accuracy) {
    lat.value = latitude.toFixed(6);
    lon.value = longitude.toFixed(6);
    datum.value = "WGS84"; // the GPS and the map both speak WGS 84
    if (uncertainty) uncertainty.value = accuracy === undefined ? "" : accuracy;
    onPlaceChange();
  }

  function typedPlace() {
    var la = parseFloat(String(lat.value).replace(",", "."));
    var lo = parseFloat(String(lon.value).replace(",", "."));
    return isNaN(la) || isNaN(lo) ? null : [la, lo];
  }

  // --- the phone's position -------------------------------------------------------
  var locate = document.getElementById("use-location");
  var status = document.getElementById("location-status");
  if (locate && "geolocation" in navigator) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      status.textContent = locate.dataset.locating;
      navigator.geolocation.getCurrentPosition(
        function (position) {
          var c = position.coords;
          setPlace(c.latitude, c.longitude, Math.round(c.accuracy));
          status.textContent = locate.dataset.found;
        },
        function () {
          status.textContent = locate.dataset.failed;
        },
        { enableHighAccuracy: true, timeout: 30000, maximumAge: 60000 }
      );
    });
  }

  // --- the map: after the page has loaded, so that a slow link never holds the form ---
  window.addEventListener("load", function () {
    var box = document.getElementById("record-map");
    if (!box || !window.L) return;
    box.hidden = false;
    document.getElementById("map-hint").hidden = false;
    var map = window.L.map(box);
    if (box.dataset.tiles) {
      window.L.tileLayer(box.dataset.tiles, {
        maxZoom: 18,
        attribution: box.dataset.attribution || "",
      }).addTo(map);
    }
    var marker = null;

    function areaCentre() {
      var option = area && area.options[area.selectedIndex];
      if (option && option.dataset.lat) {
        return [parseFloat(option.dataset.lat), parseFloat(option.dataset.lon)];
      }
      return null;
    }

    function showMarker(recentre) {
      var point = typedPlace();
      if (!point) return;
      if (marker) marker.setLatLng(point);
      else marker = window.L.circleMarker(point, { radius: 8, color: "#9a3b00" }).addTo(map);
      if (recentre) map.setView(point, Math.max(map.getZoom() || 0, 12));
    }

    var start = typedPlace();
    if (start) map.setView(start, 12);
    else if (areaCentre()) map.setView(areaCentre(), 10);
    else map.setView([47.5, 131.0], 5);
    showMarker(false);

    onPlaceChange = function () {
      showMarker(true);
    };
    lat.addEventListener("change", onPlaceChange);
    lon.addEventListener("change", onPlaceChange);
    if (area) {
      area.addEventListener("change", function () {
        if (!marker && areaCentre()) map.setView(areaCentre(), 10);
      });
    }
    map.on("click", function (event) {
      setPlace(event.latlng.lat, event.latlng.lng);
    });
  });
})();
