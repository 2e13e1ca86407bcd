// The page of one run: applies the run's events (embedded in a report, or followed from the server
// that serves a live page) to `state`, and draws it. Text from the run is only ever set as
// textContent. window.descent exposes the state and the uPlot charts, for the browser tests.
(function () {
  'use strict';
  var mode = document.documentElement.dataset.mode;
  var state = { run: null, epochs: [], batches: [], layers: [], findings: [], evaluation: null, end: null,
    connection: mode === 'live' ? 'connecting' : 'report' };
  var charts = {};
  window.descent = { state: state, charts: charts, renders: 0 };
  var COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];

  function apply(e) {
    switch (e.type) {
      case 'run': state.run = e; break;
      case 'epoch': state.epochs.push(e); break;
      case 'batch': state.batches.push(e); break;
      case 'layers': state.layers.push(e); break;
      case 'finding':
        // A finding made again, with a probe's result, replaces the one of its kind.
        var i = state.findings.findIndex(function (f) { return f.kind === e.kind; });
        if (i >= 0) { state.findings[i] = e; } else { state.findings.push(e); }
        break;
      case 'evaluation': state.evaluation = e; break;
      case 'end': state.end = e; break;
    }
  }

  function el(tag, text, cls) {
    var n = document.createElement(tag);
    if (text !== undefined && text !== null) { n.textContent = text; }
    if (cls) { n.className = cls; }
    return n;
  }

  function fmt(v) {
    if (v === null || v === undefined) { return '–'; }
    if (typeof v !== 'number') { return String(v); }
    if (v !== 0 && (Math.abs(v) >= 1e6 || Math.abs(v) < 1e-3)) { return v.toExponential(3); }
    return String(Number(v.toPrecision(6)));
  }

  function pct(v) { return v === null || v === undefined ? '–' : (100 * v).toFixed(1) + '%'; }

  function show(id, visible) { document.getElementById(id).hidden = !visible; }

  // ---- charts ---------------------------------------------------------------------------------

  function plot(key, series, data, opts) {
    var box = document.querySelector('#chart-' + key + ' .plot');
    var c = charts[key];
    if (c && c.series.length !== series.length + 1) { c.destroy(); c = null; }
    if (!c) {
      box.textContent = '';
      c = new uPlot({
        width: Math.max(260, box.clientWidth), height: 220,
        scales: { x: { time: false }, y: opts.log ? { distr: 3 } : {} },
        series: [{ label: opts.x || 'epoch', value: function (u, v) { return fmt(v); } }].concat(series.map(function (s, i) {
          return Object.assign({ stroke: COLORS[i % COLORS.length], width: 2, spanGaps: true,
            points: { show: function (u) { return u.data[0].length < 60; } }, value: function (u, v) { return fmt(v); } }, s);
        })),
        axes: [{ label: opts.x || 'epoch' }, { label: opts.y || '', size: 64, values: function (u, vs) { return vs.map(fmt); } }]
      }, data, box);
      charts[key] = c;
    } else {
      c.setData(data);
    }
  }

  function positive(v) { return v === null || v === undefined || !(v > 0) ? null : v; }

  function drawCurves() {
    var epochs = state.epochs, run = state.run || {};
    if (epochs.length === 0) { return; }
    // One x axis for the epochs and the batch points between them.
    var rows = new Map();
    function at(x) { if (!rows.has(x)) { rows.set(x, { x: x }); } return rows.get(x); }
    epochs.forEach(function (r) { var o = at(r.epoch); o.loss = r.loss; o.vloss = r.validationLoss; });
    state.batches.forEach(function (b) { at(b.at).batch = b.smoothed; });
    var xs = Array.from(rows.keys()).sort(function (a, b) { return a - b; });
    function col(f) { return xs.map(function (x) { var v = rows.get(x)[f]; return v === undefined ? null : v; }); }
    var validation = epochs.some(function (r) { return r.validationLoss !== null; });
    var series = [{ label: 'training' }], data = [xs, col('loss')];
    if (validation) { series.push({ label: 'validation' }); data.push(col('vloss')); }
    if (state.batches.length > 0) {
      series.push({ label: 'per batch (smoothed)', width: 1, stroke: '#9bb7d4' });
      data.push(col('batch'));
    }
    plot('loss', series, data, { y: run.lossLabel || 'loss' });

    var ex = epochs.map(function (r) { return r.epoch; });
    var acc = [{ label: 'training' }], accData = [ex, epochs.map(function (r) { return r.accuracy === null ? null : 100 * r.accuracy; })];
    if (validation) {
      acc.push({ label: 'validation' });
      accData.push(epochs.map(function (r) { return r.validationAccuracy === null ? null : 100 * r.validationAccuracy; }));
    }
    // A regression run has no accuracy: no chart for it.
    var classifies = epochs.some(function (r) { return r.accuracy !== null; });
    document.getElementById('chart-accuracy').hidden = !classifies;
    if (classifies) { plot('accuracy', acc, accData, { y: '%' }); }
    plot('lr', [{ label: 'learning rate' }], [ex, epochs.map(function (r) { return r.learningRate; })], { y: 'rate' });
  }

  function drawLayers() {
    var ls = state.layers;
    if (ls.length === 0) { return false; }
    var xs = ls.map(function (s) { return s.epoch; }), tensors = ls[ls.length - 1].tensors;
    function per(field) {
      return tensors.map(function (t, k) { return ls.map(function (s) { return positive(s[field][k]); }); });
    }
    plot('gradient', tensors.map(function (t) { return { label: t }; }), [xs].concat(per('gradientNorm')), { log: true, y: '|dW|' });
    var update = tensors.map(function (t) { return { label: t }; });
    update.push({ label: 'healthy, about 1e-3', stroke: '#999', width: 1, dash: [5, 5] });
    plot('update', update, [xs].concat(per('updateRatio'), [xs.map(function () { return 1e-3; })]), { log: true, y: '|ΔW| / |W|' });
    var units = ls[ls.length - 1].units;
    if (units.length > 0) {
      // After a convolution a ReLU's filters are counted (dead: off at every position), not its values.
      plot('units', units.map(function (u) { return { label: unitsLabel(u) + ' of ' + u.count + ' ' + u.of }; }),
        [xs].concat(units.map(function (u, k) {
          return ls.map(function (s) { var v = s.units[k]; return v ? (v.kind === 'relu' ? v.dead : v.saturated) : null; });
        })), { y: units.every(function (u) { return u.of === 'units'; }) ? 'units' : 'count' });
    }
    document.getElementById('chart-units').hidden = units.length === 0;
    return true;
  }

  // 'layer 2 (relu) dead', 'layer 3 (tanh) saturated': what a layer's count is of.
  function unitsLabel(u) {
    return u.layer + (u.kind === 'relu' ? ' dead' : ' saturated');
  }

  // ---- text -----------------------------------------------------------------------------------

  function drawStatus() {
    var run = state.run, last = state.epochs[state.epochs.length - 1], s = document.getElementById('status');
    if (run) {
      var net = (run.header.network || '').split('\n')[0];
      document.getElementById('title').textContent = 'Descent: ' + run.title + (net ? ' of ' + net : '');
      document.title = 'Descent: ' + run.title + (last ? ', epoch ' + last.epoch : '');
    }
    var text;
    if (state.end) {
      text = 'finished: ' + state.end.status;
      if (mode === 'live') {
        text += state.connection === 'lost' ? ' (descent has stopped serving; this page keeps what it showed)'
          : ' (served until Ctrl-C where descent runs)';
      }
    } else if (state.connection === 'lost') {
      text = 'connection to descent lost; trying again…';
    } else if (run && run.epochs > 0) {
      text = 'training: epoch ' + (last ? last.epoch : 0) + ' of ' + run.epochs;
    } else {
      text = run ? 'working…' : 'waiting for the run…';
    }
    s.textContent = text;
    s.className = mode === 'live' && !state.end && state.connection === 'open' ? 'live' : '';
  }

  function drawFigures() {
    var dl = document.getElementById('figures'), last = state.epochs[state.epochs.length - 1];
    dl.textContent = '';
    function add(label, value, id) {
      var d = el('div'); d.appendChild(el('dt', label)); var dd = el('dd', value); dd.id = id; d.appendChild(dd); dl.appendChild(d);
    }
    if (last) {
      add('epoch', String(last.epoch) + (state.run && state.run.epochs ? ' of ' + state.run.epochs : ''), 'figure-epoch');
      add('training loss', fmt(last.loss), 'figure-loss');
      if (last.accuracy !== null) { add('training accuracy', pct(last.accuracy), 'figure-accuracy'); }
      if (last.validationLoss !== null) {
        add('validation loss', fmt(last.validationLoss), 'figure-validation-loss');
        add('validation accuracy', pct(last.validationAccuracy), 'figure-validation-accuracy');
      }
      add('learning rate', fmt(last.learningRate), 'figure-lr');
    }
    if (state.evaluation) {
      var ev = state.evaluation, where = ev.set.split(':')[0];
      if (ev.task === 'regression') { add(where + ' R²', fmt(ev.targets[0].r2), 'figure-evaluation'); }
      else { add(where + ' accuracy', pct(ev.accuracy), 'figure-evaluation'); }
    }
    if (state.end && state.end.seconds > 0) { add('time', state.end.seconds.toFixed(2) + ' s', 'figure-time'); }
  }

  function drawFindings() {
    var ol = document.getElementById('findings');
    ol.textContent = '';
    state.findings.forEach(function (f) {
      var li = el('li', null, f.severity);
      li.dataset.kind = f.kind;
      li.appendChild(el('span', f.severity, 'severity'));
      li.appendChild(el('span', f.title, 'title'));
      if (f.epoch >= 0) { li.appendChild(el('span', ' (after epoch ' + f.epoch + ')', 'when')); }
      if (f.evidence.length > 0) {
        var ul = el('ul');
        f.evidence.forEach(function (line) { ul.appendChild(el('li', line)); });
        li.appendChild(ul);
      }
      if (f.suggestion) { li.appendChild(el('p', '→ ' + f.suggestion, 'suggestion')); }
      ol.appendChild(li);
    });
    show('findings-section', state.findings.length > 0);
  }

  function table(id, head, rows) {
    var t = document.getElementById(id), caption = t.querySelector('caption');
    t.textContent = '';
    if (caption) { t.appendChild(caption); }
    var thead = el('thead'), tr = el('tr');
    head.forEach(function (h) { tr.appendChild(el('th', h)); });
    thead.appendChild(tr);
    t.appendChild(thead);
    var tbody = el('tbody');
    rows.forEach(function (r) {
      var row = el('tr');
      r.forEach(function (c, i) { row.appendChild(el(i === 0 ? 'th' : 'td', c)); });
      tbody.appendChild(row);
    });
    t.appendChild(tbody);
    return t;
  }

  function drawEvaluation() {
    var e = state.evaluation;
    show('evaluation-section', !!e);
    if (!e) { return; }
    document.getElementById('evaluation-title').textContent = 'Evaluation on the ' + e.set;
    var regression = e.task === 'regression';
    show('chart-regression', regression);
    show('confusion-box', !regression);
    show('chart-roc', !regression && e.rocFpr !== undefined);
    if (regression) { drawRegression(e); return; }
    document.getElementById('classes-caption').textContent = 'Per class';
    document.getElementById('evaluation-summary').textContent =
      'loss ' + fmt(e.loss) + ' (mean per sample), accuracy ' + pct(e.accuracy) +
      (e.balancedAccuracy !== undefined ? ', balanced accuracy ' + pct(e.balancedAccuracy) + ', macro F1 ' +
        pct(e.macroF1) + ', weighted F1 ' + pct(e.weightedF1) : '') +
      (e.auc !== undefined ? ', ROC AUC ' + fmt(e.auc) : '');
    if (e.rocFpr !== undefined) {
      document.getElementById('roc-caption').textContent = 'ROC curve of \u2018' + e.rocPositive + '\u2019: AUC ' + fmt(e.auc);
      plot('roc', [
        { label: 'true-positive rate', stroke: COLORS[0], width: 2, points: { show: false } },
        { label: 'chance', stroke: '#999', width: 1, dash: [5, 5], points: { show: false } }
      ], [e.rocFpr, e.rocTpr, e.rocFpr], { x: 'false-positive rate', y: 'true-positive rate' });
    }
    var names = e.classes.map(function (c) { return c['class']; });
    var t = table('confusion', ['true \\ predicted'].concat(names), e.confusion.map(function (row, i) {
      return [names[i]].concat(row.map(String));
    }));
    // Shade each cell by its share of its row (the class's recall on the diagonal).
    t.querySelectorAll('tbody tr').forEach(function (tr, i) {
      var total = e.confusion[i].reduce(function (a, b) { return a + b; }, 0);
      tr.querySelectorAll('td').forEach(function (td, j) {
        var share = total > 0 ? e.confusion[i][j] / total : 0;
        td.style.background = 'rgba(31, 119, 180, ' + (0.85 * share).toFixed(3) + ')';
        if (share > 0.5) { td.style.color = '#fff'; }
      });
    });
    table('classes', ['class', 'precision', 'recall', 'F1', 'support'], e.classes.map(function (c) {
      return [c['class'], pct(c.precision), pct(c.recall), pct(c.f1), String(c.support)];
    }));
  }

  // A regression model's evaluation: each target's errors, and the first target's predicted values
  // against the true ones (points), beside the line where they would be equal.
  function drawRegression(e) {
    var first = e.targets[0];
    document.getElementById('evaluation-summary').textContent = e.samples + ' samples; ' + first.target +
      ': R² ' + fmt(first.r2) + ', RMSE ' + fmt(first.rmse) + ', MAE ' + fmt(first.mae) + ' (in its own units)';
    document.getElementById('classes-caption').textContent = 'Per target';
    table('classes', ['target', 'MSE', 'RMSE', 'MAE', 'R²'], e.targets.map(function (t) {
      return [t.target, fmt(t.mse), fmt(t.rmse), fmt(t.mae), fmt(t.r2)];
    }));
    document.getElementById('regression-caption').textContent = 'Predicted against true: ' + first.target +
      (e.truth.length < e.samples ? ' (' + e.truth.length + ' of ' + e.samples + ' samples)' : '');
    plot('regression', [
      { label: 'predicted', stroke: COLORS[0], width: 0, paths: function () { return null; },
        points: { show: true, size: 5, fill: COLORS[0] } },
      { label: 'predicted = true', stroke: '#999', width: 1, dash: [5, 5], points: { show: false } }
    ], [e.truth, e.predicted, e.truth], { x: 'true', y: 'predicted' });
  }

  function drawNumbers() {
    show('numbers-section', state.epochs.length > 0);
    var validation = state.epochs.some(function (r) { return r.validationLoss !== null; });
    var head = ['epoch', 'loss', 'accuracy'].concat(validation ? ['validation loss', 'validation accuracy'] : [], ['learning rate', 'seconds']);
    table('epochs', head, state.epochs.map(function (r) {
      return [String(r.epoch), fmt(r.loss), pct(r.accuracy)].concat(validation ? [fmt(r.validationLoss), pct(r.validationAccuracy)] : [],
        [fmt(r.learningRate), r.seconds.toFixed(3)]);
    }));
    var ls = state.layers;
    if (ls.length > 0) {
      var last = ls[ls.length - 1], h = ['epoch'];
      last.tensors.forEach(function (t) { h.push('|d' + t + '|', '|Δ' + t + '|/|' + t + '|'); });
      last.units.forEach(function (u) { h.push(unitsLabel(u) + ' ' + u.of); });
      table('layers', h, ls.map(function (s) {
        var r = [String(s.epoch)];
        s.tensors.forEach(function (t, k) { r.push(fmt(s.gradientNorm[k]), fmt(s.updateRatio[k])); });
        s.units.forEach(function (u) { r.push(String(u.kind === 'relu' ? u.dead : u.saturated)); });
        return r;
      }));
    }
  }

  function drawConfig() {
    var run = state.run;
    show('config-section', !!run);
    if (!run) { return; }
    function fill(id, map) {
      var t = document.getElementById(id);
      t.textContent = '';
      Object.keys(map).forEach(function (k) {
        var tr = el('tr'); tr.appendChild(el('th', k));
        var td = el('td'), v = String(map[k]);
        td.appendChild(v.indexOf('\n') >= 0 ? el('pre', v) : document.createTextNode(v));
        tr.appendChild(td); t.appendChild(tr);
      });
    }
    fill('config', run.header);
    var p = run.provenance || {};
    fill('provenance', p);
    document.getElementById('provenance-title').hidden = Object.keys(p).length === 0;
  }

  function render() {
    drawStatus();
    drawFigures();
    drawFindings();
    show('curves-section', state.epochs.length > 0);
    drawCurves();
    show('layers-section', state.layers.length > 0);
    drawLayers();
    drawEvaluation();
    drawNumbers();
    drawConfig();
    window.descent.renders++;
    document.body.dataset.state = state.end ? 'finished' : 'running';
  }

  var pending = null;
  function schedule() {
    if (pending === null) { pending = setTimeout(function () { pending = null; render(); }, 150); }
  }

  window.addEventListener('resize', function () {
    Object.keys(charts).forEach(function (k) {
      var box = document.querySelector('#chart-' + k + ' .plot');
      charts[k].setSize({ width: Math.max(260, box.clientWidth), height: 220 });
    });
  });

  JSON.parse(document.getElementById('events').textContent).forEach(apply);
  render();
  if (mode === 'live') {
    var source = new EventSource('events');
    source.onopen = function () { state.connection = 'open'; schedule(); };
    source.onmessage = function (m) { apply(JSON.parse(m.data)); schedule(); };
    source.onerror = function () { state.connection = 'lost'; schedule(); };
  }
})();
