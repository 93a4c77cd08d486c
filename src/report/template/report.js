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

  // The offline backdrop, from the study's OpenStreetMap extract in three bands of zoom levels
  // (simplified for each): water and parks under everything; the streets by class (paler and
  // thinner as they get smaller) over the areas' fills but under the points and routes, so that
  // a planner sees which block a gap is; the street names above it all from zoom 16 on. With
  // --basemap tiles, the streets go under the tiles too.
  function drawBackdrop(bd) {
    var STYLE = {  // colour, width in pixels at zoom 14 (0: a filled area)
      motorway: ['rgba(60,60,60,0.55)', 4], trunk: ['rgba(60,60,60,0.5)', 3.6], primary: ['rgba(60,60,60,0.48)', 3.2],
      secondary: ['rgba(60,60,60,0.45)', 2.8], tertiary: ['rgba(60,60,60,0.4)', 2.3], minor: ['rgba(60,60,60,0.33)', 1.6],
      service: ['rgba(60,60,60,0.25)', 1], path: ['rgba(60,60,60,0.2)', 0.8],
      water_line: ['#9cc3d9', 1.6], water: ['#c6e2ee', 0], park: ['#dcedd3', 0]
    };
    var BASE = ['park', 'water', 'water_line'], STREETS = ['path', 'service', 'minor', 'tertiary', 'secondary', 'primary', 'trunk', 'motorway'];
    map.createPane('backdrop').style.zIndex = 150;  // under the tile pane (200)
    map.createPane('streets').style.zIndex = data.basemap ? 160 : 390;  // over the fills' pane (380), under the other layers (400)
    map.createPane('streetNames').style.zIndex = 450;
    ['backdrop', 'streets', 'streetNames'].forEach(function (p) { map.getPane(p).style.pointerEvents = 'none'; });
    // Each way once as Web Mercator in [0, 1], with its bounding box, per band.
    var bands = bd.bands.map(function (band) {
      var classes = {};
      Object.keys(band.classes).forEach(function (k) {
        classes[k] = band.classes[k].map(function (w) {
          var n = (w.length - 1) / 2, xy = new Float64Array(2 * n), x = 0, y = 0;
          var x0 = 1, y0 = 1, x1 = 0, y1 = 0;
          for (var i = 0; i < n; ++i) {
            x += w[1 + 2 * i]; y += w[2 + 2 * i];
            var lon = x / bd.scale, lat = y / bd.scale, s = Math.sin(lat * Math.PI / 180);
            var mx = (lon + 180) / 360, my = 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
            xy[2 * i] = mx; xy[2 * i + 1] = my;
            if (mx < x0) x0 = mx; if (mx > x1) x1 = mx; if (my < y0) y0 = my; if (my > y1) y1 = my;
          }
          return { name: w[0], xy: xy, box: [x0, y0, x1, y1] };
        });
      });
      return { min: band.min_zoom, max: band.max_zoom, classes: classes };
    });
    var drawn = { ways: 0, labels: 0 };
    state.backdrop = drawn;
    // Draws `classes` (or, without, the street names) on a canvas renderer's context.
    function paint(renderer, classes) {
      var withLines = !!classes;
      var ctx = renderer._ctx, b = renderer._bounds;
      if (!ctx || !b) return;
      var z = map.getZoom(), world = 256 * Math.pow(2, z), origin = map.getPixelOrigin();
      var band = bands.filter(function (x) { return z >= x.min && z <= x.max + 0.01; })[0] || bands[bands.length - 1];
      var view = [(b.min.x + origin.x) / world, (b.min.y + origin.y) / world, (b.max.x + origin.x) / world, (b.max.y + origin.y) / world];
      var scale = Math.pow(2, (z - 14) / 3);
      var placed = [];
      var count = 0;
      (classes || STREETS).forEach(function (k) {
        var ways = band.classes[k];
        if (!ways) return;
        var st = STYLE[k], polygon = st[1] === 0;
        ctx.beginPath();
        ways.forEach(function (w) {
          if (w.box[2] < view[0] || w.box[0] > view[2] || w.box[3] < view[1] || w.box[1] > view[3]) return;
          var xy = w.xy;
          for (var i = 0; i < xy.length; i += 2) {
            var px = xy[i] * world - origin.x, py = xy[i + 1] * world - origin.y;
            if (i === 0) ctx.moveTo(px, py); else ctx.lineTo(px, py);
          }
          if (polygon) ctx.closePath();
          ++count;
          if (!withLines && w.name >= 0 && z >= 16) label(ctx, w, bd.names[w.name], world, origin, placed);
        });
        if (!withLines) return;
        if (polygon) {
          ctx.fillStyle = st[0];
          ctx.fill();
        } else {
          ctx.strokeStyle = st[0];
          ctx.lineWidth = Math.max(0.6, Math.min(14, st[1] * scale));
          ctx.lineCap = ctx.lineJoin = 'round';
          ctx.stroke();
        }
      });
      if (!withLines) drawn.labels = placed.length;
      else if (classes === STREETS) drawn.ways = count;
    }
    // A street's name along its longest segment on screen, when the name fits there and no other
    // label is in the way.
    function label(ctx, w, text, world, origin, placed) {
      var xy = w.xy, best = 0, at = -1;
      for (var i = 0; i + 3 < xy.length; i += 2) {
        var dx = (xy[i + 2] - xy[i]) * world, dy = (xy[i + 3] - xy[i + 1]) * world, d = dx * dx + dy * dy;
        if (d > best) { best = d; at = i; }
      }
      ctx.font = '11px system-ui, "DejaVu Sans", sans-serif';
      var width = ctx.measureText(text).width;
      if (at < 0 || Math.sqrt(best) < width + 12) return;
      var x = ((xy[at] + xy[at + 2]) / 2) * world - origin.x, y = ((xy[at + 1] + xy[at + 3]) / 2) * world - origin.y;
      var r = width / 2 + 4;
      for (var j = 0; j < placed.length; ++j) {
        var p = placed[j];
        if (Math.abs(p[0] - x) < p[2] + r && Math.abs(p[1] - y) < 12) return;
      }
      placed.push([x, y, r]);
      var angle = Math.atan2((xy[at + 3] - xy[at + 1]), (xy[at + 2] - xy[at]));
      if (angle > Math.PI / 2) angle -= Math.PI; else if (angle < -Math.PI / 2) angle += Math.PI;
      ctx.save();
      ctx.translate(x, y);
      ctx.rotate(angle);
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.lineWidth = 3;
      ctx.strokeStyle = 'rgba(255,255,255,0.9)';
      ctx.strokeText(text, 0, 0);
      ctx.fillStyle = '#555';
      ctx.fillText(text, 0, 0);
      ctx.restore();
    }
    // Leaflet's canvas renderer clears itself and calls _draw after every move and zoom.
    [['backdrop', BASE], ['streets', STREETS], ['streetNames', null]].forEach(function (p) {
      var r = L.canvas({ pane: p[0], padding: 0.2 });
      r._draw = function () { paint(r, p[1]); };
      map.addLayer(r);
    });
  }

  // The share the areas are coloured by; the legend's selector switches it.
  var shareField = {};

  function styleFor(layer) {
    var kind = layer.kind;
    return function (feature) {
      var p = feature.properties || {};
      // Points keep the symbol pointFor gave them (Leaflet applies `style` to circle markers too).
      if (feature.geometry && (feature.geometry.type === 'Point' || feature.geometry.type === 'MultiPoint')) return pointStyle(kind, p);
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

  // A point far beyond the study area (a swapped latitude/longitude, a wrong CRS): status far_off.
  function farOff(p) {
    return p.status === 'far_off';
  }

  // A point that reaches no one: far off, or off the road network (network_status other than ok).
  function unreached(p) {
    return farOff(p) || (p.network_status !== undefined && p.network_status !== null && p.network_status !== 'ok');
  }

  // Each point layer's symbol, as the legend shows it; an unreached point is hollow: dashed in
  // its layer's colour when off the network, dotted grey when far off.
  var FAR_OFF_COLOUR = '#999999';
  function pointStyle(kind, p) {
    var o = { radius: 4, color: '#fff', weight: 1, fillColor: p['marker-color'] || '#2166ac', fillOpacity: 0.95 };
    if (kind === 'stations') o = { radius: 7, color: '#fff', weight: 2, fillColor: '#111', fillOpacity: 1 };
    if (kind === 'sites') o = { radius: 7, color: '#003c1e', weight: 2, fillColor: p['marker-color'] || '#1a9850', fillOpacity: 1 };
    if (kind === 'stops') o = { radius: 5, color: '#fff', weight: 1, fillColor: p['marker-color'] || '#6a3d9a', fillOpacity: 1 };
    if (farOff(p)) o = { radius: o.radius + 2, color: FAR_OFF_COLOUR, weight: 2, dashArray: '1,3', fillColor: '#fff', fillOpacity: 0.9 };
    else if (unreached(p)) o = { radius: o.radius + 1, color: o.fillColor, weight: 2, dashArray: '2,2', fillColor: '#fff', fillOpacity: 0.9 };
    return o;
  }

  function pointFor(kind) {
    return function (feature, latlng) {
      return L.circleMarker(latlng, pointStyle(kind, feature.properties || {}));
    };
  }

  // Areas, gaps and service areas on a canvas of their own, under the streets of the backdrop.
  map.createPane('fills').style.zIndex = 380;
  var fillRenderer = L.canvas({ pane: 'fills' });
  var FILL_KINDS = ['areas', 'demand', 'gaps', 'service_areas'];
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
        renderer: FILL_KINDS.indexOf(layer.kind) >= 0 ? fillRenderer : undefined,
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
      // The study in view: far-off points (in another part of the world) are left out of it.
      gl.eachLayer(function (l) {
        if (farOff((l.feature || {}).properties || {})) return;
        var b = l.getBounds ? l.getBounds() : L.latLngBounds(l.getLatLng(), l.getLatLng());
        bounds = bounds ? bounds.extend(b) : L.latLngBounds(b.getSouthWest(), b.getNorthEast());
      });
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
  if (data.backdrop) drawBackdrop(data.backdrop);  // once the map has a view
  // The printed map is narrower than the screen's: Leaflet redraws it at that size, the study in view.
  state.mapSize = function () { return map.getSize(); };
  state.leafletMap = map;
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
    var some = function (test) {
      return data.layers.some(function (l) {
        return (l.geojson.features || []).some(function (f) { return test(f.properties || {}); });
      });
    };
    if (some(function (p) { return unreached(p) && !farOff(p); })) html += '<div><span class="swatch hollow"></span>off the road network (reaches no one)</div>';
    if (some(farOff)) html += '<div><span class="swatch far-off"></span>far off: outside the study area (reaches no one)</div>';
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
          // The map into the window first, then the feature into the map, without animation, so
          // that the popup opens where the feature is drawn, inside the view.
          var box = map.getContainer().getBoundingClientRect();
          if (box.top < 0 || box.bottom > window.innerHeight) map.getContainer().scrollIntoView({ block: 'start' });
          var b = l.getBounds ? l.getBounds() : L.latLngBounds([l.getLatLng(), l.getLatLng()]);
          map.fitBounds(b, { maxZoom: 15, animate: false, padding: [40, 40] });
          l.openPopup(b.getCenter());
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
  // The equity panel: each group's share reached per break, against everyone's (the black tick).
  var eq = data.equity;
  if (eq && eq.breaks && eq.breaks.length) {
    document.getElementById('equity').hidden = false;
    document.getElementById('equity-note').textContent = (eq.note || '') + '; counted ' + (eq.population_model || '') + '.';
    var bars = document.getElementById('equity-bars');
    eq.breaks.forEach(function (b) {
      var div = document.createElement('div');
      div.className = 'eq-break';
      var html = '<div class="title">Within ' + esc(b.label) + ': ' + (100 * b.overall_share).toFixed(1) + '% of all residents' +
                 (b.gap_points !== null ? '; gap best-worst ' + b.gap_points.toFixed(1) + ' points (' + esc(b.best) + ' / ' + esc(b.worst) + ')' : '') +
                 '; Gini ' + b.gini.toFixed(3) + '</div>';
      (b.groups || []).forEach(function (g) {
        var after = g.share_after_sites;
        html += '<div class="eq-row" data-group="' + esc(g.name) + '"><span class="name">' + esc(g.name) + '</span>' +
                '<span class="track">' +
                (after !== undefined ? '<span class="bar after" style="width:' + (100 * after).toFixed(2) + '%"></span>' : '') +
                '<span class="bar" style="width:' + (100 * g.share).toFixed(2) + '%"></span>' +
                '<span class="overall" style="left:' + (100 * b.overall_share).toFixed(2) + '%"></span></span>' +
                '<span>' + (100 * g.share).toFixed(1) + '%' + (after !== undefined ? ' &rarr; ' + (100 * after).toFixed(1) + '% with the suggested sites' : '') +
                ' (ratio ' + g.ratio.toFixed(2) + '; ' + thousands(g.reached) + ' of ' + thousands(g.population) + ')</span></div>';
      });
      div.innerHTML = html;
      bars.appendChild(div);
    });
  }
  // The program panel: a month slider; the map shows the areas that month's events reach (green)
  // and the events; the calendar table below marks the month's events.
  var prog = data.program;
  if (prog && prog.months && prog.months.length) {
    document.getElementById('program').hidden = false;
    document.getElementById('program-note').textContent = prog.events.length + ' events, ' + prog.cadence + ', ' + prog.from + ' to ' + prog.to +
      '; an event reaches the areas within ' + prog.reach + '. ' + prog.areas_meeting + ' of ' + prog.areas_total +
      ' areas are reached in every ' + prog.every_days + '-day window.';
    var REACHED = '#1a9850', NOT_REACHED = '#e0e0e0';
    var pmap = L.map('program-map', { preferCanvas: true, zoomSnap: 0.25 });
    pmap.attributionControl.setPrefix(false);
    var areaLayers = {};
    var areas = L.geoJSON(prog.areas_geojson || { type: 'FeatureCollection', features: [] }, {
      style: function () { return { color: '#777', weight: 0.5, fillColor: NOT_REACHED, fillOpacity: 0.75 }; },
      onEachFeature: function (f, l) {
        var p = f.properties || {};
        areaLayers[p.id] = l;
        l.bindTooltip(esc(p.name || p.id), { sticky: true });
      }
    }).addTo(pmap);
    var pbounds = areas.getBounds();
    var fitProgram = function () {
      if (pbounds.isValid()) pmap.fitBounds(pbounds, { padding: [8, 8], animate: false });
      else pmap.setView([0, 0], 2);
    };
    fitProgram();
    var eventsLayer = L.layerGroup().addTo(pmap);
    var table = document.getElementById('program-table');
    var cols = [['date', 'date'], ['weekday', 'day'], ['time', 'time'], ['site', 'site'], ['areas', 'areas reached'],
                ['residents', 'residents reached'], ['first', 'first in window'], ['officers', 'officers']];
    var head = '<thead><tr>' + cols.map(function (c) { return '<th class="' + (c[0] === 'site' || c[0] === 'officers' ? 'text' : '') + '">' + esc(c[1]) + '</th>'; }).join('') + '</tr></thead>';
    var body = prog.events.map(function (e, i) {
      var cells = [e.date, e.weekday, e.start + '–' + e.end, e.site + (e.fixed ? ' (fixed)' : ''), thousands(e.areas), thousands(e.residents), thousands(e.first),
                   e.unstaffed ? 'not staffed: ' + e.unstaffed : e.officers];
      return '<tr data-event="' + i + '" data-month="' + esc(e.date.substr(0, 7)) + '">' + cells.map(function (c, k) {
        return '<td class="' + (k === 3 || k === 7 ? 'text' : '') + '">' + esc(c) + '</td>';
      }).join('') + '</tr>';
    }).join('');
    table.innerHTML = head + '<tbody>' + body + '</tbody>';
    var slider = document.getElementById('program-slider');
    slider.max = String(prog.months.length - 1);
    var show = function (i) {
      var m = prog.months[i], reached = {};
      m.areas.forEach(function (id) { reached[id] = true; });
      Object.keys(areaLayers).forEach(function (id) {
        areaLayers[id].setStyle({ fillColor: reached[id] ? REACHED : NOT_REACHED });
      });
      eventsLayer.clearLayers();
      prog.events.forEach(function (e) {
        if (e.date.substr(0, 7) !== m.month) return;
        L.circleMarker([e.lat, e.lon], { radius: 6, color: '#fff', weight: 1.5, fillColor: '#2166ac', fillOpacity: 1 })
          .bindPopup('<strong>' + esc(e.site) + '</strong><br>' + esc(e.date) + ' ' + esc(e.start) + '–' + esc(e.end) + '<br>' +
                     thousands(e.areas) + ' areas, ' + thousands(e.residents) + ' residents')
          .addTo(eventsLayer);
      });
      document.getElementById('program-month').textContent = m.label;
      document.getElementById('program-figures').textContent = m.events + ' event' + (m.events === 1 ? '' : 's') + ' reaching ' + m.areas.length +
        ' of ' + prog.areas_total + ' areas (' + thousands(m.residents) + ' residents)';
      table.querySelectorAll('tbody tr').forEach(function (tr) { tr.classList.toggle('in-month', tr.getAttribute('data-month') === m.month); });
      // The month's first event at the top of the table's scrolling box (the page itself stays put).
      var firstRow = table.querySelector('tbody tr.in-month'), wrap = table.parentNode;
      if (firstRow && wrap) wrap.scrollTop = firstRow.offsetTop - table.querySelector('thead').offsetHeight;
      // What the map shows, read back from the drawn areas (the browser test compares it with calendar.csv).
      state.program = {
        month: m.month, index: i, events: eventsLayer.getLayers().length, rows: table.querySelectorAll('tbody tr').length,
        highlighted: table.querySelectorAll('tbody tr.in-month').length,
        reached: Object.keys(areaLayers).filter(function (id) { return areaLayers[id].options.fillColor === REACHED; }).sort(),
        areasDrawn: Object.keys(areaLayers).length
      };
    };
    slider.addEventListener('input', function () { show(Number(slider.value)); });
    table.querySelectorAll('tbody tr').forEach(function (tr) {
      tr.addEventListener('click', function () {
        var month = tr.getAttribute('data-month');
        prog.months.forEach(function (m, i) { if (m.month === month) { slider.value = String(i); show(i); } });
      });
    });
    // The first month with an event.
    var firstMonth = 0;
    while (firstMonth < prog.months.length - 1 && !prog.months[firstMonth].events) ++firstMonth;
    slider.value = String(firstMonth);
    show(firstMonth);
    var printingProgram = function () { pmap.invalidateSize({ animate: false }); fitProgram(); };
    window.addEventListener('beforeprint', printingProgram);
    window.addEventListener('afterprint', printingProgram);
    if (window.matchMedia) window.matchMedia('print').addEventListener('change', printingProgram);
  }
  state.readyMs = Math.round(performance.now());  // since navigation: the browser test's load time
  state.ready = true;
})();
