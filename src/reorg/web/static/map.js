// The map page: a level's units before a plan and, beside it, coloured by the unit each went into.
// Leaflet with no tile layer (the app runs offline); shapes come from /api/maps as GeoJSON.
// Popups are built with textContent only: names are data, never markup.
"use strict";

const PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
  "#9c755f", "#bab0ac", "#1f77b4", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#17becf"];

function colourOf(key) {
  let h = 0;
  for (const ch of String(key)) h = (h * 31 + ch.codePointAt(0)) >>> 0;
  return PALETTE[h % PALETTE.length];
}

function number(value, digits) {
  if (value === null || value === undefined) return "–";
  return new Intl.NumberFormat(document.documentElement.lang, { maximumFractionDigits: digits || 0 }).format(value);
}

function popup(rows) {
  const box = document.createElement("div");
  for (const [label, value, strong] of rows) {
    const line = document.createElement("div");
    const l = document.createElement(strong ? "b" : "span");
    l.textContent = label;
    line.appendChild(l);
    if (value !== null && value !== undefined && value !== "") line.append(": ", String(value));
    box.appendChild(line);
  }
  return box;
}

function makeMap(id) {
  const map = L.map(id, { preferCanvas: true, zoomSnap: 0.25, attributionControl: false });
  return map;
}

function draw(data, labels) {
  const regions = new Map((data.regions || []).map((r) => [r.id, r]));
  const unitRows = (p) => [
    [p.name, null, true],
    [p.id, p.parent_name ? `${labels.parent} ${p.parent_name}` : null],
    [labels.population, number(p.population)],
    [labels.area, number(p.area_km2, 1)],
    ...(p.estimated ? [[labels.estimated, null]] : []),
  ];
  const before = makeMap("map-before");
  // colour by parent when the units have several parents (communes by province), else each its own
  const parents = new Set(data.features.map((f) => f.properties.parent_id));
  const keyBefore = (p) => (parents.size > 1 ? p.parent_id || p.id : p.id);
  const layerBefore = L.geoJSON(data, {
    style: (f) => ({ color: "#555", weight: 0.4, fillColor: colourOf(keyBefore(f.properties)), fillOpacity: 0.55 }),
    onEachFeature: (f, layer) => layer.bindPopup(() => popup(unitRows(f.properties))),
  }).addTo(before);
  const bounds = layerBefore.getBounds();
  if (!bounds.isValid()) return false;
  before.fitBounds(bounds);
  const afterBox = document.getElementById("map-after");
  if (afterBox) {
    const after = makeMap("map-after");
    L.geoJSON(data, {
      style: (f) => ({ color: colourOf(f.properties.after_id || f.properties.id), weight: 0.3, fillColor: colourOf(f.properties.after_id || f.properties.id), fillOpacity: 0.7 }),
      onEachFeature: (f, layer) => layer.bindPopup(() => {
        const p = f.properties;
        const r = regions.get(p.after_id);
        const rows = unitRows(p);
        rows.push([labels.went, p.after_name ? `${p.after_name} (${p.after_id})` : "–", true]);
        if (r) {
          rows.push([labels.members, number(r.members)], [labels.population, number(r.population)], [labels.area, number(r.area_km2, 1)]);
          if (r.operation !== null && r.operation !== undefined) rows.push([labels.operation, `#${r.operation} ${r.op}`]);
        }
        return popup(rows);
      }),
    }).addTo(after);
    after.fitBounds(bounds);
    let syncing = false;
    const follow = (a, b) => a.on("moveend", () => {
      if (syncing) return;
      syncing = true;
      b.setView(a.getCenter(), a.getZoom(), { animate: false });
      syncing = false;
    });
    follow(before, after);
    follow(after, before);
    const caption = document.getElementById("caption-after");
    if (caption) caption.textContent = `${labels.after} · ${labels.regions.replace("%(n)s", number(regions.size))}`;
  }
  const captionBefore = document.getElementById("caption-before");
  if (captionBefore) captionBefore.textContent = `${labels.before} · ${labels.units.replace("%(n)s", number(data.features.length))}`;
  return true;
}

document.addEventListener("DOMContentLoaded", async () => {
  const box = document.getElementById("maps");
  const status = document.getElementById("map-status");
  if (!box || typeof L === "undefined") return;
  const labels = JSON.parse(box.dataset.labels);
  try {
    const answer = await fetch(box.dataset.url, { credentials: "same-origin" });
    const data = await answer.json();
    if (!answer.ok) throw new Error(data.message || answer.statusText);
    if (data.estimated) document.getElementById("map-estimated").hidden = false;
    const drawn = data.features.length > 0 && draw(data, labels);
    status.textContent = drawn ? "" : labels.none;
    box.dataset.drawn = drawn ? "yes" : "no";
  } catch (error) {
    status.textContent = `${labels.failed} ${error.message}`;
    box.dataset.drawn = "failed";
  }
});
