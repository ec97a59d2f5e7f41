/*
 * Sextant's live page and run report: the samples of a training run, by step, drawn with uPlot.
 *
 * The page reads its configuration (the charts: which metrics, which labels, which axis) from the
 * JSON element #sextant-config. Live mode polls <endpoint>?after=<seq> every pollMillis; report
 * mode reads every entry from #sextant-data. Entries have the event log's line format:
 *   {"seq":3,"event":"sample","step":40,"probe":"weights","seconds":0.001,
 *    "values":[{"metric":"sextant_weight_norm","layer":"0","param":"W","value":3.1}]}
 *
 * For tests and for people: every chart panel carries data-points (values drawn), data-series and
 * data-nonfinite; #status carries data-state (waiting, live, disconnected, report), data-entries,
 * data-last-step, data-polls and data-updates (answers that brought new entries); errors of this page (uncaught
 * exceptions, rejected promises, console.error) are listed in #page-errors with data-count.
 */
(function () {
  'use strict';

  // ---- errors: recorded on the page before anything else runs ----
  var errorCount = 0;
  function recordError(text) {
    errorCount++;
    var box = document.getElementById('page-errors');
    if (!box) {
      return;
    }
    var li = document.createElement('li');
    li.textContent = text;
    box.querySelector('ul').appendChild(li);
    box.hidden = false;
    box.setAttribute('data-count', String(errorCount));
  }
  window.addEventListener('error', function (e) {
    recordError('error: ' + e.message + ' (' + (e.filename || '?') + ':' + (e.lineno || 0) + ')');
  });
  window.addEventListener('unhandledrejection', function (e) {
    recordError('unhandled rejection: ' + (e.reason && e.reason.stack ? e.reason.stack : e.reason));
  });
  var consoleError = console.error;
  console.error = function () {
    recordError('console.error: ' + Array.prototype.map.call(arguments, String).join(' '));
    consoleError.apply(console, arguments);
  };

  var COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f',
    '#bcbd22', '#17becf', '#393b79', '#637939', '#8c6d31', '#843c39', '#7b4173', '#3182bd'];
  var PLOT_HEIGHT = 260;
  var MAX_EVENTS = 200;

  var config;
  var wanted = new Set();          // metrics some chart draws; the rest of each entry is dropped
  var store = new Map();           // series key -> {metric, labels, points: Map(step -> number)}
  var events = [];                 // conditions, probe failures, interval changes: oldest first
  var panels = [];                 // {chart, element, box, empty, note, plot, signature}
  var maxPoints = Infinity;        // per series; the server's capacity in live mode
  var cursor = 0;                  // newest seq received
  var entriesSeen = 0;
  var missed = 0;
  var lastStep = null;
  var polls = 0;                   // answered requests
  var updates = 0;                 // answered requests that brought new entries

  function toNumber(v) {
    if (typeof v === 'number') {
      return v;
    }
    if (v === 'Infinity') {
      return Infinity;
    }
    if (v === '-Infinity') {
      return -Infinity;
    }
    return NaN;
  }

  function put(metric, labels, step, value) {
    var names = Object.keys(labels).sort();
    var key = metric + '{' + names.map(function (n) { return n + '=' + labels[n]; }).join(',') + '}';
    var series = store.get(key);
    if (!series) {
      series = { metric: metric, labels: labels, points: new Map() };
      store.set(key, series);
    }
    series.points.set(step, value);
    if (series.points.size > maxPoints) {
      series.points.delete(series.points.keys().next().value);
    }
  }

  function ingest(entry) {
    entriesSeen++;
    if (lastStep === null || entry.step > lastStep) {
      lastStep = entry.step;
    }
    if (entry.event === 'sample' && Array.isArray(entry.values)) {
      entry.values.forEach(function (v) {
        if (!wanted.has(v.metric)) {
          return;
        }
        var labels = {};
        Object.keys(v).forEach(function (k) {
          if (k !== 'metric' && k !== 'value') {
            labels[k] = v[k];
          }
        });
        put(v.metric, labels, entry.step, toNumber(v.value));
      });
    } else if (entry.event !== 'sample') {
      events.push(entry);
      if (events.length > MAX_EVENTS) {
        events.shift();
      }
    }
    if (typeof entry.seconds === 'number' && wanted.has(config.durationMetric)) {
      put(config.durationMetric, { probe: entry.probe }, entry.step, entry.seconds);
    }
  }

  // ---- charts ----

  function lineLabel(line, series) {
    if (!line.splitBy.length) {
      return line.label;
    }
    var parts = line.splitBy.map(function (n) {
      return n === 'layer' ? 'layer ' + series.labels[n] : series.labels[n];
    });
    return (line.label ? line.label + ' ' : '') + parts.join(' ');
  }

  function linesOf(chart) {
    var out = [];
    chart.lines.forEach(function (line) {
      store.forEach(function (series, key) {
        if (series.metric !== line.metric) {
          return;
        }
        var ok = Object.keys(line.where).every(function (n) { return series.labels[n] === line.where[n]; });
        ok = ok && line.splitBy.every(function (n) {
          return series.labels[n] !== undefined && series.labels[n] !== 'all';
        });
        if (ok) {
          out.push({ key: key, label: lineLabel(line, series), axis: line.axis, points: series.points });
        }
      });
    });
    return out;
  }

  function dataOf(lines, log) {
    var steps = new Set();
    lines.forEach(function (l) { l.points.forEach(function (v, s) { steps.add(s); }); });
    var xs = Array.from(steps).sort(function (a, b) { return a - b; });
    var index = new Map();
    xs.forEach(function (s, i) { index.set(s, i); });
    var data = [xs];
    var points = 0;
    var nonFinite = 0;
    var notPositive = 0;
    lines.forEach(function (l) {
      var ys = new Array(xs.length).fill(null);
      l.points.forEach(function (v, s) {
        if (!isFinite(v)) {
          nonFinite++;
        } else if (log && v <= 0) {
          notPositive++;
        } else {
          ys[index.get(s)] = v;
          points++;
        }
      });
      data.push(ys);
    });
    return { data: data, points: points, nonFinite: nonFinite, notPositive: notPositive };
  }

  function makePlot(panel, lines, data) {
    var chart = panel.chart;
    var right = lines.some(function (l) { return l.axis === 'right'; });
    var axes = [
      { label: 'step' },
      { label: chart.leftAxis, scale: 'y', size: 70 }
    ];
    if (right) {
      axes.push({ label: chart.rightAxis, scale: 'r', side: 1, size: 70, grid: { show: false } });
    }
    var series = [{ label: 'step' }].concat(lines.map(function (l, i) {
      var s = {
        label: l.label,
        scale: l.axis === 'right' ? 'r' : 'y',
        stroke: COLORS[i % COLORS.length],
        width: 1.5,
        spanGaps: true,
        points: { show: data[0].length <= 60, size: 4 }
      };
      if (l.axis === 'right') {
        s.dash = [6, 4];
      }
      return s;
    }));
    var scales = { x: { time: false }, y: chart.logScale ? { distr: 3, log: 10 } : {} };
    if (right) {
      scales.r = {};
    }
    return new uPlot({
      width: plotWidth(panel),
      height: PLOT_HEIGHT,
      scales: scales,
      axes: axes,
      series: series,
      legend: { show: true },
      cursor: { drag: { x: true, y: false } }
    }, data, panel.box);
  }

  function plotWidth(panel) {
    return Math.max(320, panel.box.clientWidth || panel.element.clientWidth - 24 || 600);
  }

  function renderPanel(panel) {
    var lines = linesOf(panel.chart);
    var d = dataOf(lines, panel.chart.logScale);
    var el = panel.element;
    el.setAttribute('data-points', String(d.points));
    el.setAttribute('data-series', String(lines.length));
    el.setAttribute('data-nonfinite', String(d.nonFinite));
    var notes = [];
    if (d.nonFinite) {
      notes.push(d.nonFinite + ' non-finite value(s) (NaN or ±∞) not drawn');
    }
    if (d.notPositive) {
      notes.push(d.notPositive + ' value(s) at or below 0 not drawn on the log scale');
    }
    panel.note.textContent = notes.join('; ');
    panel.note.hidden = notes.length === 0;
    if (d.points === 0) {
      if (panel.plot) {
        panel.plot.destroy();
        panel.plot = null;
        panel.signature = null;
      }
      panel.empty.hidden = false;
      panel.box.hidden = true;
      return;
    }
    panel.empty.hidden = true;
    panel.box.hidden = false;
    var signature = lines.map(function (l) { return l.key; }).join('|') + '#' + (d.data[0].length <= 60);
    if (panel.plot && panel.signature === signature) {
      panel.plot.setData(d.data);
    } else {
      if (panel.plot) {
        panel.plot.destroy();
      }
      panel.plot = makePlot(panel, lines, d.data);
      panel.signature = signature;
    }
  }

  function buildPanels() {
    var main = document.getElementById('charts');
    var live = config.mode === 'live';
    config.charts.forEach(function (chart) {
      var el = document.createElement('section');
      el.className = 'panel chart';
      el.id = 'chart-' + chart.id;
      el.setAttribute('data-points', '0');
      el.setAttribute('data-series', '0');
      el.setAttribute('data-nonfinite', '0');
      var h = document.createElement('h2');
      h.textContent = chart.title;
      var caption = document.createElement('p');
      caption.className = 'caption';
      caption.textContent = chart.caption;
      var empty = document.createElement('p');
      empty.className = 'empty';
      empty.textContent = (live ? 'No data yet. ' : 'No data in this run. ') + chart.whenEmpty;
      var note = document.createElement('p');
      note.className = 'note';
      note.hidden = true;
      var box = document.createElement('div');
      box.className = 'plot';
      box.hidden = true;
      el.appendChild(h);
      el.appendChild(caption);
      el.appendChild(empty);
      el.appendChild(box);
      el.appendChild(note);
      main.appendChild(el);
      panels.push({ chart: chart, element: el, box: box, empty: empty, note: note, plot: null, signature: null });
    });
  }

  function renderEvents() {
    var section = document.getElementById('events');
    var table = section.querySelector('table');
    var body = table.querySelector('tbody');
    section.setAttribute('data-count', String(events.length));
    section.querySelector('.empty').hidden = events.length > 0;
    table.hidden = events.length === 0;
    while (body.firstChild) {
      body.removeChild(body.firstChild);
    }
    events.slice().reverse().forEach(function (e) {
      var tr = document.createElement('tr');
      tr.className = e.event === 'probe_failure' ? 'failure' : e.event;
      var what = e.event === 'interval' ? 'every ' + e.name + ' steps from here (overhead governor)'
        : e.name || e.error || '';
      [String(e.step), e.event, e.probe || '', what].forEach(function (text) {
        var td = document.createElement('td');
        td.textContent = text;
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
  }

  function render() {
    panels.forEach(function (panel) {
      try {
        renderPanel(panel);
      } catch (e) {
        recordError('chart ' + panel.chart.id + ': ' + (e && e.stack ? e.stack : e));
      }
    });
    renderEvents();
  }

  function setStatus(state, text) {
    var status = document.getElementById('status');
    status.setAttribute('data-state', state);
    status.setAttribute('data-entries', String(entriesSeen));
    status.setAttribute('data-last-step', lastStep === null ? '' : String(lastStep));
    status.setAttribute('data-polls', String(polls));
    status.setAttribute('data-updates', String(updates));
    status.textContent = text;
  }

  // ---- data sources ----

  function describe() {
    var parts = [];
    parts.push(lastStep === null ? 'no samples yet' : 'step ' + lastStep);
    parts.push(entriesSeen + ' entries');
    if (missed) {
      parts.push(missed + ' overwritten before the page read them');
    }
    return parts.join(' · ');
  }

  function poll() {
    fetch(config.endpoint + '?after=' + cursor, { cache: 'no-store' })
      .then(function (response) {
        if (!response.ok) {
          throw new Error('HTTP ' + response.status);
        }
        return response.json();
      })
      .then(function (body) {
        if (body.newest < cursor) {
          // The server restarted: start over.
          store.clear();
          events.length = 0;
          entriesSeen = 0;
          lastStep = null;
        }
        polls++;
        if (body.entries.length) {
          updates++;
        }
        maxPoints = body.capacity;
        missed += body.missed;
        body.entries.forEach(ingest);
        cursor = body.newest;
        render();
        setStatus('live', 'Live · ' + describe() + ' · updated ' + new Date().toLocaleTimeString());
      })
      .catch(function (e) {
        setStatus('disconnected', 'Cannot reach the training process (' + e.message + '): training ended or '
          + 'its server stopped. Retrying every ' + (config.pollMillis / 1000) + ' s. ' + describe() + '.');
      })
      .then(function () {
        window.setTimeout(poll, config.pollMillis);
      });
  }

  function start() {
    try {
      config = JSON.parse(document.getElementById('sextant-config').textContent);
      config.charts.forEach(function (c) { c.lines.forEach(function (l) { wanted.add(l.metric); }); });
      if (typeof uPlot === 'undefined') {
        recordError('uPlot did not load: the charts cannot be drawn');
        return;
      }
      buildPanels();
      window.addEventListener('resize', function () {
        panels.forEach(function (p) {
          if (p.plot) {
            p.plot.setSize({ width: plotWidth(p), height: PLOT_HEIGHT });
          }
        });
      });
      if (config.mode === 'live') {
        setStatus('waiting', 'Connecting…');
        poll();
      } else {
        var data = JSON.parse(document.getElementById('sextant-data').textContent);
        data.entries.forEach(ingest);
        render();
        setStatus('report', 'Report · ' + describe());
      }
    } catch (e) {
      recordError('start: ' + (e && e.stack ? e.stack : e));
    }
  }

  document.addEventListener('DOMContentLoaded', start);
})();
