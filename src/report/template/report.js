// nightout report: builds the map, legend, popups, headline figures and the sortable table
// from the JSON in <script id="nightout-data">. Generic over layers: each has a kind
// (areas, gaps, events, stations, service_areas, sites, allocation, demand, routes, stops)
// that picks its symbol; simplestyle properties (fill, stroke, marker-color) are honoured.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('nightout-data').textContent);
  var state = { layers: {}, features: {}, tableRows: 0, ready: false };
  window.nightoutReport = state;

  // Style properties are drawn, not listed in popups.
  var STYLE_KEYS = ['fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-opacity', 'marker-color', 'marker-size',
                    'marker-symbol', 'title', 'description'];

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  // Red (0) through yellow (0.5) to green (1): the stops come from nightout (style::kCoverageRamp),
  // the same ramp as the GeoJSON fill and the QGIS styles.
  var RAMP = data.coverage_ramp.map(function (hex) {
    return [1, 3, 5].map(function (k) { return parseInt(hex.substr(k, 2), 16); });
  });
  function coverageColour(share) {
    var t = Math.min(1, Math.max(0, isFinite(share) ? share : 0));
    var a = t < 0.5 ? RAMP[0] : RAMP[1], b = t < 0.5 ? RAMP[1] : RAMP[2], u = t < 0.5 ? t / 0.5 : (t - 0.5) / 0.5;
    var hex = '#';
    for (var i = 0; i < 3; ++i) {
      var v = Math.round(a[i] + (b[i] - a[i]) * u);
      hex += (v < 16 ? '0' : '') + v.toString(16);
    }
    return hex;
  }

  // Locale-independent numbers: 12,345 and 12.3%.
  function thousands(v, decimals) {
    var s = Number(v).toFixed(decimals || 0), parts = s.split('.');
    parts[0] = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return parts.join('.');
  }
  function formatValue(key, v, format) {
    if (v === null || v === undefined || v === '') return '';
    if (typeof v === 'boolean') return v ? 'yes' : 'no';
    if (typeof v !== 'number') return String(v);
    if (format === 'share' || (!format && /share/.test(key))) return (100 * v).toFixed(1) + '%';
    if (format === 'bool') return v ? 'yes' : 'no';
    if (format === 'int' || Number.isInteger(v)) return thousands(v, 0);
    return thousands(v, Math.abs(v) >= 100 ? 0 : 2);
  }

  function popupHtml(layerTitle, p) {
    var title = p.title || p.name || p.id || layerTitle;
    var html = '<div class="popup"><strong>' + esc(title) + '</strong>';
    html += '<div class="small">' + esc(layerTitle) + '</div>';
    if (p.description) html += '<p>' + esc(p.description) + '</p>';
    html += '<table class="popup-table">';
    Object.keys(p).forEach(function (k) {
      if (STYLE_KEYS.indexOf(k) >= 0 || p[k] === null || p[k] === undefined) return;
      html += '<tr><td class="k">' + esc(k) + '</td><td>' + esc(formatValue(k, p[k])) + '</td></tr>';
    });
    return html + '</table></div>';
  }

  var map = L.map('map', { preferCanvas: true, zoomSnap: 0.25 });
  map.attributionControl.setPrefix('<a href="https://leafletjs.com" title="A JavaScript library for interactive maps (BSD-2-Clause)">Leaflet</a>');
  if (data.basemap) {
    L.tileLayer(data.basemap.url, { attribution: esc(data.basemap.attribution || ''), maxZoom: 19 }).addTo(map);
  }
  (data.attribution || []).forEach(function (a) { map.attributionControl.addAttribution(esc(a)); });

  // The share the areas are coloured by; the legend's selector switches it.
  var shareField = {};

  function styleFor(layer) {
    var kind = layer.kind;
    return function (feature) {
      var p = feature.properties || {};
      if ((kind === 'areas' || kind === 'demand') && shareField[layer.name]) {
        return { color: '#555', weight: 0.6, fillColor: coverageColour(p[shareField[layer.name]]), fillOpacity: 0.7 };
      }
      if (kind === 'gaps') return { color: '#7f0000', weight: 0.5, fillColor: '#b2182b', fillOpacity: 0.45 };
      if (kind === 'service_areas') return { color: '#3182bd', weight: 0.8, fillColor: '#3182bd', fillOpacity: 0.2 };
      if (kind === 'allocation') return { color: p.stroke || '#4d4d4d', weight: 1, opacity: 0.6 };
      if (kind === 'routes') return { color: p.stroke || '#e7298a', weight: p['stroke-width'] || 3, opacity: p['stroke-opacity'] || 0.9 };
      return {
        color: p.stroke || '#555', weight: p['stroke-width'] || 1,
        fillColor: p.fill || '#999', fillOpacity: p['fill-opacity'] !== undefined ? p['fill-opacity'] : 0.4
      };
    };
  }

  function pointFor(kind) {
    return function (feature, latlng) {
      var p = feature.properties || {};
      var o = { radius: 4, color: '#fff', weight: 1, fillColor: p['marker-color'] || '#2166ac', fillOpacity: 0.95 };
      if (kind === 'stations') o = { radius: 7, color: '#fff', weight: 2, fillColor: '#111', fillOpacity: 1 };
      if (kind === 'sites') o = { radius: 7, color: '#003c1e', weight: 2, fillColor: p['marker-color'] || '#1a9850', fillOpacity: 1 };
      if (kind === 'stops') o = { radius: 5, color: '#fff', weight: 1, fillColor: p['marker-color'] || '#6a3d9a', fillOpacity: 1 };
      return L.circleMarker(latlng, o);
    };
  }

  var overlays = {}, bounds = null, order = [];
  data.layers.forEach(function (layer) {
    var features = layer.geojson.features || [];
    if ((layer.kind === 'areas' || layer.kind === 'demand') && layer.value_field) shareField[layer.name] = layer.value_field;
    // One overlay per value of the split field (a radius or a travel-time break), the last one shown.
    var groups = [];
    if (layer.split) {
      var seen = {};
      features.forEach(function (f) {
        var v = (f.properties || {})[layer.split];
        if (!(v in seen)) { seen[v] = groups.length; groups.push({ key: v, features: [] }); }
        groups[seen[v]].features.push(f);
      });
    } else {
      groups.push({ key: null, features: features });
    }
    groups.forEach(function (g, i) {
      var title = layer.title + (g.key !== null ? ' ' + g.key : '');
      var gl = L.geoJSON({ type: 'FeatureCollection', features: g.features }, {
        style: styleFor(layer),
        pointToLayer: pointFor(layer.kind),
        onEachFeature: function (f, l) {
          l.bindPopup(function () { return popupHtml(title, f.properties || {}); }, { maxWidth: 360 });
          if (layer.name === (data.table || {}).layer) state.features[(f.properties || {}).id] = l;
        }
      });
      var visible = layer.visible && (!layer.split || i === groups.length - 1);
      if (visible) gl.addTo(map);
      var label = '<span class="swatch" style="background:' + swatchColour(layer) + '"></span>' + esc(title) +
                  ' <span class="small">(' + g.features.length + ')</span>';
      overlays[label] = gl;
      state.layers[title] = { kind: layer.kind, features: g.features.length, visible: visible, leaflet: gl };
      order.push(title);
      if (g.features.length) {
        var b = gl.getBounds();
        bounds = bounds ? bounds.extend(b) : L.latLngBounds(b.getSouthWest(), b.getNorthEast());
      }
    });
  });

  function swatchColour(layer) {
    switch (layer.kind) {
      case 'areas': case 'demand': return 'linear-gradient(90deg,#d73027,#fee08b,#1a9850)';
      case 'gaps': return '#b2182b';
      case 'service_areas': return '#9ecae1';
      case 'events': return '#2166ac';
      case 'stations': return '#111';
      case 'sites': return '#1a9850';
      case 'routes': return '#e7298a';
      case 'stops': return '#6a3d9a';
      default: return '#999';
    }
  }

  L.control.layers(null, overlays, { collapsed: false, position: 'topright' }).addTo(map);
  L.control.scale({ imperial: true }).addTo(map);
  // The whole study in view (also called by the browser test before its screenshot).
  state.fitAll = function () {
    map.closePopup();
    if (bounds) map.fitBounds(bounds, { padding: [10, 10], animate: false });
    else map.setView([0, 0], 2);
  };
  state.fitAll();
  // The printed map is narrower than the screen's: Leaflet redraws it at that size, the study in view.
  state.mapSize = function () { return map.getSize(); };
  var printing = function () { map.invalidateSize({ animate: false }); state.fitAll(); };
  window.addEventListener('beforeprint', printing);
  window.addEventListener('afterprint', printing);
  if (window.matchMedia) window.matchMedia('print').addEventListener('change', printing);

  // Legend: the coverage ramp (with a selector when there are several reaches) and the symbols.
  var legend = L.control({ position: 'bottomright' });
  legend.onAdd = function () {
    var div = L.DomUtil.create('div', 'legend');
    L.DomEvent.disableClickPropagation(div);
    var html = '';
    data.layers.forEach(function (layer) {
      if (!shareField[layer.name]) return;
      html += '<div class="title">' + esc(layer.title) + ': share covered</div>';
      var choices = layer.shares || [];
      if (choices.length > 1) {
        html += '<select data-layer="' + esc(layer.name) + '" aria-label="Reach">';
        choices.forEach(function (c) {
          html += '<option value="' + esc(c.field) + '"' + (c.field === layer.value_field ? ' selected' : '') + '>' + esc(c.label) + '</option>';
        });
        html += '</select>';
      }
      html += '<div class="ramp" style="background:linear-gradient(90deg,' + [0, 0.25, 0.5, 0.75, 1].map(coverageColour).join(',') + ')"></div>';
      html += '<div class="ticks"><span>0%</span><span>50%</span><span>100%</span></div>';
    });
    var kinds = {};
    data.layers.forEach(function (l) { kinds[l.kind] = l; });
    ['gaps', 'service_areas', 'events', 'stations', 'sites', 'routes', 'stops'].forEach(function (k) {
      if (kinds[k]) html += '<div><span class="swatch" style="background:' + swatchColour(kinds[k]) + '"></span>' + esc(kinds[k].title) + '</div>';
    });
    div.innerHTML = html;
    div.querySelectorAll('select').forEach(function (sel) {
      sel.addEventListener('change', function () {
        var name = sel.getAttribute('data-layer');
        shareField[name] = sel.value;
        order.forEach(function (t) {
          var info = state.layers[t];
          if (info.leaflet && info.leaflet.setStyle && (info.kind === 'areas' || info.kind === 'demand')) {
            var layer = data.layers.filter(function (l) { return l.name === name; })[0];
            info.leaflet.setStyle(styleFor(layer));
          }
        });
      });
    });
    return div;
  };
  legend.addTo(map);

  // Headline figures.
  var head = document.getElementById('headline');
  (data.headline || []).forEach(function (h) {
    var d = document.createElement('div');
    d.className = 'figure';
    d.innerHTML = '<div class="value">' + esc(h.value) + '</div><div class="label">' + esc(h.label) + '</div>' +
                  (h.note ? '<div class="note">' + esc(h.note) + '</div>' : '');
    head.appendChild(d);
  });
  document.getElementById('subtitle').textContent = data.subtitle || '';
  document.getElementById('credits').textContent = (data.attribution || []).join(' · ');

  // The most underserved areas, sortable.
  var t = data.table;
  var section = document.getElementById('underserved');
  if (!t) {
    section.hidden = true;
  } else {
    document.getElementById('table-title').textContent = t.title;
    var src = data.layers.filter(function (l) { return l.name === t.layer; })[0];
    var rows = (src ? src.geojson.features : []).map(function (f) { return f.properties || {}; });
    rows.sort(function (a, b) { return (a[t.sort] === null) - (b[t.sort] === null) || a[t.sort] - b[t.sort]; });
    rows = rows.slice(0, t.limit || rows.length);
    var table = document.getElementById('table');
    var thead = document.createElement('thead'), tr = document.createElement('tr');
    t.columns.forEach(function (c, i) {
      var th = document.createElement('th');
      th.textContent = c.label;
      th.title = c.field;
      if (c.format === 'text') th.className = 'text';
      if (c.field === t.sort) th.setAttribute('aria-sort', 'ascending');
      th.addEventListener('click', function () { sortBy(i, th); });
      tr.appendChild(th);
    });
    thead.appendChild(tr);
    table.appendChild(thead);
    var tbody = document.createElement('tbody');
    table.appendChild(tbody);
    var render = function () {
      tbody.innerHTML = '';
      rows.forEach(function (r) {
        var row = document.createElement('tr');
        t.columns.forEach(function (c) {
          var td = document.createElement('td');
          td.textContent = formatValue(c.field, r[c.field], c.format);
          if (c.format === 'text') td.className = 'text';
          row.appendChild(td);
        });
        row.addEventListener('click', function () {
          var l = state.features[r.id];
          if (!l) return;
          map.fitBounds(l.getBounds(), { maxZoom: 15 });
          l.openPopup(l.getBounds().getCenter());
        });
        tbody.appendChild(row);
      });
    };
    var sortBy = function (i, th) {
      var c = t.columns[i];
      var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
      table.querySelectorAll('th').forEach(function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', dir > 0 ? 'ascending' : 'descending');
      rows.sort(function (a, b) {
        var x = a[c.field], y = b[c.field];
        if (x === null || x === undefined) return 1;
        if (y === null || y === undefined) return -1;
        return (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y))) * dir;
      });
      render();
    };
    render();
    state.tableRows = rows.length;
  }
  state.ready = true;
})();
