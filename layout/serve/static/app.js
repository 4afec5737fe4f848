// paiban serve: the page. One WebSocket; small JSON messages (build, error, reveal in; hello,
// select out). The overlay is SVG in PDF points over each page image. Nothing from here is a
// path or a command: select names a page index and an article id.
"use strict";
const SVGNS = "http://www.w3.org/2000/svg";
const store = window.localStorage;
const state = {
  version: 0, doc: null, selected: null,
  zoom: parseFloat(store.getItem("paiban.zoom")) || 0.6,
  hidden: new Set(JSON.parse(store.getItem("paiban.hidden") || '["photos"]')),
};
let ws = null, retry = 0;
const $ = (id) => document.getElementById(id);

function connect() {
  ws = new WebSocket(`ws://${location.host}/ws`);
  ws.onopen = () => { retry = 0; status("connected"); send({type: "hello", version: state.version}); };
  ws.onmessage = (ev) => {
    const m = JSON.parse(ev.data);
    if (m.type === "build") onBuild(m);
    else if (m.type === "error") onError(m);
    else if (m.type === "reveal") onReveal(m);
  };
  ws.onclose = () => { status("disconnected — reconnecting"); setTimeout(connect, Math.min(4000, 250 * 2 ** retry++)); };
}
function send(m) { if (ws && ws.readyState === 1) ws.send(JSON.stringify(m)); }
function status(t) { $("status").textContent = t; }

const images = new Map();
function preload(url) {          // resolves once decoded, so the swap shows no blank page
  if (!images.has(url)) {
    const img = new Image();
    img.src = url;
    images.set(url, img.decode().then(() => img, () => img));
  }
  return images.get(url);
}

let pending = Promise.resolve();
function onBuild(m) {            // builds are applied in order, each after its images load
  pending = pending.then(async () => {
    if (m.version < state.version) return;
    await Promise.all(m.pages.map((p) => preload(p.image)));
    const sx = window.scrollX, sy = window.scrollY;
    state.doc = m; state.version = m.version;
    render();
    window.scrollTo(sx, sy);
    $("banner").hidden = true;
    document.body.dataset.version = String(m.version);
    status(`build ${m.version} · ${m.ms} ms`);
  });
}

function onError(m) {
  const b = $("banner");
  b.textContent = m.message;
  b.dataset.where = `${m.file}:${m.line}`;
  b.hidden = false;
  document.body.dataset.error = String(Date.now());
}

function onReveal(m) {
  $("where").textContent = `${m.id} — ${m.file}:${m.line}${m.column ? ":" + m.column : ""}`;
  $("where").dataset.where = `${m.file}:${m.line}`;
}

