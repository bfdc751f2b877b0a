// An entity's network (/graph?focus=IRI and each entity page): the focus, its events,
// co-mentioned entities and claims; a click on a node brings that node's own links in.
"use strict";

(async function () {
  const box = document.getElementById("network");
  const status = document.getElementById("network-status");
  const focus = box.dataset.focus;
  const FOCUS_IN_FILE = "https://w3id.org/kg/id/kim-jong-un";
  const colours = { Person: "#1f5fbf", Organization: "#0b6e4f", Country: "#8b1d90", MilitaryUnit: "#a0522d",
                    Place: "#b8860b", MilitaryBase: "#b8860b", Ship: "#2a7f8f", Claim: "#7a8591" };
  const cy = cytoscape({
    container: box,
    style: [
      { selector: "node", style: { label: "data(label)", "font-size": 10, "background-color": "data(colour)",
                                   width: 18, height: 18, "text-wrap": "ellipsis", "text-max-width": 140 } },
      { selector: "node.focus", style: { width: 30, height: 30, "font-weight": "bold", "font-size": 12 } },
      { selector: "edge", style: { label: "data(label)", "font-size": 8, width: 1.2, "line-color": "#c3cbd5",
                                   "curve-style": "bezier", "text-rotation": "autorotate", color: "#5b6776" } },
    ],
  });
  const expanded = new Set();

  async function expand(iri, label) {
    if (expanded.has(iri)) return;
    expanded.add(iri);
    status.textContent = `reading ${label}…`;
    const rows = await viewRows("network", { [FOCUS_IN_FILE]: iri.replace(/[<>"{}|^`\\\s]/g, "") });
    if (!cy.getElementById(iri).length) {
      cy.add({ group: "nodes", data: { id: iri, label, colour: "#1d232b" }, classes: "focus" });
    }
    for (const r of rows) {
      if (!cy.getElementById(r.other).length) {
        cy.add({ group: "nodes", data: { id: r.other, label: r.label, type: r.type,
                                         colour: colours[r.type] || "#c0392b" } });
      }
      const id = `${iri} ${r.relation} ${r.other}`;
      if (!cy.getElementById(id).length) {
        cy.add({ group: "edges", data: { id, source: iri, target: r.other, relation: r.relation,
                                         articles: Number(r.articles),
                                         label: `${r.relation} · ${r.articles} article${r.articles === "1" ? "" : "s"}` } });
      }
    }
    cy.layout({ name: "cose", animate: false, nodeRepulsion: () => 8000, idealEdgeLength: () => 90 }).run();
    status.textContent = `${cy.nodes().length} node(s), ${cy.edges().length} link(s); click a node to bring in its links, double-click to open its page`;
    box.dataset.nodes = String(cy.nodes().length);
  }

  cy.on("tap", "node", (e) => expand(e.target.id(), e.target.data("label")).catch((err) => showError(status, err)));
  cy.on("dbltap", "node", (e) => { location.href = pageOf(e.target.id()); });
  window.kgNetwork = cy;            // for whoever wants to look (and the browser test)
  try {
    await expand(focus, box.dataset.label || focus);
  } catch (e) {
    showError(status, e);
  }
  box.dataset.ready = "1";
})();
