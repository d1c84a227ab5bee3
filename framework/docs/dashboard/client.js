/* Dashboard page: one ECharts instance per panel from the embedded options; window.__dashboard reports what rendered. */
(function () {
  'use strict';
  var DATA = JSON.parse(document.getElementById('dashboard-data').textContent);
  var main = document.getElementById('panels');
  var status = { ready: false, panels: {} };
  window.__dashboard = status;
  var charts = [];

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  DATA.panels.forEach(function (p) {
    var card = document.createElement('section');
    card.className = 'panel ' + (p.stats ? 'stat' : 'chart') + ' ' + p.status;
    card.id = 'panel-' + p.id;
    card.innerHTML = '<h2>' + esc(p.title) + ' <small>' + esc(p.model) + '</small></h2><div class="body"></div>';
    main.appendChild(card);
    var body = card.querySelector('.body');
    if (p.status !== 'ok') {
      body.innerHTML = '<div class="notice">' + esc(p.message) + '</div>';
      status.panels[p.id] = { status: p.status, message: p.message, series: 0, points: 0 };
      return;
    }
    if (p.stats) {
      body.innerHTML = '<dl>' + p.stats.map(function (s) { return '<dt>' + esc(s.label) + '</dt><dd>' + esc(s.value) + '</dd>'; }).join('') + '</dl>';
      status.panels[p.id] = { status: 'ok', series: 0, points: p.stats.length };
      return;
    }
    try {
      var chart = echarts.init(body, null, { renderer: 'canvas' });
      chart.setOption(p.option);
      charts.push(chart);
      var series = chart.getOption().series || [];
      status.panels[p.id] = {
        status: 'ok',
        series: series.length,
        points: series.reduce(function (n, s) { return n + (s.data ? s.data.length : 0); }, 0),
      };
    } catch (e) {
      body.innerHTML = '<div class="notice">cannot draw: ' + esc(e.message) + '</div>';
      status.panels[p.id] = { status: 'error', message: e.message, series: 0, points: 0 };
    }
  });
  window.addEventListener('resize', function () {
    charts.forEach(function (c) { c.resize(); });
  });
  status.ready = true;
})();
