// kg's analyst views: each reads the store through a SPARQL file served at /views/NAME.rq
// (the same text an analyst can run on the query page), with a value or two set by the page.
"use strict";

const KG = JSON.parse(document.getElementById("kg-config").textContent);

async function viewRows(name, replacements = {}) {
  let text = await (await fetch(`/views/${name}.rq`)).text();
  for (const [from, to] of Object.entries(replacements)) text = text.split(from).join(to);
  const response = await fetch("/sparql", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json" },
    body: new URLSearchParams({ query: text }),
  });
  if (!response.ok) {
    const err = await response.json().catch(() => ({ error: { message: response.statusText } }));
    throw new Error(`the ${name} view's query failed (${response.status}): ${err.error.message}`);
  }
  const json = await response.json();
  return json.results.bindings.map((b) => {
    const row = {};
    for (const [k, v] of Object.entries(b)) row[k] = v.value;
    row._types = Object.fromEntries(Object.entries(b).map(([k, v]) => [k, v.datatype || v.type]));
    return row;
  });
}

// A Vega-Lite chart, drawn under the pages' Content-Security-Policy: expressions run by Vega's
// interpreter (no eval), and no <style> element injected (kg.css styles the tooltips).
function drawChart(element, spec) {
  return vegaEmbed(element, spec, { actions: false, renderer: "svg", ast: true, expr: vega.expressionInterpreter,
                                    defaultStyle: false, tooltip: { disableDefaultStyle: true } });
}

// Our own page for an IRI under the data base, the IRI itself elsewhere.
function pageOf(iri) {
  return iri.startsWith(KG.base) ? "/id/" + iri.slice(KG.base.length) : iri;
}

function sparqlString(s) {
  return JSON.stringify(String(s));
}

function showError(where, error) {
  const p = document.createElement("p");
  p.className = "error";
  p.textContent = String(error.message || error);
  where.replaceChildren(p);
}

function fillSelect(select, values, all) {
  select.replaceChildren(...[all, ...values].map((v, i) => {
    const o = document.createElement("option");
    o.value = i === 0 ? "" : v;
    o.textContent = v;
    return o;
  }));
}

const XSD = "http://www.w3.org/2001/XMLSchema#";

// A date literal as the span it stands for: a day, a month or a year (ISO dates, end exclusive).
function dateSpan(value, datatype) {
  if (!value) return null;
  if (datatype === XSD + "gYear") return [`${value}-01-01`, `${Number(value) + 1}-01-01`, "year"];
  if (datatype === XSD + "gYearMonth") {
    const [y, m] = value.split("-").map(Number);
    const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
    return [`${value}-01`, `${next}-01`, "month"];
  }
  return [value, value, "day"];
}
