/* Lineage graph of the docs site: a layered DAG laid out here (no library) and drawn as SVG. */
(function () {
  'use strict';
  var NODE_W = 180;
  var NODE_H = 28;
  var GAP_X = 70;
  var GAP_Y = 12;
  var SVG_NS = 'http://www.w3.org/2000/svg';

  /**
   * Layers by longest path from the roots of the shown subgraph, then a few barycenter sweeps to
   * order each layer so that edges cross less. Linear in nodes + edges per sweep: fine at 1,000s.
   */
  function layout(ids, parentsOf, nameOf) {
    var shown = new Set(ids);
    var parents = new Map();
    var children = new Map();
    ids.forEach(function (id) {
      parents.set(id, parentsOf(id).filter(function (p) { return shown.has(p); }));
      children.set(id, []);
    });
    ids.forEach(function (id) {
      parents.get(id).forEach(function (p) { children.get(p).push(id); });
    });
    var indegree = new Map();
    var queue = [];
    ids.forEach(function (id) {
      indegree.set(id, parents.get(id).length);
      if (!parents.get(id).length) queue.push(id);
    });
    var layerOf = new Map();
    var layers = [];
    while (queue.length) {
      var id = queue.pop();
      var layer = parents.get(id).reduce(function (m, p) { return Math.max(m, layerOf.get(p) + 1); }, 0);
      layerOf.set(id, layer);
      (layers[layer] = layers[layer] || []).push(id);
      children.get(id).forEach(function (c) {
        indegree.set(c, indegree.get(c) - 1);
        if (!indegree.get(c)) queue.push(c);
      });
    }
    // A root (a source, a generated dimension) sits just before its first child, not far left.
    ids.forEach(function (id) {
      var kids = children.get(id);
      if (parents.get(id).length || !kids.length) return;
      var layer = kids.reduce(function (m, c) { return Math.min(m, layerOf.get(c)); }, Infinity) - 1;
      if (layer === layerOf.get(id)) return;
      layers[layerOf.get(id)].splice(layers[layerOf.get(id)].indexOf(id), 1);
      layerOf.set(id, layer);
      layers[layer].push(id);
    });
    layers.forEach(function (l) {
      l.sort(function (a, b) { return nameOf(a) < nameOf(b) ? -1 : 1; });
    });
    var pos = new Map();
    var place = function (l) {
      l.forEach(function (n, i) { pos.set(n, i - (l.length - 1) / 2); });
    };
    layers.forEach(place);
    for (var sweep = 0; sweep < 4; sweep++) {
      var down = sweep % 2 === 0;
      var sequence = down ? layers.slice(1) : layers.slice(0, -1).reverse();
      sequence.forEach(function (l) {
        var bary = new Map();
        l.forEach(function (n) {
          var near = down ? parents.get(n) : children.get(n);
          bary.set(n, near.length ? near.reduce(function (s, m) { return s + pos.get(m); }, 0) / near.length : pos.get(n));
        });
        l.sort(function (a, b) { return bary.get(a) - bary.get(b); });
        place(l);
      });
    }
    layers = layers.filter(function (l) { return l.length; });
    var rows = layers.reduce(function (m, l) { return Math.max(m, l.length); }, 1);
    var coords = new Map();
    layers.forEach(function (l, li) {
      var offset = ((rows - l.length) * (NODE_H + GAP_Y)) / 2;
      l.forEach(function (n, i) { coords.set(n, { x: li * (NODE_W + GAP_X), y: offset + i * (NODE_H + GAP_Y) }); });
    });
    return { coords: coords, parents: parents, children: children, width: Math.max(1, layers.length * (NODE_W + GAP_X) - GAP_X), height: rows * (NODE_H + GAP_Y) - GAP_Y };
  }

  function reach(start, edges) {
    var seen = new Set();
    var stack = [start];
    while (stack.length) {
      (edges.get(stack.pop()) || []).forEach(function (n) {
        if (!seen.has(n)) {
          seen.add(n);
          stack.push(n);
        }
      });
    }
    return seen;
  }

  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]; });
  }

  /**
   * Draw `ids` into `container`; clicking a node calls onClick(id). highlight(id) marks a node with
   * its upstream and downstream and dims the rest. Wheel zooms, drag pans.
   */
  function render(container, options) {
    var g = layout(options.ids, options.parentsOf, function (id) { return options.nodeOf(id).name; });
    var parts = [];
    options.ids.forEach(function (id) {
      var to = g.coords.get(id);
      g.parents.get(id).forEach(function (p) {
        var from = g.coords.get(p);
        var x1 = from.x + NODE_W;
        var y1 = from.y + NODE_H / 2;
        var x2 = to.x;
        var y2 = to.y + NODE_H / 2;
        var mx = (x1 + x2) / 2;
        parts.push('<path class="gedge" data-from="' + esc(p) + '" data-to="' + esc(id) + '" d="M' + x1 + ',' + y1 + ' C' + mx + ',' + y1 + ' ' + mx + ',' + y2 + ' ' + x2 + ',' + y2 + '"/>');
      });
    });
    options.ids.forEach(function (id) {
      var node = options.nodeOf(id);
      var c = g.coords.get(id);
      var label = node.name.length > 24 ? node.name.slice(0, 23) + '…' : node.name;
      parts.push(
        '<g class="gnode t-' + esc(node.kind) + '" data-id="' + esc(id) + '" transform="translate(' + c.x + ',' + c.y + ')">' +
          '<title>' + esc(node.name + ' (' + node.kind + ')') + '</title>' +
          '<rect width="' + NODE_W + '" height="' + NODE_H + '" rx="6"/>' +
          '<text x="10" y="18">' + esc(label) + '</text></g>',
      );
    });
    container.innerHTML = '';
    var svg = document.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('class', 'graph-svg');
    svg.innerHTML = parts.join('');
    container.appendChild(svg);
    var nodeEls = new Map();
    svg.querySelectorAll('g.gnode').forEach(function (el) { nodeEls.set(el.getAttribute('data-id'), el); });
    var edgeEls = svg.querySelectorAll('path.gedge');

    var highlight = function (id) {
      var on = id && g.coords.has(id) ? id : null;
      var up = on ? reach(on, g.parents) : new Set();
      var down = on ? reach(on, g.children) : new Set();
      nodeEls.forEach(function (el, n) {
        el.classList.toggle('selected', n === on);
        el.classList.toggle('upstream', up.has(n));
        el.classList.toggle('downstream', down.has(n));
        el.classList.toggle('dim', !!on && n !== on && !up.has(n) && !down.has(n));
      });
      edgeEls.forEach(function (el) {
        var from = el.getAttribute('data-from');
        var to = el.getAttribute('data-to');
        var isUp = up.has(from) && (up.has(to) || to === on);
        var isDown = down.has(to) && (down.has(from) || from === on);
        el.classList.toggle('up', isUp);
        el.classList.toggle('down', isDown);
        el.classList.toggle('dim', !!on && !isUp && !isDown);
      });
    };
    var selected = options.selected && g.coords.has(options.selected) ? options.selected : null;
    highlight(selected);

    var pad = 20;
    var box = container.getBoundingClientRect();
    var full = { x: -pad, y: -pad, w: g.width + 2 * pad, h: g.height + 2 * pad };
    var aspect = (box.width || 800) / (box.height || 400);
    var view;
    var fit = function () {
      var w = Math.max(full.w, full.h * aspect);
      var h = w / aspect;
      view = { x: full.x - (w - full.w) / 2, y: full.y - (h - full.h) / 2, w: w, h: h };
      // Unreadably small when fitted (a big graph): start at readable size on the selection instead.
      if (selected && (box.width || 800) / w < 0.45) {
        var at = g.coords.get(selected);
        var vw = (box.width || 800) / 0.9;
        view = { x: at.x + NODE_W / 2 - vw / 2, y: at.y - vw / aspect / 2, w: vw, h: vw / aspect };
      }
    };
    var apply = function () {
      svg.setAttribute('viewBox', view.x + ' ' + view.y + ' ' + view.w + ' ' + view.h);
    };
    var zoom = function (factor, cx, cy) {
      var nx = cx - (cx - view.x) * factor;
      var ny = cy - (cy - view.y) * factor;
      view = { x: nx, y: ny, w: view.w * factor, h: view.h * factor };
      apply();
    };
    fit();
    apply();

    svg.addEventListener('wheel', function (e) {
      e.preventDefault();
      var r = svg.getBoundingClientRect();
      zoom(e.deltaY > 0 ? 1.15 : 1 / 1.15, view.x + ((e.clientX - r.left) / r.width) * view.w, view.y + ((e.clientY - r.top) / r.height) * view.h);
    }, { passive: false });
    // Pointer capture only once the pointer really moves: a plain click must still reach the node.
    var drag = null;
    var moved = false;
    svg.addEventListener('pointerdown', function (e) {
      drag = { x: e.clientX, y: e.clientY, view: view, id: e.pointerId };
      moved = false;
    });
    svg.addEventListener('pointermove', function (e) {
      if (!drag) return;
      var r = svg.getBoundingClientRect();
      var dx = e.clientX - drag.x;
      var dy = e.clientY - drag.y;
      if (!moved && Math.abs(dx) + Math.abs(dy) > 3) {
        moved = true;
        svg.setPointerCapture(drag.id);
      }
      if (!moved) return;
      view = { x: drag.view.x - (dx / r.width) * drag.view.w, y: drag.view.y - (dy / r.height) * drag.view.h, w: drag.view.w, h: drag.view.h };
      apply();
    });
    svg.addEventListener('pointerup', function () { drag = null; });
    svg.addEventListener('click', function (e) {
      if (moved) return;
      var target = e.target.closest('g.gnode');
      if (target) options.onClick(target.getAttribute('data-id'));
    });
    return {
      highlight: highlight,
      fit: function () { fit(); apply(); },
      zoom: function (factor) { zoom(factor, view.x + view.w / 2, view.y + view.h / 2); },
      size: options.ids.length,
    };
  }

  window.DocsGraph = { layout: layout, render: render };
})();
