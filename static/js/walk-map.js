// Walks on a map (Leaflet, vendored). Two kinds of map, both only when the site has a tile server
// (MAP_TILE_URL; the template leaves them out otherwise):
// - [data-role="walk-map"] on a walk's page shows its point: a pin where it is exact (the host and
//   members), a circle of about 500 m where it is not (everyone else gets only the snapped point).
// - [data-role="point-picker"] on the walk form: a click or tap marks the meeting point and fills
//   the latitude/longitude fields; with the keyboard, the arrow keys move the map and Enter marks its
//   centre; typing in the fields moves the pin. The device's location is never asked for.
(function () {
  "use strict";

  var SEOUL = [37.5665, 126.978];
  var APPROXIMATE_RADIUS_M = 400;

  function tiles(element) {
    return L.tileLayer(element.dataset.tileUrl, { attribution: element.dataset.attribution, maxZoom: 19 });
  }

  function pin(element) {
    return L.icon({
      iconUrl: element.dataset.icon,
      iconRetinaUrl: element.dataset.icon2x,
      shadowUrl: element.dataset.shadow,
      iconSize: [25, 41],
      iconAnchor: [12, 41],
      shadowSize: [41, 41],
    });
  }

  function marker(element, latlng) {
    return L.marker(latlng, { icon: pin(element), alt: element.dataset.markerLabel, keyboard: false });
  }

  function showWalk(element) {
    var point = [parseFloat(element.dataset.lat), parseFloat(element.dataset.lng)];
    var exact = element.dataset.exact === "true";
    var map = L.map(element, { scrollWheelZoom: false }).setView(point, exact ? 16 : 15);
    tiles(element).addTo(map);
    if (exact) {
      marker(element, point).addTo(map);
    } else {
      L.circle(point, { radius: APPROXIMATE_RADIUS_M, interactive: false }).addTo(map);
    }
  }

  function number(input) {
    var value = parseFloat(input.value);
    return isFinite(value) ? value : null;
  }

  function pickPoint(element) {
    var latInput = document.getElementById(element.dataset.latInput);
    var lngInput = document.getElementById(element.dataset.lngInput);
    var clear = document.querySelector('[data-role="clear-point"]');
    var start = number(latInput) !== null && number(lngInput) !== null;
    var map = L.map(element, { scrollWheelZoom: false }).setView(
      start ? [number(latInput), number(lngInput)] : SEOUL,
      start ? 16 : 12
    );
    var current = null;
    tiles(element).addTo(map);

    function place(latlng, fillFields) {
      if (current) {
        current.setLatLng(latlng);
      } else {
        current = marker(element, latlng).addTo(map);
      }
      if (fillFields) {
        latInput.value = latlng.lat.toFixed(6);
        lngInput.value = L.Util.wrapNum(latlng.lng, [-180, 180], true).toFixed(6);
        latInput.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }

    function remove() {
      if (current) {
        map.removeLayer(current);
        current = null;
      }
    }

    if (start) {
      place(L.latLng(number(latInput), number(lngInput)), false);
    }
    map.on("click", function (event) {
      place(event.latlng, true);
    });
    element.addEventListener("keydown", function (event) {
      if ((event.key === "Enter" || event.key === " ") && event.target === element) {
        event.preventDefault();
        place(map.getCenter(), true);
      }
    });
    [latInput, lngInput].forEach(function (input) {
      input.addEventListener("input", function () {
        var lat = number(latInput);
        var lng = number(lngInput);
        if (lat === null || lng === null || Math.abs(lat) > 90 || Math.abs(lng) > 180) {
          remove();
          return;
        }
        place(L.latLng(lat, lng), false);
        map.panTo([lat, lng]);
      });
    });
    if (clear) {
      clear.addEventListener("click", function () {
        latInput.value = "";
        lngInput.value = "";
        remove();
      });
    }
  }

  if (typeof L === "undefined") {
    return;
  }
  document.querySelectorAll('[data-role="walk-map"]').forEach(showWalk);
  document.querySelectorAll('[data-role="point-picker"]').forEach(pickPoint);
})();
