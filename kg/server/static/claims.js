// /claims: for one kind of quantity, each source's numbers by the date of the article telling
// them, one colour a claimant: the spread between sources is the spread of the colours.
"use strict";

(async function () {
  const chart = document.getElementById("chart");
  const kind = document.getElementById("kind");
  const status = document.getElementById("status");
  try {
    const kinds = await viewRows("claim-kinds");
    fillSelect(kind, kinds.map((k) => k.kind), "(pick a kind)");
    kind.options[0].disabled = true;
    const wanted = new URLSearchParams(location.search).get("kind");
    kind.value = kinds.some((k) => k.kind === wanted) ? wanted : (kinds.some((k) => k.kind === "troops") ? "troops" : (kinds[0] || {}).kind || "");
  } catch (e) {
    showError(chart, e);
    return;
  }

  async function draw() {
    if (!kind.value) return;
    chart.dataset.ready = "";
    let rows;
    try {
      rows = await viewRows("claims", { '"troops"': sparqlString(kind.value) });
    } catch (e) {
      showError(chart, e);
      return;
    }
    const points = rows.map((r) => ({ claimant: r.claimant, quantity: Number(r.quantity), published: r.published,
                                     sentence: r.sentence, title: r.title, page: pageOf(r.claim) }));
    const claimants = new Set(points.map((p) => p.claimant)).size;
    const quantities = points.map((p) => p.quantity);
    status.textContent = `${points.length} claim(s) by ${claimants} claimant(s)` +
      (points.length ? `, from ${Math.min(...quantities).toLocaleString()} to ${Math.max(...quantities).toLocaleString()}` : "");
    chart.dataset.points = String(points.length);
    const spec = {
      $schema: "https://vega.github.io/schema/vega-lite/v5.json",
      width: "container", height: 360,
      data: { values: points },
      mark: { type: "point", filled: true, size: 110, opacity: 0.8, cursor: "pointer" },
      encoding: {
        x: { field: "published", type: "temporal", timeUnit: "yearmonthdate", title: "article published" },
        y: { field: "quantity", type: "quantitative", title: kind.value, scale: { zero: false } },
        color: { field: "claimant", type: "nominal" },
        shape: { field: "claimant", type: "nominal" },
        href: { field: "page" },
        tooltip: [{ field: "claimant" }, { field: "quantity", format: "," }, { field: "published" },
                  { field: "sentence" }, { field: "title", title: "article" }],
      },
    };
    await drawChart(chart, spec);
    chart.dataset.ready = "1";
  }
  kind.addEventListener("change", () => { history.replaceState(null, "", "?kind=" + encodeURIComponent(kind.value)); draw(); });
  await draw();
})();
