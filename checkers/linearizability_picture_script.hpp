#pragma once
// The linearizability picture's style and script (linearizability_picture.cpp writes them inline
// into the page: nothing is fetched). Every rule is scoped to `.linpic`, so that a page embedding
// the picture (the run report) keeps its own look.

namespace faultline::checkers {

inline constexpr const char* kPictureStyle = R"(
.linpic { max-width: 1360px; font: 13px sans-serif; }
.linpic .summary { margin: 0.4em 0; }
.linpic .summary .bad { color: #c0392b; font-weight: 600; }
.linpic .summary .good { color: #1a7f37; font-weight: 600; }
.linpic .controls { margin: 0.4em 0; } .linpic .controls button { min-width: 2.2em; }
.linpic .body { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start; }
.linpic .chart { flex: none; max-width: 100%; max-height: 70vh; overflow: auto;
                 border: 1px solid #d0d7de; border-radius: 6px; }
.linpic .side { flex: 1 1 260px; min-width: 240px; max-width: 340px; max-height: 70vh;
                overflow: auto; position: relative; font-size: 12px; }
.linpic .side h4 { margin: 0.2em 0; } .linpic .muted { color: #57606a; }
.linpic ol.steps { padding-left: 3em; margin: 0.2em 0; } .linpic ol.steps li { cursor: pointer; }
.linpic .state { font-family: monospace; color: #3c6e47; overflow-wrap: anywhere; }
.linpic li.sel, .linpic .broken-step.sel { background: #fff3bf; }
.linpic .broken-step { color: #c0392b; font-weight: 600; margin: 0.4em 0; cursor: pointer; }
.linpic .info { font-family: monospace; font-size: 12px; min-height: 2.6em; white-space: pre-wrap;
                overflow-wrap: anywhere; background: #f6f8fa; padding: 0.3em 0.6em; }
.linpic svg { display: block; user-select: none; }
.linpic svg text { font: 11px monospace; } .linpic svg text.row { font: 12px sans-serif; }
.linpic .axis line { stroke: #eaeef2; } .linpic .axis text { fill: #57606a; text-anchor: middle; }
.linpic line.lane { stroke: #eaeef2; }
.linpic .op rect { fill: #dde7f3; stroke: #7d98b8; }
.linpic .op.lin rect { fill: #bfe6c3; stroke: #3c8d48; }
.linpic .op.open rect { fill: #f2f2f2; stroke: #999; stroke-dasharray: 4 2; }
.linpic .op.open.lin rect { fill: #dff2e1; }
.linpic .op.broken rect { fill: #f6b5b5; stroke: #c0392b; stroke-width: 2.5; }
.linpic .op.sel rect { stroke: #111; stroke-width: 2.5; }
.linpic .op { cursor: pointer; }
)";

// Re-lays the bars, labels and ticks for a view the reader zooms or pans, as write_lane does for
// the initial one (the same tick steps and labels); shows an operation's state on hover and
// click; switches partitions. `ID` is replaced by the picture's quoted id.
inline constexpr const char* kPictureScript = R"(
(function (root) {
  if (!root) return;
  var NS = 'http://www.w3.org/2000/svg';
  var info = root.querySelector('.info');
  var sel = root.querySelector('select.partsel');
  var parts = root.querySelectorAll('.part');
  function show(i) { for (var k = 0; k < parts.length; k++) parts[k].style.display = k == i ? '' : 'none'; }
  if (sel) sel.addEventListener('change', function () { show(+sel.value); });
  function fit(s, n) { var a = Array.from(s); return n <= 0 ? '' : a.length <= n ? s : a.slice(0, n - 1).join('') + '\u2026'; }
  function tickStep(span, timed) {
    var raw = span / 8, mag = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1e-9)))), step = mag * 10;
    for (var m of [1, 2, 5]) if (mag * m >= raw) { step = mag * m; break; }
    return timed ? Math.max(step, 1) : Math.max(Math.round(step), 1);
  }
  function tickText(t, step, timed) {
    if (!timed) return '#' + Math.round(t);
    var units = [[1e9, 's'], [1e6, 'ms'], [1e3, '\u00b5s'], [1, 'ns']];
    for (var u of units) if (step >= u[0] || u[0] == 1) return (t / u[0]).toFixed(0) + u[1];
  }
  parts.forEach(function (part) {
    var svg = part.querySelector('svg.lanes'), d = svg.dataset, side = part.querySelector('.side');
    var chart = part.querySelector('.chart');
    var W = +d.width, G = +d.gutter, R = +d.right, A = +d.axis, H = +d.height, timed = d.timed == '1';
    var w0 = +d.w0, w1 = +d.w1, v0 = +d.v0, v1 = +d.v1, home = [v0, v1];
    var ops = svg.querySelectorAll('g.op'), axis = svg.querySelector('g.axis');
    var byId = {}; ops.forEach(function (g) { byId[g.dataset.op] = g; });
    var selected = d.broken !== undefined ? d.broken : null;
    function X(t) { return G + (t - v0) * (W - G - R) / (v1 - v0); }
    function layout() {
      while (axis.firstChild) axis.removeChild(axis.firstChild);
      var step = tickStep(v1 - v0, timed);
      for (var t = Math.ceil(v0 / step) * step; t <= v1; t += step) {
        var x = X(t), l = document.createElementNS(NS, 'line'), s = document.createElementNS(NS, 'text');
        l.setAttribute('x1', x); l.setAttribute('x2', x); l.setAttribute('y1', A - 6); l.setAttribute('y2', H);
        s.setAttribute('x', x); s.setAttribute('y', A - 10); s.textContent = tickText(t, step, timed);
        axis.appendChild(l); axis.appendChild(s);
      }
      ops.forEach(function (g) {
        var a = +g.dataset.a, open = g.dataset.b === '', x0 = X(a), x1 = open ? W + 20 : X(+g.dataset.b);
        x1 = Math.max(x1, x0 + 3);
        var r = g.querySelector('rect'), t = g.querySelector('text');
        r.setAttribute('x', x0); r.setAttribute('width', x1 - x0);
        var s0 = Math.max(x0, G), s1 = Math.min(x1, W - R);
        t.setAttribute('x', s0 + 3);
        t.textContent = s1 > s0 ? fit(g.dataset.l, Math.floor((s1 - s0 - 6) / 6.7)) : '';
      });
    }
    function clamp() {
      var span = Math.min(v1 - v0, w1 - w0);
      if (v0 < w0) v0 = w0; if (v0 + span > w1) v0 = w1 - span; v1 = v0 + span;
    }
    function zoom(f, c) {
      var span = Math.max((v1 - v0) * f, timed ? 1 : 2);
      if (c === undefined) c = (v0 + v1) / 2;
      v0 = c - (c - v0) * span / (v1 - v0); v1 = v0 + span; clamp(); layout();
    }
    function pan(dt) { v0 += dt; v1 += dt; clamp(); layout(); }
    function describe(g) {
      var s = g.querySelector('title').textContent;
      return s;
    }
    function pick(id, center) {
      ops.forEach(function (g) { g.classList.remove('sel'); });
      part.querySelectorAll('.side .sel').forEach(function (e) { e.classList.remove('sel'); });
      selected = id;
      var g = byId[id]; if (g) { g.classList.add('sel'); info.textContent = describe(g); }
      var li = part.querySelector('[data-op="' + id + '"]:not(g)');
      if (li) { li.classList.add('sel'); side.scrollTop = li.offsetTop - side.clientHeight / 2; }
      if (g && center) {
        var a = +g.dataset.a;
        if (a < v0 || a > v1) pan(a - (v0 + v1) / 2);
        var y = +g.querySelector('rect').getAttribute('y');
        chart.scrollTop = y - chart.clientHeight / 2;
      }
    }
    ops.forEach(function (g) {
      g.addEventListener('mouseenter', function () { info.textContent = describe(g); });
      g.addEventListener('mouseleave', function () { if (selected !== null && byId[selected]) info.textContent = describe(byId[selected]); });
      g.addEventListener('click', function () { pick(g.dataset.op, false); });
    });
    part.querySelectorAll('.side [data-op]').forEach(function (li) {
      li.addEventListener('click', function () { pick(li.dataset.op, true); });
    });
    part.querySelectorAll('button[data-do]').forEach(function (b) {
      b.addEventListener('click', function () {
        var k = b.dataset.do, span = v1 - v0;
        if (k == 'in') zoom(0.5); else if (k == 'out') zoom(2);
        else if (k == 'left') pan(-span / 3); else if (k == 'right') pan(span / 3);
        else if (k == 'all') { v0 = w0; v1 = w1; layout(); }
        else if (k == 'home') { v0 = home[0]; v1 = home[1]; layout(); pick(d.broken, true); }
      });
    });
    svg.addEventListener('wheel', function (e) {
      e.preventDefault();
      var r = svg.getBoundingClientRect(), x = e.clientX - r.left;
      zoom(e.deltaY > 0 ? 1.25 : 0.8, v0 + (x - G) * (v1 - v0) / (W - G - R));
    }, { passive: false });
    var drag = null;
    svg.addEventListener('pointerdown', function (e) { drag = e.clientX; });
    window.addEventListener('pointerup', function () { drag = null; });
    svg.addEventListener('pointermove', function (e) {
      if (drag === null || !e.buttons) return;
      var dx = e.clientX - drag; drag = e.clientX;
      if (dx) pan(-dx * (v1 - v0) / (W - G - R));
    });
    layout();
    if (selected !== null) pick(selected, true);
    else if (side) side.scrollTop = 0;
  });
})(document.getElementById(ID));
)";

}  // namespace faultline::checkers
