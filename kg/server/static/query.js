// kg's query page: Yasgui (vendored, so no network is needed) on kg's own endpoint, the example
// queries one click away, and result IRIs under the data base linked to their pages here.
(function () {
  "use strict";
  const examples = JSON.parse(document.getElementById("kg-examples").textContent);
  const prefixes = JSON.parse(document.getElementById("kg-prefixes").textContent);
  const base = JSON.parse(document.getElementById("kg-config").textContent).base;

  // Class and property completion ask the LOV web service: not offline, so not offered here.
  Yasgui.Yasqe.defaults.autocompleters = Yasgui.Yasqe.defaults.autocompleters
    .filter((name) => name !== "class" && name !== "property");
  // kg's errors come as JSON ({"error": {"status", "message"}}); Yasqe turns a JSON body into
  // "Error: [object Object]", so the endpoint's errors reach it as their message, in plain text.
  const fetchFromPage = window.fetch.bind(window);
  window.fetch = async (request, init) => {
    const response = await fetchFromPage(request, init);
    const url = typeof request === "string" ? request : request.url;
    if (response.ok || !url.startsWith(location.origin + "/sparql")) return response;
    const body = await response.clone().json().catch(() => null);
    if (!body || !body.error || !body.error.message) return response;
    return new Response(`Error ${response.status}: ${body.error.message}`,
                        { status: response.status, statusText: response.statusText });
  };
  const params = new URLSearchParams(location.search);
  localStorage.removeItem("yagui__config");        // one tab a visit: the examples, not old tabs
  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: location.origin + "/sparql", method: "POST" },   // absolute: Yasr parses it as a URL
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: () => [{ endpoint: location.origin + "/sparql" }] },
    persistenceId: null,
    // a shared link's endpoint and tab settings are not taken from the URL: the page queries kg's
    // own endpoint only (Yasgui has open reports of script injection through them); ?query= is
    // read by this page itself
    populateFromUrl: false,
    yasqe: { prefixCcApi: "/prefixes.json", value: withPrefixes(params.get("query") ||
      "SELECT ?class (COUNT(?x) AS ?n) WHERE { ?x a ?class } GROUP BY ?class ORDER BY DESC(?n)") },
  });
  window.kgYasgui = yasgui;

  // The PREFIX lines a query's prefixed names need (the endpoint knows them; Yasqe's checker
  // and anyone copying the query elsewhere do not).
  function withPrefixes(text) {
    const declared = new Set([...text.matchAll(/PREFIX\s+([\w-]*):/gi)].map((m) => m[1]));
    const lines = Object.entries(prefixes)
      .filter(([p]) => !declared.has(p) && new RegExp("(^|[\\s(/^|,;])" + p + ":", "m").test(text.replace(/#.*$/gm, "")))
      .map(([p, ns]) => `PREFIX ${p}: <${ns}>`);
    return lines.length ? lines.join("\n") + "\n" + text : text;
  }

  function run(text) {
    const tab = yasgui.getTab();
    tab.setQuery(withPrefixes(text));
    tab.getYasqe().query();
  }

  // Result IRIs under the data base open kg's page for them, not the (maybe unregistered) IRI.
  new MutationObserver(() => {
    for (const a of document.querySelectorAll("#yasgui .yasr a[href^='" + CSS.escape(base).replace(/\\/g, "") + "']")) {
      a.href = "/id/" + a.getAttribute("href").slice(base.length);
      a.removeAttribute("target");
    }
  }).observe(document.getElementById("yasgui"), { childList: true, subtree: true });

  const list = document.getElementById("examples");
  for (const ex of examples) {
    const li = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.name = ex.name;
    button.innerHTML = "<strong></strong><small></small>";
    button.firstChild.textContent = ex.name;
    button.lastChild.textContent = ex.description;
    button.addEventListener("click", () => run(ex.text));
    li.appendChild(button);
    list.appendChild(li);
  }
  if (params.get("query") && params.get("run")) yasgui.getTab().getYasqe().query();
})();
