// /timeline: every dated event on a time axis; a day is a point, a month or a year a bar over
// its span, an open-ended event ("since August") a bar to its latest known date.
"use strict";

(async function () {
  const chart = document.getElementById("chart");
  const status = document.getElementById("status");
  const filters = { entity: document.getElementById("entity"), type: document.getElementById("type"),
                    source: document.getElementById("source") };
  let events = [];
  try {
    const rows = await viewRows("timeline");
    events = rows.map((r) => {
      const start = dateSpan(r.start, r._types.start);
      const end = r.end ? dateSpan(r.end, r._types.end) : null;
      if (!start) return null;
      const point = start[2] === "day" && !end;
      return { event: r.event, page: pageOf(r.event), type: r.type, label: r.label || r.type,
               start: start[0], end: end ? end[1] : start[1], point, precision: start[2],
               entities: r.entities ? r.entities.split(" | ") : [],
               sources: r.sources ? r.sources.split(" | ") : [] };
    }).filter(Boolean);
  } catch (e) {
    showError(chart, e);
    return;
  }
  const distinct = (key) => [...new Set(events.flatMap((e) => [].concat(e[key])))].sort();
  fillSelect(filters.entity, distinct("entities"), "every entity");
  fillSelect(filters.type, distinct("type"), "every class");
  fillSelect(filters.source, distinct("sources"), "every source");

  async function draw() {
    const wanted = events.filter((e) =>
      (!filters.entity.value || e.entities.includes(filters.entity.value)) &&
      (!filters.type.value || e.type === filters.type.value) &&
      (!filters.source.value || e.sources.includes(filters.source.value)));
    status.textContent = `${wanted.length} event(s)`;
    chart.dataset.events = String(wanted.length);
    const encoding = {
      y: { field: "label", type: "nominal", sort: null, title: null, axis: { labelLimit: 320 } },
      color: { field: "type", type: "nominal", title: "class" },
      href: { field: "page" },
      tooltip: [{ field: "label" }, { field: "type", title: "class" }, { field: "start", title: "from" },
                { field: "end", title: "until" }, { field: "precision" }],
    };
    const spec = {
      $schema: "https://vega.github.io/schema/vega-lite/v5.json",
      width: "container", height: { step: 18 },
      data: { values: wanted },
      layer: [
        { transform: [{ filter: "!datum.point" }],
          mark: { type: "bar", cornerRadius: 2, height: 10, cursor: "pointer" },
          encoding: { ...encoding, x: { field: "start", type: "temporal", title: null },
                      x2: { field: "end" } } },
        { transform: [{ filter: "datum.point" }],
          mark: { type: "point", filled: true, size: 90, cursor: "pointer" },
          encoding: { ...encoding, x: { field: "start", type: "temporal" } } },
      ],
    };
    await drawChart(chart, spec);
  }
  Object.values(filters).forEach((f) => f.addEventListener("change", draw));
  await draw();
  chart.dataset.ready = "1";
})();
