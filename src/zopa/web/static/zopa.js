/* zopa web app: the pages, drawn from the JSON API. Plain JavaScript, no dependencies.
 * Changes made with the sliders are kept in this browser (localStorage) as overrides of
 * the scenario's latest version until they are saved as a new version or discarded. */
"use strict";

const body = document.body;
const PAGE = body.dataset.page;
const SID = body.dataset.scenario;
const CSRF = document.querySelector('meta[name="csrf-token"]').content;
const PAGES = [
  ["scenario", "Scenario"], ["forecast", "Forecast"], ["deals", "Deal space"],
  ["tables", "Who is at the table"], ["durability", "After the agreement"],
  ["advise", "Advice"], ["sensitivity", "Sensitivity"], ["backtest", "Backtest"],
  ["versions", "Versions"],
];
const COLOURS = ["#1f5fa8", "#c2410c", "#15803d", "#7e22ce", "#b91c1c", "#0e7490", "#a16207",
  "#be185d", "#4d7c0f", "#334155"];

/* ---------- small helpers ---------- */

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "text") el.textContent = v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) el.append(c);
  return el;
}

function s(tag, attrs, ...children) {
  const el = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "text") el.textContent = v; else el.setAttribute(k, v);
  }
  for (const c of children.flat()) if (c) el.append(c);
  return el;
}

const fmt = (x, d = 1) => (x === null || x === undefined ? "–"
  : Number(x).toFixed(d).replace(/^-(0\.?0*)$/, "$1"));
const pct = (x) => (x === null || x === undefined ? "–" : `${Math.round(100 * x)} %`);
const main = document.getElementById("main");
const statusEl = document.getElementById("status");
const setStatus = (text) => { statusEl.textContent = text; };

class ApiError extends Error {
  constructor(status, data) {
    super(data && data.reason ? data.reason : `HTTP ${status}`);
    this.status = status;
    this.data = data;
  }
}