function el(name, attrs, parent) {
  const e = document.createElementNS(SVGNS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (parent) parent.appendChild(e);
  return e;
}
function rect(box, cls, parent) {
  return el("rect", {x: box[0], y: box[1], width: box[2], height: box[3], class: cls}, parent);
}

function render() {
  const doc = state.doc, host = $("pages");
  $("title").textContent = `${doc.file} · ${doc.paper} ${doc.date}`;
  while (host.children.length > doc.pages.length) host.lastChild.remove();
  doc.pages.forEach((p, i) => {
    let div = host.children[i];
    if (!div) {
      div = document.createElement("div");
      div.className = "page";
      div.innerHTML = '<span class="label"></span><img alt="">';
      host.appendChild(div);
    }
    div.dataset.index = i;
    div.dataset.number = p.number;
    div.style.width = `calc(${p.media[0]}px * var(--zoom))`;
    div.style.height = `calc(${p.media[1]}px * var(--zoom))`;
    div.querySelector(".label").textContent = `第${p.number}版 ${p.section}`;
    const img = div.querySelector("img");
    if (img.getAttribute("src") !== p.image) img.setAttribute("src", p.image);
    const old = div.querySelector("svg");
    if (old) old.remove();
    div.appendChild(overlay(p, i));
  });
  renderFindings();
  renderKinds();
  applyVisibility();
  applyZoom();
}

function overlay(p, index) {
  const svg = el("svg", {viewBox: `0 0 ${p.media[0]} ${p.media[1]}`, preserveAspectRatio: "none"});
  const g = el("g", {transform: `translate(${p.offset[0]} ${p.offset[1]})`}, svg);
  const grid = el("g", {class: "layer grid"}, g);
  for (const [x, w] of p.grid.columns) rect([x, p.grid.top, w, p.grid.lines * p.grid.pitch], "", grid);
  const photos = el("g", {class: "layer photos"}, g);
  for (const ph of p.photos) rect(ph.box, "photo", photos);
  const findings = el("g", {class: "layer findings"}, g);
  p.findings.forEach((f, k) => {
    if (!f.box) return;
    const r = rect(f.box, `finding ${f.severity} kind-${f.kind}`, findings);
    r.dataset.key = `${index}:${k}`;
    const t = el("title", {}, r); t.textContent = f.message;
  });
  const mods = el("g", {class: "layer modules"}, g);
  for (const m of p.modules) {
    const r = rect(m.box, "module", mods);
    r.dataset.id = m.id; r.dataset.page = index; r.dataset.where = `${m.file}:${m.line}`;
    r.addEventListener("click", () => select(index, m.id));
    const t = el("text", {x: m.box[0] + 3, y: m.box[1] + 11, class: "modlabel"}, mods);
    t.textContent = m.id;
  }
  return svg;
}

function select(page, id, key) {
  state.selected = {page, id, key};
  document.querySelectorAll(".selected").forEach((e) => e.classList.remove("selected"));
  const mod = document.querySelector(`.page[data-index="${page}"] .module[data-id="${CSS.escape(id)}"]`);
  if (mod) mod.classList.add("selected");
  if (key) {
    document.querySelectorAll(`[data-key="${key}"]`).forEach((e) => e.classList.add("selected"));
    const target = document.querySelector(`.finding[data-key="${key}"]`) || mod;
    if (target) target.scrollIntoView({block: "center", inline: "center", behavior: "smooth"});
  }
  if (id) send({type: "select", page, id});
}

function renderFindings() {
  const host = $("findings"), doc = state.doc;
  const all = [];
  doc.pages.forEach((p, i) => p.findings.forEach((f, k) => all.push({...f, page: i, number: p.number, key: `${i}:${k}`})));
  $("count").textContent = `${all.length} finding${all.length === 1 ? "" : "s"}`;
  $("light").className = `light ${all.length ? "red" : "green"}`;
  host.innerHTML = "";
  if (!all.length) { host.innerHTML = '<p class="none">Everything fits.</p>'; return; }
  const kinds = {};
  for (const f of all) (kinds[f.kind] = kinds[f.kind] || []).push(f);
  for (const [kind, list] of Object.entries(kinds)) {
    const d = document.createElement("details");
    d.open = true; d.dataset.kind = kind;
    d.innerHTML = `<summary>${kind} (${list.length})</summary>`;
    for (const f of list) {
      const row = document.createElement("div");
      row.className = `row ${f.severity}`;
      row.dataset.key = f.key;
      row.dataset.where = `${f.file}:${f.line}`;
      const what = document.createElement("div");
      what.textContent = `第${f.number}版 ${f.id ? f.id + ": " : ""}${f.message}`;
      const loc = document.createElement("div");
      loc.className = "loc"; loc.textContent = `${f.file}:${f.line}${f.column ? ":" + f.column : ""}`;
      row.append(what, loc);
      row.addEventListener("click", () => {
        select(f.page, f.id, f.key);
        $("where").textContent = `${f.id || "page"} — ${loc.textContent}`;
        $("where").dataset.where = row.dataset.where;
      });
      d.appendChild(row);
    }
    host.appendChild(d);
  }
}

function renderKinds() {
  const kinds = new Set();
  state.doc.pages.forEach((p) => p.findings.forEach((f) => kinds.add(f.kind)));
  const host = $("kinds");
  host.innerHTML = "";
  for (const k of kinds) {
    const label = document.createElement("label");
    label.innerHTML = `<input type="checkbox" data-kind="${k}"> ${k}`;
    const box = label.querySelector("input");
    box.checked = !state.hidden.has("kind-" + k);
    box.addEventListener("change", () => toggle("kind-" + k, box.checked));
    host.appendChild(label);
  }
}

function toggle(name, on) {
  if (on) state.hidden.delete(name); else state.hidden.add(name);
  store.setItem("paiban.hidden", JSON.stringify([...state.hidden]));
  applyVisibility();
}
function applyVisibility() {
  document.querySelectorAll(".layer").forEach((g) => {
    const name = [...g.classList].find((c) => c !== "layer");
    g.classList.toggle("hidden", state.hidden.has(name));
  });
  document.querySelectorAll(".finding").forEach((r) => {
    const kind = [...r.classList].find((c) => c.startsWith("kind-"));
    r.classList.toggle("hidden", state.hidden.has(kind));
  });
}
function applyZoom() {
  document.documentElement.style.setProperty("--zoom", state.zoom);
  $("zoom").textContent = `${Math.round(state.zoom * 100)}%`;
}
function zoomBy(f) {
  state.zoom = Math.min(4, Math.max(0.15, state.zoom * f));
  store.setItem("paiban.zoom", String(state.zoom));
  applyZoom();
}

document.querySelectorAll("#layers input").forEach((box) => {
  box.checked = !state.hidden.has(box.dataset.layer);
  box.addEventListener("change", () => toggle(box.dataset.layer, box.checked));
});
$("zoomin").addEventListener("click", () => zoomBy(1.25));
$("zoomout").addEventListener("click", () => zoomBy(0.8));
window.addEventListener("wheel", (e) => { if (e.ctrlKey) { e.preventDefault(); zoomBy(e.deltaY < 0 ? 1.1 : 0.9); } }, {passive: false});
applyZoom();
connect();
