// /map: places and bases with coordinates over Natural Earth's country outlines (served by kg),
// a marker sized by how many articles name the place; the events at each place listed below.
"use strict";

(async function () {
  const chart = document.getElementById("chart");
  const list = document.getElementById("places");
  let places;
  try {
    const rows = await viewRows("map");
    places = rows.map((r) => {
      const m = /POINT\s*\(\s*(-?[\d.]+)\s+(-?[\d.]+)\s*\)/i.exec(r.wkt || "");
      if (!m) return null;
      const events = (r.events || "").split("\n").filter(Boolean).map((line) => {
        const cut = line.indexOf(" ");
        return { iri: line.slice(0, cut), label: line.slice(cut + 1) || line.slice(0, cut) };
      });
      return { place: r.place, label: r.label, type: r.type, longitude: Number(m[1]), latitude: Number(m[2]),
               mentions: Number(r.mentions || 1), page: pageOf(r.place), events, gazetteer: r.gazetteer || "" };
    }).filter(Boolean);
  } catch (e) {
    showError(chart, e);
    return;
  }
  chart.dataset.markers = String(places.length);
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    width: "container", height: 520,
    projection: { type: "equalEarth" },
    layer: [
      { data: { url: "/static/vendor/countries-110m.json", format: { type: "topojson", feature: "countries" } },
        mark: { type: "geoshape", fill: "#e8ecf1", stroke: "#aab4c0", strokeWidth: 0.5 } },
      { data: { values: places },
        mark: { type: "circle", opacity: 0.75, stroke: "#fff", cursor: "pointer" },
        encoding: {
          longitude: { field: "longitude", type: "quantitative" },
          latitude: { field: "latitude", type: "quantitative" },
          size: { field: "mentions", type: "quantitative", title: "articles", scale: { range: [40, 900] } },
          color: { field: "type", type: "nominal", title: null },
          href: { field: "page" },
          tooltip: [{ field: "label" }, { field: "type" }, { field: "mentions", title: "articles" }],
        } },
    ],
  };
  await drawChart(chart, spec);
  list.replaceChildren(...places.map((p) => {
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = p.page;
    a.textContent = p.label;
    li.append(a, ` — ${p.type}, ${p.mentions} article(s)`);
    if (p.events.length) {
      const ul = document.createElement("ul");
      for (const e of p.events) {
        const item = document.createElement("li");
        const link = document.createElement("a");
        link.href = pageOf(e.iri);
        link.textContent = e.label;
        item.append(link);
        ul.append(item);
      }
      li.append(ul);
    }
    return li;
  }));
  chart.dataset.ready = "1";
})();
