// The step-through's section of the report page: its controls, its data and the script that
// renders them (reports/step_through.hpp). The script is vanilla JavaScript, inline, and reads
// nothing but the page: the report stays one file that opens without a network.
#include "base/markup_escape.hpp"
#include "reports/step_through.hpp"

namespace faultline::reports {

namespace {

constexpr const char* kStyle = R"(
.steps-controls { display: flex; flex-wrap: wrap; gap: 0.4em 1em; align-items: center;
                  margin: 0.4em 0; }
.steps-controls button { font: inherit; padding: 0.15em 0.8em; }
.steps-filters { margin: 0.4em 0; font-size: 13px; }
.steps-filters div { margin: 0.2em 0; } .steps-filters label { margin-right: 0.8em;
                                                               white-space: nowrap; }
.steps-body { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 3fr); gap: 1em; }
ol.steps-list { position: relative; max-height: 32em; overflow-y: auto; margin: 0;
                padding: 0 0 0 0.4em; list-style: none; border: 1px solid #d0d7de;
                border-radius: 6px; font-size: 12px; }
ol.steps-list li { padding: 0.1em 0.3em; cursor: pointer; border-left: 3px solid transparent; }
ol.steps-list li .time { font-family: ui-monospace, Menlo, Consolas, monospace; color: #57606a;
                         margin-right: 0.5em; }
ol.steps-list li.story { border-left-color: #bf8700; }
ol.steps-list li.violation { color: #d1242f; font-weight: 600; }
ol.steps-list li.fold { color: #57606a; font-style: italic; }
ol.steps-list li.current { background: #ddf4ff; outline: 1px solid #0969da; }
#steps-event { border-left: 4px solid #0969da; background: #f6f8fa; padding: 0.4em 0.8em;
               margin-bottom: 0.6em; }
#steps-event.violation { border-left-color: #d1242f; background: #fff5f5; }
#steps-event pre { white-space: pre-wrap; overflow-wrap: anywhere; max-height: 16em;
                   overflow-y: auto; margin: 0.3em 0 0; }
#steps-event .head { font-weight: 600; }
table.steps-nodes { width: 100%; table-layout: fixed; }
table.steps-nodes th:first-child { width: 6.5em; }
table.steps-nodes tr.here td { background: #ddf4ff; }
table.steps-nodes tr.changed td:first-child { box-shadow: inset 3px 0 #bf8700; }
table.steps-nodes td.status-down, table.steps-nodes td.status-paused { color: #d1242f;
                                                                        font-weight: 600; }
table.steps-nodes div { margin: 0.1em 0; }
)";

// The script. Each event's state is `nodes` merged over the previous one's: a node whose state
// did not change keeps the same object, which is how a row knows it changed at this event.
constexpr const char* kScript = R"JS(
(() => {
  const $ = (id) => document.getElementById(id);
  const data = JSON.parse($('steps-data').textContent);
  const events = data.events;
  if (events.length === 0) return;
  const states = [], worlds = [];
  let state = {}, world = [];
  for (const e of events) {
    if (e.nodes) {
      state = Object.assign({}, state);
      for (const [n, change] of Object.entries(e.nodes)) {
        const s = Object.assign({}, state[n], change);
        for (const key of Object.keys(change)) if (change[key] === null) delete s[key];
        state[n] = s;
      }
    }
    if (e.world) world = e.world;
    states.push(state);
    worlds.push(world);
  }
  let scope = events.some((e) => e.slice) ? 'slice' : 'all';
  const nodeOn = new Map(), typeOn = new Map();
  const el = (tag, cls, text) => {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const checkbox = (parent, label, map, key) => {
    const box = el('input');
    box.type = 'checkbox';
    box.checked = true;
    box.dataset.key = key;
    map.set(key, box);
    box.addEventListener('change', () => { refresh(); });
    const wrap = el('label');
    wrap.append(box, ' ' + label);
    parent.append(wrap);
  };
  data.nodes.forEach((n) => checkbox($('steps-node-filter'), n, nodeOn, n));
  checkbox($('steps-node-filter'), '(world)', nodeOn, '');
  data.types.forEach((t) => checkbox($('steps-type-filter'), t, typeOn, t));
  checkbox($('steps-type-filter'), '(not a message)', typeOn, '');

  const list = $('steps-list');
  const items = events.map((e, k) => {
    const fold = e.kind === 'fold';
    const li = el('li', (e.violation ? 'violation ' : '') + (e.story ? 'story' : '') +
                            (fold ? 'fold' : ''));
    li.id = (fold ? 'fold-' : 'step-') + e.i;
    // A message's line (and a fold's) names both ends; anything else, its node.
    const who = e.violation ? 'VIOLATION ' : e.type || fold || !e.node ? '' : e.node + ': ';
    li.append(el('span', 'time', e.at), who + (e.text || e.detail || ''));
    li.addEventListener('click', () => select(k));
    list.append(li);
    return li;
  });
  const on = (map, key) => { const box = map.get(key || ''); return !box || box.checked; };
  const visible = (k) => {
    const e = events[k];
    // A fold stands for its repeats in the slice; all events shows each of them instead.
    const inScope = scope === 'all' ? e.kind !== 'fold' : e.slice === true;
    return inScope && on(nodeOn, e.node) && on(typeOn, e.type);
  };

  const table = $('steps-nodes');
  const rows = new Map();
  for (const n of data.nodes) {
    const tr = el('tr');
    tr.dataset.node = n;
    const cells = {name: el('td', 'mono', n), status: el('td'), notes: el('td'), sent: el('td'),
                   received: el('td')};
    tr.append(cells.name, cells.status, cells.notes, cells.sent, cells.received);
    table.append(tr);
    rows.set(n, {tr, cells});
  }
  const mark = (m) => (m ? '#' + m[0] + ' ' + m[1] : '');
  const lines = (cell, texts) => {
    cell.replaceChildren(...texts.filter((t) => t).map((t) => el('div', '', t)));
  };

  let current = -1;
  const render = () => {
    const k = current, e = events[k];
    items.forEach((li, j) => li.classList.toggle('current', j === k));
    const box = $('steps-event');
    box.className = e.violation ? 'violation' : '';
    const payload = e.msg !== undefined && data.payloads[e.msg] !== undefined ?
                        data.payloads[e.msg] : e.data;
    const head = '#' + e.i + '  ' + e.at + '  ' + (e.node || 'world') + '  ' +
        (e.kind === 'fold' ? e.fold + ' routine repeats, this the last' : e.kind) +
        (e.violation ? '  VIOLATION' : '');
    const parts = [el('div', 'head', head),
                   el('div', '', e.text || e.detail || '')];
    if (e.detail && e.text) parts.push(el('div', 'muted', e.detail));
    if (payload !== undefined) parts.push(el('pre', '', JSON.stringify(payload, null, 1)));
    box.replaceChildren(...parts);
    const shown = items.filter((li, j) => visible(j)).length;
    let at = 0;
    for (let j = 0; j <= k; ++j) if (visible(j)) ++at;
    $('steps-position').textContent = (visible(k) ? at : '–') + ' / ' + shown;
    $('steps-world').textContent = worlds[k].length ?
        'partitions in force: ' + worlds[k].join('; ') : 'no partition in force';
    for (const [n, row] of rows) {
      const s = states[k][n];
      const before = k > 0 ? states[k - 1][n] : s;
      row.tr.className = (n === e.node || n === e.peer ? 'here ' : '') +
                         (s !== before ? 'changed' : '');
      if (!s) {
        lines(row.cells.status, ['not started']);
        for (const c of ['notes', 'sent', 'received']) lines(row.cells[c], []);
        continue;
      }
      row.cells.status.className = 'status-' + s.status.replace(' ', '-');
      lines(row.cells.status, [s.status, s.clock && 'clock: ' + s.clock,
                               s.holds && 'holds ' + s.holds, s.cut && 'cut: ' + s.cut,
                               s.op && 'op: ' + mark(s.op)]);
      lines(row.cells.notes, s.notes.map(mark));
      lines(row.cells.sent, [mark(s.sent)]);
      lines(row.cells.received, [mark(s.received)]);
    }
    const li = items[k];
    list.scrollTop = Math.max(0, li.offsetTop - list.clientHeight / 2);
  };
  const select = (k) => { current = k; render(); };
  const step = (direction) => {
    for (let k = current + direction; k >= 0 && k < events.length; k += direction) {
      if (visible(k)) return select(k);
    }
  };
  // An event asked for by a link or a button is shown even where the scope or a filter hid it.
  const reveal = (k) => {
    const e = events[k];
    if (scope === 'slice' && !e.slice) setScope('all');
    for (const box of [nodeOn.get(e.node || ''), typeOn.get(e.type || '')])
      if (box) box.checked = true;
    refresh();
    select(k);
  };
  const refresh = () => {
    items.forEach((li, k) => { li.hidden = !visible(k); });
    if (current >= 0) render();
  };
  const setScope = (value) => {
    scope = value;
    for (const radio of document.querySelectorAll('input[name="steps-scope"]'))
      radio.checked = radio.value === value;
    refresh();
  };
  for (const radio of document.querySelectorAll('input[name="steps-scope"]')) {
    radio.disabled = radio.value === 'slice' && !events.some((e) => e.slice);
    radio.addEventListener('change', () => setScope(radio.value));
  }
  $('steps-prev').addEventListener('click', () => step(-1));
  $('steps-next').addEventListener('click', () => step(1));
  $('steps-violation').addEventListener('click', () => {
    const k = events.findIndex((e) => e.violation);
    if (k >= 0) reveal(k);
  });
  document.addEventListener('keydown', (ev) => {
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
    const t = ev.target;
    if (t && (t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' ||
              (t.tagName === 'INPUT' && t.type !== 'checkbox'))) return;
    if (ev.key === 'ArrowRight' || ev.key === 'j') step(1);
    else if (ev.key === 'ArrowLeft' || ev.key === 'k') step(-1);
    else return;
    ev.preventDefault();
  });
  const fromHash = () => {
    const m = /^#step-(\d+)$/.exec(location.hash);
    const k = m ? events.findIndex((e) => String(e.i) === m[1] && e.kind !== 'fold') : -1;
    if (k >= 0) reveal(k);
    return k >= 0;
  };
  window.addEventListener('hashchange', fromHash);
  setScope(scope);
  if (!fromHash()) {
    const first = events.findIndex((e, k) => visible(k));
    select(first >= 0 ? first : 0);
  }
})();
)JS";

std::string count_text(size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

const char* step_through_style() {
  return kStyle;
}

void write_step_through(std::ostream& out, const nlohmann::json& data) {
  const nlohmann::json& events = data["events"];
  size_t carried = 0, slice = 0, folds = 0;
  for (const nlohmann::json& e : events) {
    const bool fold = e.value("kind", "") == "fold";
    folds += fold ? 1 : 0;
    carried += fold ? 0 : 1;
    slice += !fold && e.value("slice", false) ? 1 : 0;
  }
  out << "<section id=\"steps\">\n<h2>Step through</h2>\n<p class=\"muted\">"
      << count_text(carried, "event", "events") << " of "
      << count_text(data.value("records", size_t{0}), "trace record", "trace records");
  if (slice > 0) out << ", " << slice << " in the violations' causal slice";
  if (folds > 0) {
    out << " (and "
        << (folds == 1 ? std::string("1 step that stands")
                       : std::to_string(folds) + " steps that each stand")
        << " for routine repeats: heartbeats, polls, ticks)";
  }
  out << ". Next and previous: the buttons, → and ←, or j and k; the filters hide events from "
         "both.";
  const size_t left_out = data.value("left_out", size_t{0});
  if (left_out > 0) {
    out << " The oldest " << count_text(left_out, "event", "events")
        << " outside the slice and the story are left out (at most " << data.value("cap", size_t{0})
        << " recent events are carried); <code>faultline run … --step-events 0</code> carries "
           "them all.";
  }
  out << "</p>\n<div class=\"steps-controls\">"
         "<button type=\"button\" id=\"steps-prev\" title=\"previous event (← or k)\">← "
         "previous</button><button type=\"button\" id=\"steps-next\" title=\"next event (→ or "
         "j)\">next →</button><span id=\"steps-position\"></span>"
         "<label><input type=\"radio\" name=\"steps-scope\" value=\"slice\"> causal slice</label>"
         "<label><input type=\"radio\" name=\"steps-scope\" value=\"all\"> all events</label>"
         "<button type=\"button\" id=\"steps-violation\">violation</button></div>\n"
         "<div class=\"steps-filters\"><div id=\"steps-node-filter\">nodes: </div>"
         "<div id=\"steps-type-filter\">messages: </div></div>\n"
         "<div class=\"steps-body\"><ol class=\"steps-list\" id=\"steps-list\"></ol>\n"
         "<div><div id=\"steps-event\"></div><p class=\"muted\" id=\"steps-world\"></p>\n"
         "<table class=\"steps-nodes\" id=\"steps-nodes\"><tr><th>node</th><th>state</th>"
         "<th>latest notes</th><th>last sent</th><th>last received</th></tr></table></div>"
         "</div>\n<script type=\"application/json\" id=\"steps-data\">"
      << script_json(data) << "</script>\n<script>" << kScript << "</script>\n</section>\n";
}

}  // namespace faultline::reports
