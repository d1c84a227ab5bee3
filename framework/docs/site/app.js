/* The docs site: hash routes over the embedded manifest/catalog data. No network, no dependencies. */
(function () {
  'use strict';
  var DATA = JSON.parse(document.getElementById('docs-data').textContent);
  var byId = new Map(DATA.nodes.map(function (n) { return [n.id, n]; }));
  var GRAPH_TYPES = { model: true, seed: true, source: true };
  var TYPE_LABEL = { model: 'Models', seed: 'Seeds', source: 'Sources', test: 'Tests' };
  var graphDepth = 2;
  var downstreamIndex = null;

  function esc(s) {
    return String(s == null ? '' : s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  function nodeHref(id, column) {
    return '#/node/' + encodeURIComponent(id) + (column ? '/col/' + encodeURIComponent(column) : '');
  }
  function link(id, column) {
    var n = byId.get(id);
    if (!n) return esc(id);
    return '<a href="' + nodeHref(id, column) + '">' + esc(n.name + (column ? '.' + column : '')) + '</a>';
  }
  function kindOf(n) {
    return n.type + (n.materialized === 'ephemeral' ? ' ephemeral' : '');
  }
  function badge(text, cls) {
    return '<span class="badge ' + esc(cls || text) + '">' + esc(text) + '</span>';
  }
  function status(result) {
    return result ? badge(result.status, 'st-' + result.status) : badge('not run', 'st-none');
  }
  function graphParents(id) {
    return byId.get(id).parents.filter(function (p) { return byId.has(p) && GRAPH_TYPES[byId.get(p).type]; });
  }
  function graphChildren(id) {
    return byId.get(id).children.filter(function (c) { return byId.has(c) && GRAPH_TYPES[byId.get(c).type]; });
  }
  function reach(id, next, depth) {
    var out = new Set();
    var frontier = [id];
    for (var d = 0; frontier.length && d < depth; d++) {
      var more = [];
      frontier.forEach(function (f) {
        next(f).forEach(function (n) {
          if (!out.has(n)) {
            out.add(n);
            more.push(n);
          }
        });
      });
      frontier = more;
    }
    return out;
  }

  // ---- layout shell ---------------------------------------------------------------------------
  document.body.innerHTML =
    '<header><a class="brand" href="#/">' + esc(DATA.project) + ' <small>docs</small></a>' +
    '<div class="search"><input id="search" type="search" placeholder="Search models, columns, descriptions…" autocomplete="off">' +
    '<div id="search-results" hidden></div></div>' +
    '<nav class="top"><a href="#/">Overview</a><a href="#/graph">Lineage graph</a></nav></header>' +
    '<div id="layout"><aside id="sidebar"></aside><main id="content"></main></div>';
  var content = document.getElementById('content');

  function renderSidebar() {
    var html = [];
    ['model', 'seed', 'source', 'test'].forEach(function (type) {
      var nodes = DATA.nodes.filter(function (n) { return n.type === type; });
      if (!nodes.length) return;
      var folders = new Map();
      nodes.forEach(function (n) {
        var folder = type === 'source' ? n.name.split('.')[0] : n.path.split('/').slice(1, -1).join('/');
        if (!folders.has(folder)) folders.set(folder, []);
        folders.get(folder).push(n);
      });
      html.push('<details' + (type === 'test' ? '' : ' open') + '><summary>' + TYPE_LABEL[type] + ' <small>' + nodes.length + '</small></summary>');
      Array.from(folders.keys()).sort().forEach(function (folder) {
        var items = folders.get(folder).sort(function (a, b) { return a.name < b.name ? -1 : 1; });
        var list = items.map(function (n) { return '<li><a href="' + nodeHref(n.id) + '" data-id="' + esc(n.id) + '">' + esc(n.name) + '</a></li>'; }).join('');
        html.push(folder ? '<details class="folder"><summary>' + esc(folder) + '</summary><ul>' + list + '</ul></details>' : '<ul>' + list + '</ul>');
      });
      html.push('</details>');
    });
    document.getElementById('sidebar').innerHTML = html.join('');
  }

  // ---- search ---------------------------------------------------------------------------------
  var haystacks = DATA.nodes.map(function (n) {
    return {
      node: n,
      name: n.name.toLowerCase(),
      description: (n.description || '').toLowerCase(),
      columns: n.columns.map(function (c) { return { name: c.name.toLowerCase(), text: (c.name + ' ' + (c.description || '')).toLowerCase(), column: c }; }),
    };
  });

  function search(q) {
    q = q.trim().toLowerCase();
    if (!q) return [];
    var hits = [];
    haystacks.forEach(function (h) {
      var score = 0;
      var why = '';
      if (h.name === q) score = 100;
      else if (h.name.indexOf(q) === 0) score = 80;
      else if (h.name.indexOf(q) >= 0) score = 60;
      var col = h.columns.find(function (c) { return c.name === q; }) || h.columns.find(function (c) { return c.text.indexOf(q) >= 0; });
      if (!score && col) {
        score = col.name === q ? 50 : 40;
        why = 'column ' + col.column.name + (col.column.description ? ': ' + col.column.description : '');
      }
      if (!score && h.description.indexOf(q) >= 0) {
        score = 30;
        var at = h.description.indexOf(q);
        why = '…' + h.node.description.slice(Math.max(0, at - 40), at + q.length + 60) + '…';
      }
      if (score) hits.push({ node: h.node, score: score - (h.node.type === 'test' ? 25 : 0), why: why });
    });
    hits.sort(function (a, b) { return b.score - a.score || (a.node.name < b.node.name ? -1 : 1); });
    return hits.slice(0, 30);
  }

  var searchInput = document.getElementById('search');
  var searchResults = document.getElementById('search-results');
  searchInput.addEventListener('input', function () {
    var hits = search(searchInput.value);
    searchResults.hidden = !searchInput.value.trim();
    searchResults.innerHTML = hits.length
      ? hits.map(function (h) {
          return '<a class="search-hit" href="' + nodeHref(h.node.id) + '"><b>' + esc(h.node.name) + '</b> ' + badge(h.node.type) +
            '<small>' + esc(h.node.path) + '</small>' + (h.why ? '<div class="why">' + esc(h.why) + '</div>' : '') + '</a>';
        }).join('')
      : '<div class="empty">No match</div>';
  });
  searchInput.addEventListener('keydown', function (e) {
    if (e.key === 'Enter') {
      var first = searchResults.querySelector('a');
      if (first) location.hash = first.getAttribute('href');
    } else if (e.key === 'Escape') {
      searchInput.value = '';
      searchResults.hidden = true;
    }
  });

  // ---- pages ----------------------------------------------------------------------------------
  function overview() {
    var counts = {};
    DATA.nodes.forEach(function (n) { counts[kindOf(n)] = (counts[kindOf(n)] || 0) + 1; });
    var statuses = {};
    DATA.nodes.forEach(function (n) { if (n.result) statuses[n.result.status] = (statuses[n.result.status] || 0) + 1; });
    var failing = DATA.nodes.filter(function (n) { return n.result && ['fail', 'error', 'warn'].indexOf(n.result.status) >= 0; });
    var missing = DATA.nodes.filter(function (n) { return n.warehouse && n.warehouse.missing; });
    var unparsed = DATA.nodes.filter(function (n) { return n.lineageError; });
    content.innerHTML =
      '<h1>' + esc(DATA.project) + '</h1>' +
      '<p class="meta">target ' + esc(DATA.target.name) + ' (' + esc(DATA.target.type) + ') · generated ' + esc(DATA.generatedAt) +
      (DATA.results ? ' · last results from <code>' + esc(DATA.results.command) + '</code> at ' + esc(DATA.results.generatedAt) : ' · no run_results.json') +
      (DATA.catalog ? '' : ' · no catalog (warehouse not read)') + '</p>' +
      '<div class="cards">' + Object.keys(counts).sort().map(function (k) { return '<div class="card"><b>' + counts[k] + '</b>' + esc(k) + '</div>'; }).join('') + '</div>' +
      (Object.keys(statuses).length ? '<h2>Last run</h2><p>' + Object.keys(statuses).sort().map(function (s) { return badge(s + ' ' + statuses[s], 'st-' + s); }).join(' ') + '</p>' : '') +
      (failing.length ? '<h3>Needs attention</h3><ul>' + failing.map(function (n) { return '<li>' + status(n.result) + ' ' + link(n.id) + ' <small>' + esc(n.result.message) + '</small></li>'; }).join('') + '</ul>' : '') +
      (missing.length ? '<h3>Not in the warehouse</h3><ul>' + missing.map(function (n) { return '<li>' + link(n.id) + ' <small>' + esc(n.warehouse.missing) + '</small></li>'; }).join('') + '</ul>' : '') +
      (unparsed.length ? '<h3>No column lineage</h3><ul>' + unparsed.map(function (n) { return '<li>' + link(n.id) + ' <small>' + esc(n.lineageError) + '</small></li>'; }).join('') + '</ul>' : '') +
      '<p>Open a node from the sidebar or the search box, or see the <a href="#/graph">whole lineage graph</a>.</p>';
  }

  function nodePage(id, column) {
    var n = byId.get(id);
    if (!n) {
      content.innerHTML = '<h1>Not found</h1><p>No node ' + esc(id) + '.</p>';
      return;
    }
    var html = [];
    html.push('<h1>' + esc(n.name) + ' ' + badge(n.type) + (n.materialized ? ' ' + badge(n.materialized, 'mat') : '') + '</h1>');
    var meta = [];
    if (n.relation) meta.push('<code>' + esc(n.relation) + '</code>');
    meta.push(esc(n.path));
    if (n.tags.length) meta.push(n.tags.map(function (t) { return badge(t, 'tag'); }).join(' '));
    if (n.warehouse) meta.push(n.warehouse.missing ? '<span class="warn">' + esc(n.warehouse.missing) + '</span>' : esc(n.warehouse.type) + (n.warehouse.rowCount != null ? ', ' + n.warehouse.rowCount.toLocaleString() + ' rows' : ''));
    html.push('<p class="meta">' + meta.join(' · ') + '</p>');
    html.push(n.description ? '<div class="description">' + esc(n.description).replace(/\n\n+/g, '</p><p>').replace(/^/, '<p>') + '</p></div>' : '<p class="muted">No description.</p>');
    if (n.type === 'test') html.push(testSummary(n));
    if (n.result) {
      html.push('<p>Last run: ' + status(n.result) + ' in ' + n.result.execution_time.toFixed(2) + ' s' +
        (n.result.rows_affected != null ? ', ' + n.result.rows_affected + ' rows' : '') + (n.result.failures != null ? ', ' + n.result.failures + ' failures' : '') +
        ' <small>' + esc(n.result.completed_at) + '</small>' + (n.result.message ? '<br><small>' + esc(n.result.message) + '</small>' : '') + '</p>');
    }
    if (GRAPH_TYPES[n.type]) {
      html.push('<section class="panel"><h2>Lineage</h2><div class="graph-tools">' +
        '<button data-depth="-1" title="fewer levels">−</button><span id="depth">' + (graphDepth === Infinity ? 'all' : graphDepth) + ' levels</span>' +
        '<button data-depth="1" title="more levels">+</button><button data-depth="all">all</button>' +
        '<a href="#/graph/' + encodeURIComponent(id) + '">full graph</a>' +
        '<span class="legend"><i class="l-up"></i>upstream <i class="l-down"></i>downstream</span></div>' +
        '<div id="graph" class="graph"></div></section>');
      html.push('<div class="lists"><section><h3>Upstream</h3>' + nodeList(n.parents) + '</section><section><h3>Downstream</h3>' + nodeList(n.children.filter(function (c) { return byId.get(c).type !== 'test'; })) + '</section></div>');
    }
    if (n.columns.length) html.push(columnsTable(n, column));
    if (column) html.push(columnLineagePanel(n, column));
    if (n.lineageError) html.push('<p class="muted">Column lineage: ' + esc(n.lineageError) + '</p>');
    if (n.lineageIncomplete) html.push('<p class="muted">Column lineage: some columns come from a <code>*</code> over a relation whose columns are not known.</p>');
    if (n.tests.length) html.push(testsTable(n.tests));
    if (n.sql) html.push('<section><h2>Compiled SQL</h2><pre class="sql">' + esc(n.sql) + '</pre></section>');
    if (n.rawSql) html.push('<details><summary>Source</summary><pre class="sql">' + esc(n.rawSql) + '</pre></details>');
    html.push('<details><summary>Config</summary><pre>' + esc(JSON.stringify(n.config, null, 2)) + '</pre></details>');
    content.innerHTML = html.join('');
    if (GRAPH_TYPES[n.type]) {
      drawNeighbourhood(n);
      content.querySelectorAll('[data-depth]').forEach(function (b) {
        b.addEventListener('click', function () {
          var d = b.getAttribute('data-depth');
          graphDepth = d === 'all' ? Infinity : Math.max(1, Math.min(20, (graphDepth === Infinity ? 10 : graphDepth) + Number(d)));
          document.getElementById('depth').textContent = (graphDepth === Infinity ? 'all' : graphDepth) + ' levels';
          drawNeighbourhood(n);
        });
      });
    }
    if (column) {
      var row = content.querySelector('tr[data-column="' + CSS.escape(column.toLowerCase()) + '"]');
      if (row) row.scrollIntoView({ block: 'center' });
    } else window.scrollTo(0, 0);
  }

  function drawNeighbourhood(n) {
    var ids = new Set([n.id]);
    reach(n.id, graphParents, graphDepth).forEach(function (x) { ids.add(x); });
    reach(n.id, graphChildren, graphDepth).forEach(function (x) { ids.add(x); });
    window.DocsGraph.render(document.getElementById('graph'), {
      ids: Array.from(ids),
      parentsOf: graphParents,
      nodeOf: graphNode,
      selected: n.id,
      onClick: function (id) { location.hash = nodeHref(id); },
    });
  }

  function graphNode(id) {
    var n = byId.get(id);
    return { name: n.name, kind: kindOf(n) };
  }

  function nodeList(ids) {
    if (!ids.length) return '<p class="muted">none</p>';
    return '<ul class="nodes">' + ids.map(function (i) { return '<li>' + link(i) + ' ' + badge(byId.has(i) ? byId.get(i).type : '?') + '</li>'; }).join('') + '</ul>';
  }

  function testSummary(n) {
    var parts = [];
    if (n.testOf) parts.push('tests ' + link(n.testOf, n.column));
    if (n.testName) parts.push('<code>' + esc(n.testName) + '</code>');
    if (n.args && Object.keys(n.args).length) parts.push('<code>' + esc(JSON.stringify(n.args)) + '</code>');
    return parts.length ? '<p>' + parts.join(' ') + '</p>' : '';
  }

  function testsTable(ids) {
    return '<section><h2>Tests</h2><table class="tests"><thead><tr><th>Test</th><th>Column</th><th>Status</th><th>Failures</th><th>Message</th></tr></thead><tbody>' +
      ids.map(function (id) {
        var t = byId.get(id);
        return '<tr><td>' + link(id) + '</td><td>' + esc(t.column || '') + '</td><td>' + status(t.result) + '</td><td>' + esc(t.result && t.result.failures != null ? t.result.failures : '') +
          '</td><td><small>' + esc(t.result ? t.result.message : '') + '</small></td></tr>';
      }).join('') + '</tbody></table></section>';
  }

  var KIND_TEXT = { column: 'copied from', expression: 'computed from', constant: 'constant', unknown: 'not determined' };

  function lineageCell(l) {
    if (!l) return '<span class="muted">—</span>';
    var sources = l.sources.map(function (s) { return s.node ? link(s.node, s.column) : esc(s.relation + '.' + s.column); }).join(', ');
    return badge(KIND_TEXT[l.kind], 'k-' + l.kind) + ' ' + sources + (l.note ? ' <small class="muted">' + esc(l.note) + '</small>' : '');
  }

  function columnsTable(n, selected) {
    var key = selected ? selected.toLowerCase() : null;
    return '<section><h2>Columns</h2><table class="columns"><thead><tr><th>Column</th><th>Type</th><th>Description</th><th>Tests</th>' +
      (n.type === 'model' ? '<th>Derived from</th>' : '') + '</tr></thead><tbody>' +
      n.columns.map(function (c) {
        var tests = c.tests.map(function (t) {
          var test = byId.get(t);
          return '<a href="' + nodeHref(t) + '" class="badge st-' + esc(test.result ? test.result.status : 'none') + '" title="' + esc(test.name) + '">' + esc(test.testName || 'test') + '</a>';
        }).join(' ');
        var type = c.type || c.declaredType || '';
        return '<tr data-column="' + esc(c.name.toLowerCase()) + '"' + (c.name.toLowerCase() === key ? ' class="selected"' : '') + '><td><a class="col" href="' + nodeHref(n.id, c.name) + '">' + esc(c.name) + '</a>' +
          (c.notInWarehouse ? ' <small class="warn" title="declared, not in the warehouse relation">missing</small>' : '') + '</td><td><code>' + esc(type) + '</code></td><td>' + esc(c.description || '') + '</td><td>' + tests + '</td>' +
          (n.type === 'model' ? '<td>' + lineageCell(c.lineage) + '</td>' : '') + '</tr>';
      }).join('') + '</tbody></table></section>';
  }

  function columnLineageOf(id, column) {
    var n = byId.get(id);
    if (!n) return null;
    var key = column.toLowerCase();
    var c = n.columns.find(function (x) { return x.name.toLowerCase() === key; });
    return c && c.lineage ? c.lineage : null;
  }

  function upstreamTree(id, column, depth, path) {
    var l = columnLineageOf(id, column);
    var n = byId.get(id);
    if (!l) return n && n.type !== 'model' ? '' : '<ul><li class="muted">lineage not known</li></ul>';
    if (depth > 12) return '<ul><li class="muted">…</li></ul>';
    var items = l.sources.map(function (s) {
      var seen = path.indexOf(s.node + '.' + s.column) >= 0;
      var label = s.node ? link(s.node, s.column) + ' ' + badge(byId.get(s.node).type) : esc(s.relation + '.' + s.column) + ' <small class="muted">not a node of the project</small>';
      var sub = s.node && !seen ? upstreamTree(s.node, s.column, depth + 1, path.concat(s.node + '.' + s.column)) : '';
      var lk = columnLineageOf(s.node, s.column);
      return '<li>' + label + (lk ? ' ' + badge(KIND_TEXT[lk.kind], 'k-' + lk.kind) : '') + sub + '</li>';
    });
    if (l.note) items.push('<li class="muted">' + esc(l.note) + '</li>');
    if (!items.length) items.push('<li class="muted">' + (l.kind === 'constant' ? 'a constant: no column feeds it' : 'computed from rows, no column feeds it') + '</li>');
    return '<ul>' + items.join('') + '</ul>';
  }

  /** Which columns of other models derive from (node, column): the inverse of every lineage edge. */
  function downstreamOf(id, column) {
    if (!downstreamIndex) {
      downstreamIndex = new Map();
      DATA.nodes.forEach(function (n) {
        n.columns.forEach(function (c) {
          (c.lineage ? c.lineage.sources : []).forEach(function (s) {
            if (!s.node) return;
            var k = s.node + '\u0000' + s.column.toLowerCase();
            if (!downstreamIndex.has(k)) downstreamIndex.set(k, []);
            downstreamIndex.get(k).push({ node: n.id, column: c.name, kind: c.lineage.kind });
          });
        });
      });
    }
    return downstreamIndex.get(id + '\u0000' + column.toLowerCase()) || [];
  }

  function downstreamTree(id, column, depth, path) {
    var uses = downstreamOf(id, column);
    if (!uses.length) return depth ? '' : '<ul><li class="muted">no model column derives from it</li></ul>';
    if (depth > 12) return '<ul><li class="muted">…</li></ul>';
    return '<ul>' + uses.map(function (u) {
      var k = u.node + '.' + u.column;
      return '<li>' + link(u.node, u.column) + ' ' + badge(KIND_TEXT[u.kind], 'k-' + u.kind) + (path.indexOf(k) < 0 ? downstreamTree(u.node, u.column, depth + 1, path.concat(k)) : '') + '</li>';
    }).join('') + '</ul>';
  }

  function columnLineagePanel(n, column) {
    var c = n.columns.find(function (x) { return x.name.toLowerCase() === column.toLowerCase(); });
    if (!c) return '<section id="column-lineage" class="panel"><h2>Column ' + esc(column) + '</h2><p>No such column.</p></section>';
    var l = c.lineage;
    var summary = n.type !== 'model'
      ? 'A column of ' + esc(n.type) + ' ' + esc(n.name) + ': where the lineage starts.'
      : l ? esc(KIND_TEXT[l.kind]) + (l.sources.length ? ' ' + l.sources.length + ' upstream column' + (l.sources.length === 1 ? '' : 's') : '') + (l.note ? ': ' + esc(l.note) : '') : 'Lineage not known for this column.';
    return '<section id="column-lineage" class="panel"><h2>Column lineage: ' + esc(n.name) + '.' + esc(c.name) + '</h2><p>' + summary + '</p>' +
      '<div class="lists"><section><h3>Upstream columns</h3><div class="tree">' + (n.type === 'model' ? upstreamTree(n.id, c.name, 0, [n.id + '.' + c.name]) : '<p class="muted">none</p>') + '</div></section>' +
      '<section><h3>Downstream columns</h3><div class="tree">' + downstreamTree(n.id, c.name, 0, [n.id + '.' + c.name]) + '</div></section></div></section>';
  }

  function graphPage(focus) {
    var ids = DATA.nodes.filter(function (n) { return GRAPH_TYPES[n.type]; }).map(function (n) { return n.id; });
    content.innerHTML = '<h1>Lineage graph <small>' + ids.length + ' nodes</small></h1>' +
      '<div class="graph-tools"><button id="zoom-in">+</button><button id="zoom-out">−</button><button id="fit">fit</button>' +
      '<span id="graph-selection" class="muted">Click a node to highlight its upstream and downstream.</span></div>' +
      '<div id="graph" class="graph full"></div>';
    var select = function (id) {
      handle.highlight(id);
      var n = byId.get(id);
      document.getElementById('graph-selection').innerHTML = n ? badge(n.type) + ' <b>' + esc(n.name) + '</b> · ' + graphParents(id).length + ' parents, ' + graphChildren(id).length + ' children · <a href="' + nodeHref(id) + '">open</a>' : '';
      history.replaceState(null, '', '#/graph/' + encodeURIComponent(id));
    };
    var handle = window.DocsGraph.render(document.getElementById('graph'), { ids: ids, parentsOf: graphParents, nodeOf: graphNode, selected: focus, onClick: select });
    if (focus && byId.has(focus)) select(focus);
    document.getElementById('zoom-in').onclick = function () { handle.zoom(1 / 1.3); };
    document.getElementById('zoom-out').onclick = function () { handle.zoom(1.3); };
    document.getElementById('fit').onclick = function () { handle.fit(); };
  }

  // ---- routing --------------------------------------------------------------------------------
  function route() {
    searchResults.hidden = true;
    var hash = location.hash.replace(/^#\/?/, '');
    var parts = hash.split('/').map(decodeURIComponent);
    if (parts[0] === 'node' && parts[1]) nodePage(parts[1], parts[2] === 'col' ? parts[3] : null);
    else if (parts[0] === 'graph') graphPage(parts[1] || null);
    else overview();
    if (parts[0] !== 'node') window.scrollTo(0, 0);
    document.querySelectorAll('#sidebar a.current').forEach(function (a) { a.classList.remove('current'); });
    if (parts[0] === 'node') {
      var a = document.querySelector('#sidebar a[data-id="' + CSS.escape(parts[1] || '') + '"]');
      if (a) {
        a.classList.add('current');
        for (var d = a.closest('details'); d; d = d.parentElement.closest('details')) d.open = true;
      }
    }
    // hashchange fires a task after the hash changes: this says which hash the page now shows
    document.documentElement.dataset.routed = location.hash;
  }

  renderSidebar();
  window.addEventListener('hashchange', route);
  route();
  window.__docsReady = performance.now();
})();