async function api(path, options = {}) {
  const init = { method: options.method || "GET", headers: { "X-CSRF-Token": CSRF } };
  if (options.json !== undefined) {
    init.method = options.method || "POST";
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(options.json);
  } else if (options.form) {
    init.method = "POST";
    init.body = options.form;
  }
  const response = await fetch(path, init);
  const type = response.headers.get("content-type") || "";
  const data = type.includes("json") ? await response.json() : await response.text();
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

function problemsBox(error) {
  const box = h("div", { class: "problems", role: "alert" });
  if (error instanceof ApiError && error.data && error.data.problems) {
    box.append(h("p", { text: "The input cannot be used:" }));
    const list = h("ul");
    for (const p of error.data.problems) {
      const where = p.file ? `${p.file}${p.line ? ":" + p.line : ""}: ` : "";
      const detail = [p.got !== null && p.got !== undefined ? `got ${p.got}` : null,
        p.expected ? `expected ${p.expected}` : null].filter(Boolean).join(", ");
      list.append(h("li", { class: p.severity },
        h("code", { text: where + (p.path || "") }), ` ${p.message}`,
        detail ? ` (${detail})` : "", p.hint ? h("div", { class: "hint", text: `hint: ${p.hint}` }) : null));
    }
    box.append(list);
  } else {
    box.append(h("p", { text: `Could not finish: ${error.message}` }));
  }
  return box;
}

/* ---------- overrides kept in the browser ---------- */

const KEY = `zopa-overrides-${SID}`;
function loadOverrides() {
  try { return JSON.parse(localStorage.getItem(KEY)) || { stances: {}, actors: {} }; }
  catch { return { stances: {}, actors: {} }; }
}
let overrides = loadOverrides();
function saveOverrides() { localStorage.setItem(KEY, JSON.stringify(overrides)); renderPending(); }
function overridesBody() {
  return {
    stances: Object.values(overrides.stances),
    actors: Object.values(overrides.actors),
  };
}
function setStance(actor, issue, field, value) {
  const k = `${actor}|${issue}`;
  overrides.stances[k] = { ...(overrides.stances[k] || { actor, issue }), [field]: value };
  saveOverrides();
}
function setActor(actor, field, value) {
  overrides.actors[actor] = { ...(overrides.actors[actor] || { actor }), [field]: value };
  saveOverrides();
}
function pendingCount() {
  return Object.keys(overrides.stances).length + Object.keys(overrides.actors).length;
}

function renderPending() {
  const bar = document.getElementById("pending");
  if (!bar) return;
  bar.replaceChildren();
  const n = pendingCount();
  if (!n) { bar.hidden = true; return; }
  bar.hidden = false;
  const message = h("input", { id: "save-message", placeholder: "what changed (optional)", size: 30 });
  bar.append(
    h("span", { text: `${n} unsaved change${n > 1 ? "s" : ""} (what-if) ` }),
    message,
    h("button", { id: "save-version", onclick: async () => {
      try {
        const v = await api(`/api/scenarios/${SID}/versions`, {
          json: { overrides: overridesBody(), message: message.value || null } });
        overrides = { stances: {}, actors: {} };
        saveOverrides();
        setStatus(`saved as version ${v.number}`);
        if (typeof window.zopaRefresh === "function") window.zopaRefresh();
      } catch (e) { bar.append(problemsBox(e)); }
    } }, "Save as new version"),
    h("button", { class: "secondary", onclick: () => {
      overrides = { stances: {}, actors: {} };
      saveOverrides();
      if (typeof window.zopaRefresh === "function") window.zopaRefresh();
    } }, "Discard"),
  );
}

/* ---------- shared data ---------- */

let scenarioCache = null;
async function scenario() {
  if (!scenarioCache) scenarioCache = await api(`/api/scenarios/${SID}`);
  return scenarioCache;
}

function stanceOf(data, actor, issue) {
  const base = data.stances.find((x) => x.actor === actor && x.issue === issue);
  if (!base) return null;
  const o = overrides.stances[`${actor}|${issue}`] || {};
  const merged = { ...base, ...o };
  if (o.remove_red_line) merged.red_line = null;
  return merged;
}

function scaleOf(issue) {
  return issue.scale ? [issue.scale.min, issue.scale.max] : [0, 100];
}

/* ---------- the slider of one stance ---------- */

function stanceSlider(data, st, onMove) {
  const issue = data.issues.find((i) => i.id === st.issue);
  const [lo, hi] = scaleOf(issue);
  const out = h("output", { text: fmt(st.position, 0) });
  const input = h("input", {
    type: "range", min: lo, max: hi, step: (hi - lo) / 100, value: st.position,
    "aria-label": `${st.actor} position on ${st.issue}`, "data-actor": st.actor,
    "data-issue": st.issue, class: "position-slider",
  });
  input.addEventListener("input", () => {
    out.textContent = fmt(input.value, 0);
    setStance(st.actor, st.issue, "position", Number(input.value));
    onMove();
  });
  const redLine = st.red_line === undefined || st.red_line === null ? null
    : h("span", { class: "redline", style: `left:${(100 * (st.red_line - lo)) / (hi - lo)}%`,
      title: `red line ${st.red_line}` });
  return h("div", { class: "slider" }, h("div", { class: "track" }, input, redLine), out);
}

/* A stance's red line: a slider to drag it, a button to add or remove it. */
function redLineControl(data, actor, issue, onChange) {
  const box = h("span", { class: "redline-control" });
  const [lo, hi] = scaleOf(issue);
  const drawBox = () => {
    const st = stanceOf(data, actor, issue.id);
    const has = st.red_line !== undefined && st.red_line !== null;
    const out = h("output", { text: has ? fmt(st.red_line, 0) : "none" });
    const slider = has ? h("input", { type: "range", min: lo, max: hi, step: (hi - lo) / 100,
      value: st.red_line, class: "redline-slider", "aria-label": `${actor} red line on ${issue.id}`,
      oninput: (ev) => { out.textContent = fmt(ev.target.value, 0);
        setStance(actor, issue.id, "red_line", Number(ev.target.value)); onChange(); } }) : null;
    const toggle = h("button", { class: "secondary small", "aria-label": `${has ? "remove" : "add"} ${actor} red line on ${issue.id}`,
      onclick: () => {
        const k = `${actor}|${issue.id}`;
        const o = { ...(overrides.stances[k] || { actor, issue: issue.id }) };
        if (has) { o.red_line = undefined; o.remove_red_line = true; }
        else { o.red_line = st.position; delete o.remove_red_line; }
        overrides.stances[k] = o;
        saveOverrides(); drawBox(); onChange();
      } }, has ? "remove" : "add");
    box.replaceChildren(...[slider, out, toggle].filter(Boolean));
  };
  drawBox();
  return box;
}

function debounce(fn, ms) {
  let timer = null;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
}

/* ---------- SVG charts ---------- */

function scaleBar(issue, data, forecast, width = 640) {
  const [lo, hi] = scaleOf(issue);
  const x = (v) => 100 + ((v - lo) / (hi - lo)) * (width - 130);
  const models = Object.keys(forecast.forecasts);
  const height = 90 + 16 * models.length;
  const g = s("svg", { viewBox: `0 0 ${width} ${height}`, class: "chart", role: "img",
    "aria-label": `positions and forecasts on ${issue.name}` });
  g.append(s("line", { x1: x(lo), x2: x(hi), y1: 30, y2: 30, class: "axis" }));
  for (const t of [lo, (lo + hi) / 2, hi]) {
    g.append(s("text", { x: x(t), y: 14, class: "tick", text: fmt(t, 0) }));
  }
  const caps = data.actors.map((a) => a.capability);
  const maxCap = Math.max(...caps);
  const stacked = {};
  data.actors.forEach((a) => {
    const st = stanceOf(data, a.id, issue.id);
    if (!st) return;
    const r = 3 + 7 * Math.sqrt(a.capability / maxCap);
    const spot = Math.round(x(st.position) / 18);
    const level = (stacked[spot] = (stacked[spot] ?? -1) + 1);
    g.append(s("circle", { cx: x(st.position), cy: 30, r, class: "actor" },
      s("title", { text: `${a.name}: ${fmt(st.position, 0)} (salience ${st.salience})` })));
    g.append(s("text", { x: x(st.position), y: 50 + 11 * level, class: "label", text: a.id }));
    if (st.red_line !== undefined && st.red_line !== null) {
      g.append(s("line", { x1: x(st.red_line), x2: x(st.red_line), y1: 22, y2: 38, class: "redline-mark" },
        s("title", { text: `${a.id} red line ${st.red_line}` })));
    }
  });
  models.forEach((m, k) => {
    const y = 86 + 16 * k;
    const value = forecast.forecasts[m][issue.id];
    const iv = forecast.intervals && forecast.intervals[m] && forecast.intervals[m].issues[issue.id];
    const colour = COLOURS[k % COLOURS.length];
    if (iv) g.append(s("line", { x1: x(iv.low), x2: x(iv.high), y1: y, y2: y, stroke: colour, class: "range" }));
    if (value !== null && value !== undefined) {
      g.append(s("circle", { cx: x(value), cy: y, r: 4, fill: colour },
        s("title", { text: `${m}: ${fmt(value)}` })));
    }
    g.append(s("text", { x: 4, y: y + 4, class: "model", fill: colour, text: m }));
  });
  return g;
}

function lineChart(series, { title, yLabel, yMax = null, width = 640, height = 260, band = null }) {
  const xs = series[0].x;
  const allY = series.flatMap((sr) => sr.y.concat(sr.low || [], sr.high || []));
  const top = yMax ?? Math.max(...allY) * 1.05;
  const X = (v) => 50 + ((v - xs[0]) / (xs[xs.length - 1] - xs[0])) * (width - 70);
  const Y = (v) => height - 30 - (v / top) * (height - 50);
  const g = s("svg", { viewBox: `0 0 ${width} ${height}`, class: "chart", role: "img", "aria-label": title });
  g.append(s("text", { x: 50, y: 14, class: "title", text: title }));
  g.append(s("line", { x1: 50, x2: width - 20, y1: Y(0), y2: Y(0), class: "axis" }));
  g.append(s("line", { x1: 50, x2: 50, y1: Y(0), y2: Y(top), class: "axis" }));
  for (const t of [0, top / 2, top]) g.append(s("text", { x: 44, y: Y(t) + 4, class: "tick end", text: fmt(t, 2) }));
  for (const t of [xs[0], xs[Math.floor(xs.length / 2)], xs[xs.length - 1]]) {
    g.append(s("text", { x: X(t), y: height - 12, class: "tick", text: fmt(t, 0) }));
  }
  g.append(s("text", { x: (width + 30) / 2, y: height - 2, class: "tick", text: yLabel }));
  if (band !== null) {
    g.append(s("line", { x1: 50, x2: width - 20, y1: Y(band), y2: Y(band), class: "guide" }));
  }
  series.forEach((sr, k) => {
    const colour = COLOURS[k % COLOURS.length];
    if (sr.low && sr.high) {
      const pts = sr.x.map((v, i) => `${X(v)},${Y(sr.high[i])}`)
        .concat(sr.x.map((v, i) => `${X(v)},${Y(sr.low[i])}`).reverse());
      g.append(s("polygon", { points: pts.join(" "), fill: colour, opacity: 0.12 }));
    }
    g.append(s("polyline", { points: sr.x.map((v, i) => `${X(v)},${Y(sr.y[i])}`).join(" "),
      fill: "none", stroke: colour, "stroke-width": 2 }, s("title", { text: sr.name })));
  });
  const legend = h("div", { class: "legend" }, series.map((sr, k) =>
    h("span", {}, h("i", { style: `background:${COLOURS[k % COLOURS.length]}` }), sr.name)));
  return h("figure", {}, g, legend);
}

function table(head, rows, attrs = {}) {
  return h("table", attrs, h("thead", {}, h("tr", {}, head.map((c) => h("th", { text: c })))),
    h("tbody", {}, rows.map((r) => h("tr", {}, r.map((c) => (c instanceof Node ? h("td", {}, c) : h("td", { text: c })))))));
}

/* ---------- pages ---------- */

async function homePage() {
  const list = await api("/api/scenarios");
  const file = h("input", { type: "file", id: "upload", name: "file" });
  const errors = h("div", { id: "upload-result" });
  main.replaceChildren(
    h("h1", { text: "Scenarios" }),
    table(["scenario", "versions", "created"], list.map((sc) => [
      h("a", { href: `/scenarios/${sc.id}/forecast`, text: sc.name }), String(sc.latest),
      sc.created.slice(0, 10)]), { id: "scenario-list" }),
    h("h2", { text: "Import a scenario" }),
    h("p", { text: "Any format zopa reads: YAML, JSON, CSV, XLSX, KTAB, Decide, BdM. Every problem is shown with its line." }),
    h("form", { id: "import-form", onsubmit: async (ev) => {
      ev.preventDefault();
      errors.replaceChildren();
      if (!file.files.length) return;
      const form = new FormData();
      form.append("file", file.files[0]);
      try {
        const made = await api("/api/scenarios/import", { form });
        window.location = `/scenarios/${made.id}/scenario`;
      } catch (e) { errors.append(problemsBox(e)); }
    } }, file, h("button", { type: "submit" }, "Import")),
    errors,
  );
}

async function scenarioPage() {
  const sc = await scenario();
  const data = sc.data;
  const sources = Object.fromEntries((data.sources || []).map((x) => [x.id, x]));
  const issueSel = h("select", { id: "issue" }, data.issues.map((i) => h("option", { value: i.id, text: i.name })));
  const grid = h("div", { id: "grid" });
  const draw = () => {
    const rows = data.actors.map((a) => {
      const cells = data.issues.map((i) => {
        const st = stanceOf(data, a.id, i.id);
        return st ? h("td", { class: overrides.stances[`${a.id}|${i.id}`] ? "changed" : null,
          title: `salience ${st.salience}${st.red_line != null ? `, red line ${st.red_line}` : ""}`,
          text: fmt(st.position, 0) }) : h("td", { class: "none", text: "·" });
      });
      return h("tr", {}, h("th", { text: a.id, title: a.name }), cells);
    });
    grid.replaceChildren(h("table", { class: "grid" },
      h("thead", {}, h("tr", {}, h("th", { text: "actor \\ issue" }), data.issues.map((i) => h("th", { title: i.name, text: i.id })))),
      h("tbody", {}, rows)));
  };
  const editor = h("div", { id: "editor" });
  const drawEditor = () => {
    const issue = data.issues.find((i) => i.id === issueSel.value);
    const rows = data.actors.map((a) => {
      const st = stanceOf(data, a.id, issue.id);
      if (!st) return null;
      const sal = h("input", { type: "range", min: 0, max: 1, step: 0.05, value: st.salience,
        "aria-label": `${a.id} salience on ${issue.id}`, oninput: (ev) => {
          setStance(a.id, issue.id, "salience", Number(ev.target.value)); salOut.textContent = ev.target.value; draw(); } });
      const salOut = h("output", { text: String(st.salience) });
      const cited = (st.sources || []).map((id) => sources[id]).filter(Boolean);
      return h("tr", {}, h("th", { text: a.name }),
        h("td", {}, stanceSlider(data, st, draw)),
        h("td", {}, sal, salOut),
        h("td", {}, redLineControl(data, a.id, issue, draw)),
        h("td", {}, h("details", {}, h("summary", { text: `${cited.length} source${cited.length === 1 ? "" : "s"}` }),
          h("ul", {}, cited.map((src) => h("li", {}, src.url ? h("a", { href: src.url, rel: "noopener", target: "_blank", text: src.title }) : src.title,
            src.date ? ` (${src.date})` : ""))), st.notes ? h("p", { class: "note", text: st.notes }) : null)));
    });
    editor.replaceChildren(h("p", { class: "note", text: issue.description || "" }),
      table(["actor", "position", "salience", "red line", "sources"], []),
    );
    editor.querySelector("tbody").append(...rows.filter(Boolean));
  };
  issueSel.addEventListener("change", drawEditor);
  const caps = h("table", { id: "capabilities" }, h("thead", {}, h("tr", {}, h("th", { text: "actor" }), h("th", { text: "capability" }), h("th", { text: "veto" }))),
    h("tbody", {}, data.actors.map((a) => {
      const o = overrides.actors[a.id] || {};
      return h("tr", {}, h("th", { text: a.name }),
        h("td", {}, h("input", { type: "number", min: 0, step: "any", value: o.capability ?? a.capability,
          "aria-label": `${a.id} capability`, onchange: (ev) => setActor(a.id, "capability", Number(ev.target.value)) })),
        h("td", { text: a.veto ? "veto" : "" }));
    })));
  window.zopaRefresh = () => { scenarioCache = null; render(); };
  main.replaceChildren(h("h1", { text: data.title }),
    h("p", { class: "note", text: `version ${sc.version.number} · ${sc.version.message}` }),
    h("h2", { text: "Positions (actors × issues)" }), grid,
    h("h2", { text: "Edit a stance" }), h("label", {}, "Issue ", issueSel), editor,
    h("h2", { text: "Capabilities" }), caps);
  draw();
  drawEditor();
}

async function forecastPage() {
  const sc = await scenario();
  const data = sc.data;
  const issueSel = h("select", { id: "issue" }, data.issues.map((i) => h("option", { value: i.id, text: i.name })));
  const drawsSel = h("select", { id: "draws" }, [0, 200, 1000].map((d) => h("option", { value: d, text: `${d} draws`, selected: d === 200 })));
  const calibrated = h("input", { type: "checkbox", id: "calibrated" });
  const sliders = h("div", { id: "sliders" });
  const chart = h("div", { id: "map" });
  const results = h("div", { id: "forecast" });
  let last = null;
  let seq = 0;
  const update = async () => {
    const mine = ++seq;
    const started = performance.now();
    try {
      const answer = await api(`/api/scenarios/${SID}/what-if`, { json: {
        overrides: overridesBody(), forecast: { models: ["all"], draws: Number(drawsSel.value),
          calibrated: calibrated.checked } } });
      if (mine !== seq) return;
      last = answer.forecast;
      drawResults();
      const ms = performance.now() - started;
      window.zopaLastUpdateMs = ms;
      body.dataset.updates = String(Number(body.dataset.updates || 0) + 1);
      setStatus(`updated in ${Math.round(ms)} ms (server ${Math.round(answer.elapsed_ms)} ms)`);
    } catch (e) { if (mine === seq) results.replaceChildren(problemsBox(e)); }
  };
  const later = debounce(update, 40);
  const drawSliders = () => {
    const issue = data.issues.find((i) => i.id === issueSel.value);
    sliders.replaceChildren(...data.actors.map((a) => {
      const st = stanceOf(data, a.id, issue.id);
      return st ? h("div", { class: "row" }, h("span", { class: "who", text: a.id, title: a.name }),
        stanceSlider(data, st, () => { later(); })) : null;
    }).filter(Boolean));
  };
  const drawResults = () => {
    if (!last) return;
    const issue = data.issues.find((i) => i.id === issueSel.value);
    chart.replaceChildren(scaleBar(issue, data, last));
    const models = Object.keys(last.forecasts);
    const flagged = {};
    for (const [m, list] of Object.entries(last.flags || {})) {
      for (const f of list) flagged[`${m}|${f.issue}`] = f.reason;
    }
    const rows = data.issues.map((i) => [i.name, ...models.map((m) => {
      const v = last.forecasts[m][i.id];
      const iv = last.intervals && last.intervals[m] && last.intervals[m].issues[i.id];
      const cal = last.calibrated && last.calibrated[m] && last.calibrated[m].issues[i.id];
      let text = iv ? `${fmt(v)} (${fmt(iv.low, 0)}–${fmt(iv.high, 0)})` : fmt(v);
      if (cal && cal["0.8"]) text += ` [${fmt(cal["0.8"][0], 0)}–${fmt(cal["0.8"][1], 0)}]`;
      const why = flagged[`${m}|${i.id}`];
      return why ? h("span", { class: "flagged", title: why }, text, h("sup", { text: " ⚑" })) : text;
    })]);
    const flagList = Object.entries(flagged).map(([k, why]) => {
      const [m, issue] = k.split("|");
      const name = (data.issues.find((i) => i.id === issue) || { name: issue }).name;
      return h("li", {}, h("strong", { text: `${m}, ${name}: ` }), why);
    });
    const calNote = last.calibrated ? Object.values(last.calibrated)[0] : null;
    results.replaceChildren(table(["issue", ...models], rows, { id: "forecast-table" }),
      h("p", { class: "note", text: "Each cell: the model's forecast on the stated positions, and in brackets the 5–95 % range over the Monte Carlo draws of the positions within their ranges." +
        (calNote ? ` In square brackets: the 80 % interval ${calNote.label}; ${calNote.caution}.` : "") }),
      ...(flagList.length ? [h("details", { id: "flags", open: true },
        h("summary", { text: `⚑ ${flagList.length} point${flagList.length > 1 ? "s" : ""} outside their own Monte Carlo range` }),
        h("ul", {}, flagList))] : []));
  };
  issueSel.addEventListener("change", () => { drawSliders(); drawResults(); });
  drawsSel.addEventListener("change", update);
  calibrated.addEventListener("change", update);
  window.zopaRefresh = () => { scenarioCache = null; render(); };
  main.replaceChildren(h("h1", { text: "Where will it land?" }),
    h("div", { class: "controls" }, h("label", {}, "Issue ", issueSel), h("label", {}, "Ranges ", drawsSel),
      h("label", { title: "intervals calibrated on the models' errors on EU legislation (DEU III)" }, calibrated, " calibrated intervals")),
    h("div", { class: "columns" }, h("section", {}, h("h2", { text: "Positions" }), sliders),
      h("section", {}, h("h2", { text: "Position map" }), chart)),
    h("h2", { text: "Every model, every issue" }), results);
  drawSliders();
  await update();
}

function packageTable(data, solutions) {
  const names = Object.keys(solutions);
  return table(["issue", ...names], data.issues.map((i) => [i.name, ...names.map((n) => {
    const p = solutions[n].package;
    return p ? fmt(p[i.id], 0) : "–";
  })]), { class: "packages" });
}

async function dealsPage() {
  const sc = await scenario();
  const data = sc.data;
  main.replaceChildren(h("h1", { text: "What deal is possible?" }), h("p", { text: "Analysing the deal space…" }));
  const answer = await api(`/api/scenarios/${SID}/what-if`, { json: { overrides: overridesBody(), forecast: null, deals: {} } });
  const d = answer.deals;
  const z = d.zopa;
  const parts = [h("h1", { text: "What deal is possible?" }),
    h("p", { class: "note", text: `Parties who must accept: ${d.parties.join(", ")} · method ${d.method}` }),
    h("p", { id: "zopa-verdict", class: z.empty ? "verdict empty" : "verdict", text: z.empty
      ? "The zone of possible agreement is empty: no package is acceptable to every party."
      : "A zone of possible agreement exists." })];
  if (z.conflicts && z.conflicts.length) {
    parts.push(h("h2", { text: "Red lines that collide" }),
      h("ul", { id: "conflicts" }, z.conflicts.map((c) => h("li", { text: c.map((x) => x.text).join(" — but ") }))));
  }
  if (z.relaxations && z.relaxations.length) {
    parts.push(h("h2", { text: "The smallest relaxations that open it" }),
      h("ul", { id: "relaxations" }, z.relaxations.map((r) => h("li", {},
        h("strong", { text: r.scope === "any" ? "any party: " : `${r.scope} alone: ` }),
        r.moves.map((m) => `${m.actor} moves its red line on ${m.issue} from ${fmt(m.from, 0)} to ${fmt(m.to, 0)}`).join("; "),
        ` (cost ${fmt(r.cost, 2)})`))));
  }
  const solved = Object.values(d.solutions).some((x) => x.package);
  if (solved) {
    parts.push(h("h2", { text: "Packages" }), packageTable(data, d.solutions));
  } else if (d.core) {
    parts.push(h("h2", { text: `Packages with ${d.core.set_aside.join(", ")} set aside` }),
      h("p", { class: "note", text: "The colliding issues are left to a separate track; the rest of the deal:" }),
      packageTable(data, d.core.solutions));
  }
  parts.push(h("h2", { text: "Logrolls" }), table(["issues", "from → to", "gains"], (d.logrolls || []).slice(0, 10).map((l) => [
    l.issues.join(" + "), `${l.from.map((x) => fmt(x, 0)).join(", ")} → ${l.to.map((x) => fmt(x, 0)).join(", ")}`,
    Object.entries(l.gains).map(([a, g]) => `${a} +${fmt(g, 3)}`).join(", ")])));
  parts.push(h("h2", { text: "Recommended agenda" }),
    h("ol", { id: "agenda" }, (d.agenda || []).map((a) => h("li", {}, h("strong", { text: `${a.action}: ${a.issues.join(", ")}` }), ` — ${a.reason}`))));
  main.replaceChildren(...parts);
}

async function tablesPage() {
  const sc = await scenario();
  const data = sc.data;
  const presets = [["bilateral", ["US", "RU"]], ["with-ukraine", ["US", "RU", "UA"]],
    ["with-europe", ["US", "RU", "UA", "UK", "FR", "DE", "IT", "PL", "NB", "EU"]]];
  const known = new Set(data.actors.map((a) => a.id));
  const chosen = presets.map(([n, ids]) => [n, new Set(ids.filter((x) => known.has(x)))])
    .filter(([, ids]) => ids.size);
  if (!chosen.length) chosen.push(["table", new Set(data.actors.slice(0, 2).map((a) => a.id))]);
  const picker = h("table", { id: "picker" },
    h("thead", {}, h("tr", {}, h("th", { text: "table" }), data.actors.map((a) => h("th", { text: a.id, title: a.name })))),
    h("tbody", {}, chosen.map(([name, ids]) => h("tr", {}, h("th", { text: name }), data.actors.map((a) =>
      h("td", {}, h("input", { type: "checkbox", checked: ids.has(a.id), "aria-label": `${a.id} at ${name}`,
        onchange: (ev) => { if (ev.target.checked) ids.add(a.id); else ids.delete(a.id); } })))))));
  const out = h("div", { id: "tables-result" });
  const run = async () => {
    out.replaceChildren(h("p", { text: "Comparing tables…" }));
    try {
      const tables = Object.fromEntries(chosen.map(([n, ids]) => [n, [...ids]]));
      const answer = await api(`/api/scenarios/${SID}/what-if`, { json: { overrides: overridesBody(), forecast: null, tables: { tables, forecasts: false } } });
      const t = answer.tables;
      const names = Object.keys(t.tables);
      const rows = t.actors.map((a) => [a, fmt(t.no_deal_utility[a], 2), ...names.map((n) => {
        const deal = t.tables[n].deal;
        if (!deal || !deal.utilities) return "no deal";
        const g = deal.gains[a];
        return `${fmt(deal.utilities[a], 2)} (${g >= 0 ? "+" : ""}${fmt(g, 2)})${t.tables[n].members.includes(a) ? " ●" : ""}`;
      })]);
      out.replaceChildren(
        h("h2", { text: "What each actor gets (utility, gain over no deal; ● at the table)" }),
        table(["actor", "no deal", ...names], rows, { class: "utilities" }),
        h("h2", { text: "The deal each table reaches" }),
        table(["issue", ...names], data.issues.map((i) => [i.name, ...names.map((n) => {
          const deal = t.tables[n].deal;
          return deal && deal.package ? fmt(deal.package[i.id], 0) : "–";
        })])));
    } catch (e) { out.replaceChildren(problemsBox(e)); }
  };
  main.replaceChildren(h("h1", { text: "Who must be at the table?" }), picker,
    h("button", { id: "compare", onclick: run }, "Compare the tables"), out);
  await run();
}

async function durabilityPage() {
  const names = await api(`/api/scenarios/${SID}/deal-files`);
  const picked = new Set(names);
  const dealFile = h("input", { type: "file", id: "deal-upload", accept: ".yaml,.yml,.json" });
  const uploadResult = h("div", { id: "deal-upload-result" });
  const upload = h("form", { id: "deal-form", onsubmit: async (ev) => {
    ev.preventDefault();
    uploadResult.replaceChildren();
    if (!dealFile.files.length) return;
    const f = dealFile.files[0];
    try {
      const made = await api(`/api/scenarios/${SID}/deal-files`, { json: { name: f.name, text: await f.text() } });
      setStatus(`deal file ${made.name} added`);
      durabilityPage();
    } catch (e) { uploadResult.append(problemsBox(e)); }
  } }, dealFile, h("button", { type: "submit" }, "Add the deal file"));
  const out = h("div", { id: "durability-result" });
  const run = async () => {
    out.replaceChildren(h("p", { text: "Drawing the parameters…" }));
    try {
      const r = await api(`/api/scenarios/${SID}/durability`, { json: { deals: [...picked], draws: 2000, overrides: overridesBody() } });
      const deals = r.deals || [r];
      out.replaceChildren(
        table(["deal", "holds 1 year", "2 years", "5 years", "ending", "why"], deals.map((d) => [
          d.deal.title, pct(d.p_hold["1"].median), pct(d.p_hold["2"].median), pct(d.p_hold["5"].median),
          d.ending.ending.replaceAll("_", " "), d.ending.reasons.join("; ")]), { id: "odds" }),
        lineChart(deals.map((d) => ({ name: d.deal.title, x: d.survival.years, y: d.survival.median || d.survival.mean,
          low: d.survival.low, high: d.survival.high })), { title: "Chance the ceasefire still holds", yLabel: "years", yMax: 1 }),
        lineChart(deals.map((d) => ({ name: d.deal.title, x: d.deterrence.years, y: d.deterrence.balance_median })),
          { title: "Deterrence balance (defence ÷ attack; above 1 deters)", yLabel: "years", band: 1 }),
        h("p", { class: "note", text: (deals[0].notes || []).join(" ") }));
    } catch (e) { out.replaceChildren(problemsBox(e)); }
  };
  main.replaceChildren(h("h1", { text: "Will it hold?" }),
    h("p", { class: "note", text: pendingCount()
      ? `The deal files kept with this scenario, assessed against its latest version with your ${pendingCount()} unsaved change${pendingCount() > 1 ? "s" : ""}.`
      : "The deal files kept with this scenario, assessed against its latest saved version." }),
    h("div", { id: "deal-picker" }, names.map((n) => h("label", {}, h("input", { type: "checkbox", checked: true,
      onchange: (ev) => { if (ev.target.checked) picked.add(n); else picked.delete(n); } }), n))),
    h("button", { id: "assess", onclick: run }, "Assess"), out,
    h("h2", { text: "Add a deal file" }),
    h("p", { class: "note" }, "A deal file describes a proposed ceasefire's terms (see docs/deal-format.md); it is checked against this scenario before it is kept."),
    upload, uploadResult);
  window.zopaRefresh = () => durabilityPage();
  if (names.length) await run();
}

async function backtestPage() {
  const file = h("input", { type: "file", id: "cases-upload", accept: ".csv,.txt,.yaml,.yml,.json" });
  const caps = h("input", { type: "file", id: "capability-upload", accept: ".csv" });
  const out = h("div", { id: "backtest-result" });
  const form = h("form", { id: "backtest-form", onsubmit: async (ev) => {
    ev.preventDefault();
    if (!file.files.length) return;
    const body = new FormData();
    body.append("file", file.files[0]);
    if (caps.files.length) body.append("capability", caps.files[0]);
    body.append("bootstrap", "200");
    out.replaceChildren(h("p", { text: "Scoring the models…" }));
    try {
      const r = await api("/api/backtest", { form: body });
      const rows = Object.entries(r.models || {}).sort((a, b) => a[1].mae - b[1].mae).map(([m, x]) => [
        x.baseline ? `${m} (baseline)` : m, fmt(x.mae, 2),
        x.ci && x.ci.mae ? `${fmt(x.ci.mae[0], 2)}–${fmt(x.ci.mae[1], 2)}` : "–",
        pct(x.within_10), String(x.n)]);
      const n = Math.max(0, ...Object.values(r.models || {}).map((x) => x.n));
      out.replaceChildren(
        h("p", { class: "note", text: `${n} issues with known outcomes. MAE: mean absolute error on each issue's scale (lower is better), with its ${Math.round(100 * (Object.values(r.models)[0] || { level: 0.95 }).level)} % bootstrap range; "within 10": the share of forecasts within 10 points of the outcome.` }),
        table(["model", "MAE", "range", "within 10", "issues"], rows, { id: "scores" }),
        ...((r.failures || []).length ? [h("p", { class: "note", text: `${r.failures.length} case(s) could not be scored.` })] : []));
    } catch (e) { out.replaceChildren(problemsBox(e)); }
  } },
  h("p", {}, h("label", {}, "Cases (a DEU-layout CSV or a scenario with outcomes) ", file)),
  h("p", {}, h("label", {}, "Capabilities (optional actor,capability CSV) ", caps)),
  h("button", { type: "submit" }, "Score the models"));
  main.replaceChildren(h("h1", { text: "How good are the models on known cases?" }),
    h("p", { class: "note", text: "Upload decisions whose outcomes are known; every model forecasts them and is scored against what happened (docs/backtest.md)." }),
    form, out);
}

const signed = (x, d = 4) => (x === null || x === undefined ? "–" : (x >= 0 ? "+" : "") + x.toFixed(d));

function leverTable(levers, id, withActor) {
  if (!levers.length) return h("p", { class: "note", text: "No lever helps here." });
  const head = ["#", ...(withActor ? ["actor"] : []), "issue", "change", "forecast", "deal", "cost"];
  return table(head, levers.map((l) => [
    String(l.rank), ...(withActor ? [l.actor] : []), l.issue, l.text.split(": ").slice(1).join(": ").replace(` on ${l.issue}`, ""),
    signed(l.benefit), !l.deal ? "–" : l.deal.opens_zone ? "opens the zone" : signed(l.deal.benefit),
    fmt(l.cost, 3),
  ]), { id });
}

function statedLine(r) {
  const d = r.stated.deal;
  let deal = "";
  if (d) {
    deal = d.zone_open ? `; deal ${fmt(d.utility, 3)}`
      : `; deal ${fmt(d.utility, 3)} (zone empty` + (d.set_aside.length ? `, core deal without ${d.set_aside.join(", ")})` : ")");
  }
  return `${r.actor}'s utility (0..1) as stated: forecast ${fmt(r.stated.expected_utility, 3)}${deal}. ` +
    `Model ${r.model}` + (r.parties.length ? `; deal: Nash package of ${r.parties.join(", ")}.` : ".");
}

async function advisePage() {
  const sc = await scenario();
  const data = sc.data;
  const actor = h("select", { id: "actor" }, data.actors.map((a) => h("option", { value: a.id, text: `${a.id} — ${a.name}` })));
  const rank = h("select", { id: "rank-by" }, h("option", { value: "forecast", text: "the forecast" }), h("option", { value: "deal", text: "the deal" }));
  const out = h("div", { id: "advice-result" });
  const run = async () => {
    out.replaceChildren(h("p", { text: "Trying each lever…" }));
    try {
      const options = { actor: actor.value, rank_by: rank.value, top: 5 };
      const answer = await api(`/api/scenarios/${SID}/what-if`, { json: { overrides: overridesBody(), forecast: null, advise: options } });
      const r = answer.advise;
      const opening = r.stated.deal && !r.stated.deal.zone_open
        ? h("p", { id: "advice-opening", text: r.levers_opening_the_zone ? `${r.levers_opening_the_zone} of the ${r.levers_evaluated} levers tried open the empty zone of agreement.` : "No single lever opens the empty zone of agreement." })
        : null;
      out.replaceChildren(
        h("p", { id: "advice-stated", text: statedLine(r) }),
        h("h2", { text: `Own moves (${r.actor}), best first` }), leverTable(r.own, "own-levers", false),
        h("h2", { text: "Whom to work on: shifts to ask of others" }), leverTable(r.persuasion, "persuasion-levers", true),
        h("h2", { text: "Best for the deal (either group)" }), leverTable(r.best_for_deal || [], "deal-levers", true),
        opening,
        h("p", { class: "note", text: `Forecast and deal: the change in ${r.actor}'s utility (0..1) from the forecast and from the deal; cost: how far ${r.actor} moves from what it wants. ${r.caveat}` }));
    } catch (e) { out.replaceChildren(problemsBox(e)); }
  };
  actor.onchange = run;
  rank.onchange = run;
  main.replaceChildren(h("h1", { text: "Advice: levers for one actor" }),
    h("div", { class: "controls" }, h("label", {}, "Actor ", actor), h("label", {}, "Rank by ", rank),
      h("button", { id: "run", onclick: run }, "Advise")),
    out);
  await run();
}

async function sensitivityPage() {
  const sc = await scenario();
  const data = sc.data;
  const model = h("select", { id: "model" }, ["median", "compromise", "nash", "eum", "smp", "exchange"].map((m) => h("option", { value: m, text: m })));
  const method = h("select", { id: "method" }, h("option", { value: "morris", text: "Morris screening (fast)" }), h("option", { value: "sobol", text: "Sobol' variance shares" }));
  const out = h("div", { id: "sensitivity-result" });
  const run = async () => {
    out.replaceChildren(h("p", { text: "Varying the inputs…" }));
    try {
      const options = { model: model.value, method: method.value, samples: method.value === "sobol" ? 128 : 16 };
      const answer = await api(`/api/scenarios/${SID}/what-if`, { json: { overrides: overridesBody(), forecast: null, sensitivity: options } });
      const r = answer.sensitivity;
      const key = r.method === "sobol" ? "ST" : "mu_star";
      out.replaceChildren(...Object.entries(r.issues).map(([id, is]) => {
        const top = (is.indices || []).filter((t) => (t[key] || 0) > 0.005)
          .sort((a, b) => b[key] - a[key]).slice(0, 6);
        const max = Math.max(1e-9, ...top.map((t) => t[key] || 0));
        return h("section", { class: "tornado" }, h("h3", { text: `${is.name}: ${fmt(is.mean)} ± ${fmt(is.std)}` }),
          is.note ? h("p", { class: "note", text: is.note }) : null,
          top.map((t) => h("div", { class: "bar-row" }, h("span", { class: "bar-label", text: t.label }),
            h("span", { class: "bar", style: `width:${(60 * (t[key] || 0)) / max}%` }),
            h("span", { class: "bar-value", text: fmt(t[key], 2) }))));
      }));
    } catch (e) { out.replaceChildren(problemsBox(e)); }
  };
  main.replaceChildren(h("h1", { text: "What drives the forecast?" }),
    h("div", { class: "controls" }, h("label", {}, "Model ", model), h("label", {}, "Method ", method),
      h("button", { id: "run", onclick: run }, "Analyse")),
    h("p", { class: "note", text: `Each bar: how much an input moves the forecast (${data.issues.length} issues; positions vary within their ranges).` }), out);
  await run();
}

async function versionsPage() {
  const versions = await api(`/api/scenarios/${SID}/versions`);
  const diffBox = h("pre", { id: "diff" });
  const from = h("select", { id: "from" }, versions.map((v) => h("option", { value: v.number, text: `version ${v.number}` })));
  const to = h("select", { id: "to" }, versions.map((v, k) => h("option", { value: v.number, text: `version ${v.number}`, selected: k === versions.length - 1 })));
  const showDiff = async () => {
    const d = await api(`/api/scenarios/${SID}/diff?from=${from.value}&to=${to.value}`);
    diffBox.replaceChildren(...(d.diff ? d.diff.split("\n").map((line) =>
      h("span", { class: line.startsWith("+") ? "add" : line.startsWith("-") ? "del" : line.startsWith("@@") ? "hunk" : null, text: line + "\n" }))
      : [h("span", { text: "no difference" })]));
  };
  main.replaceChildren(h("h1", { text: "Versions" }),
    table(["version", "when", "who", "what changed", ""], versions.slice().reverse().map((v) => [
      String(v.number), v.created.slice(0, 19).replace("T", " "), v.author, v.message,
      h("span", {}, h("button", { class: "restore", "data-version": v.number, onclick: async () => {
        await api(`/api/scenarios/${SID}/versions/${v.number}/restore`, { json: {} });
        setStatus(`version ${v.number} restored as the newest`);
        versionsPage();
      } }, "Restore"), " ",
      h("a", { href: `/api/scenarios/${SID}/export?format=yaml&version=${v.number}`, text: "YAML" }), " ",
      h("a", { href: `/api/scenarios/${SID}/export?format=xlsx&version=${v.number}`, text: "XLSX" }), " ",
      h("a", { href: `/api/scenarios/${SID}/report?version=${v.number}`, text: "report" }))]), { id: "versions" }),
    h("h2", { text: "Compare two versions" }),
    h("div", { class: "controls" }, from, " → ", to, h("button", { id: "show-diff", onclick: showDiff }, "Show the difference")),
    diffBox);
  if (versions.length > 1) {
    from.value = String(versions[versions.length - 2].number);
    await showDiff();
  }
}

async function apiDocsPage() {
  const doc = await api("/openapi.json");
  const schemas = doc.components ? doc.components.schemas : {};
  const bodyOf = (op) => {
    const content = op.requestBody && op.requestBody.content;
    if (!content) return null;
    const [type, spec] = Object.entries(content)[0];
    const ref = spec.schema && spec.schema.$ref;
    const schema = ref ? schemas[ref.split("/").pop()] : spec.schema;
    const fields = schema && schema.properties ? Object.keys(schema.properties).join(", ") : "";
    return `${type}${fields ? `: ${fields}` : ""}`;
  };
  const rows = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const query = (op.parameters || []).filter((p) => p.in === "query").map((p) => p.name);
      rows.push([h("code", { text: `${method.toUpperCase()} ${path}${query.length ? `?${query.join("&")}` : ""}` }),
        (op.description || op.summary || "").split("\n")[0], bodyOf(op) || ""]);
    }
  }
  main.replaceChildren(h("h1", { text: `${doc.info.title} JSON API ${doc.info.version}` }),
    h("p", {}, "The whole OpenAPI document: ", h("a", { href: "/openapi.json", text: "/openapi.json" }),
      ". Errors: 422 with every located problem, other errors with a one-line reason."),
    table(["request", "what", "body"], rows, { id: "endpoints" }));
}

/* ---------- frame ---------- */

function renderNav() {
  const nav = document.getElementById("nav");
  nav.replaceChildren(h("a", { href: "/", text: "Scenarios" }));
  if (!SID) return;
  for (const [page, title] of PAGES) {
    nav.append(h("a", { href: `/scenarios/${SID}/${page}`, class: page === PAGE ? "current" : null, text: title }));
  }
  nav.append(h("a", { href: `/api/scenarios/${SID}/report`, id: "report-link", title: "the full report of the latest version (zip)", text: "Download report" }));
  main.before(h("div", { id: "pending", hidden: true }));
  renderPending();
}

const RENDER = { home: homePage, scenario: scenarioPage, forecast: forecastPage, deals: dealsPage,
  tables: tablesPage, durability: durabilityPage, advise: advisePage, sensitivity: sensitivityPage,
  versions: versionsPage,
  backtest: backtestPage,
  apidocs: apiDocsPage };

async function render() {
  try {
    await RENDER[PAGE]();
    body.dataset.ready = "true";
  } catch (e) {
    main.replaceChildren(problemsBox(e));
    body.dataset.ready = "error";
  }
}

renderNav();
render();
