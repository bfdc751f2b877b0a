// kg's query page: a SPARQL editor with highlighting, the example queries, and a result
// table whose IRIs link to their pages. Served by kg itself: no network needed.
(function () {
  "use strict";
  const textarea = document.getElementById("query");
  const highlight = document.getElementById("highlight");
  const results = document.getElementById("results");
  const status = document.getElementById("status");
  const examples = JSON.parse(document.getElementById("kg-examples").textContent);
  const prefixes = JSON.parse(document.getElementById("kg-prefixes").textContent);
  const base = window.KG_BASE;

  const KEYWORDS = "SELECT|ASK|CONSTRUCT|DESCRIBE|WHERE|PREFIX|BASE|DISTINCT|REDUCED|FROM|NAMED|GRAPH|OPTIONAL|" +
    "UNION|MINUS|FILTER|BIND|VALUES|AS|GROUP|BY|ORDER|ASC|DESC|HAVING|LIMIT|OFFSET|NOT|EXISTS|IN|SERVICE|" +
    "COUNT|SUM|MIN|MAX|AVG|SAMPLE|GROUP_CONCAT|SEPARATOR|STR|LANG|DATATYPE|IRI|URI|BOUND|IF|COALESCE|REGEX|" +
    "CONCAT|STRSTARTS|STRENDS|CONTAINS|STRAFTER|STRBEFORE|LCASE|UCASE|YEAR|MONTH|DAY|NOW|a";
  const TOKEN = new RegExp([
    "(#[^\\n]*)",                                  // comment
    "(\"(?:[^\"\\\\\\n]|\\\\.)*\"|'(?:[^'\\\\\\n]|\\\\.)*')",  // string
    "(<[^<>\\s]*>)",                               // IRI
    "([?$][A-Za-z_][\\w]*)",                       // variable
    "\\b(" + KEYWORDS + ")\\b",                    // keyword
    "([A-Za-z][\\w-]*:[\\w-]*)",                   // prefixed name
    "\\b(\\d+(?:\\.\\d+)?)\\b",                    // number
  ].join("|"), "gi");
  const CLASSES = [null, "tok-comment", "tok-str", "tok-iri", "tok-var", "tok-kw", "tok-pname", "tok-num"];

  function escapeHtml(s) {
    return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function paint() {
    const text = textarea.value;
    let out = "", last = 0, m;
    TOKEN.lastIndex = 0;
    while ((m = TOKEN.exec(text)) !== null) {
      if (m[0] === "") { TOKEN.lastIndex++; continue; }
      const group = m.findIndex((g, i) => i > 0 && g !== undefined);
      out += escapeHtml(text.slice(last, m.index));
      out += '<span class="' + CLASSES[group] + '">' + escapeHtml(m[0]) + "</span>";
      last = m.index + m[0].length;
    }
    highlight.innerHTML = out + escapeHtml(text.slice(last)) + "\n";
    highlight.scrollTop = textarea.scrollTop;
  }

  function shorten(iri) {
    for (const [p, ns] of Object.entries(prefixes)) {
      if (iri.startsWith(ns) && iri.length > ns.length) return p + ":" + iri.slice(ns.length);
    }
    return iri;
  }

  function link(iri) {
    return iri.startsWith(base) ? "/id/" + iri.slice(base.length) : iri;
  }

  function cell(term) {
    const td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri") {
      const a = document.createElement("a");
      a.href = link(term.value);
      a.textContent = shorten(term.value);
      td.appendChild(a);
    } else {
      td.textContent = term.value;
    }
    return td;
  }

  function showTable(data) {
    results.innerHTML = "";
    if ("boolean" in data) {
      results.textContent = data.boolean ? "true" : "false";
      return;
    }
    const table = document.createElement("table");
    table.id = "result-table";
    const head = table.createTHead().insertRow();
    for (const v of data.head.vars) {
      const th = document.createElement("th");
      th.textContent = v;
      head.appendChild(th);
    }
    const body = table.createTBody();
    for (const row of data.results.bindings) {
      const tr = body.insertRow();
      for (const v of data.head.vars) tr.appendChild(cell(row[v]));
    }
    results.appendChild(table);
    status.textContent = data.results.bindings.length + " row(s)";
  }

  async function run() {
    status.textContent = "Running…";
    results.innerHTML = "";
    const form = new URLSearchParams({ query: textarea.value });
    try {
      const response = await fetch("/sparql", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded",
                   "Accept": "application/sparql-results+json, text/turtle;q=0.9" },
        body: form,
      });
      const type = response.headers.get("Content-Type") || "";
      if (!response.ok) {
        const err = await response.json().catch(() => ({ error: { message: response.statusText } }));
        status.textContent = "";
        results.innerHTML = '<p class="error"></p>';
        results.firstChild.textContent = "Error " + response.status + ": " + err.error.message;
        return;
      }
      if (type.includes("sparql-results+json")) {
        showTable(await response.json());
      } else {
        const pre = document.createElement("pre");
        pre.textContent = await response.text();
        results.appendChild(pre);
        status.textContent = "";
      }
    } catch (e) {
      status.textContent = "";
      results.textContent = "The server could not be reached: " + e;
    }
  }

  const list = document.getElementById("examples");
  for (const ex of examples) {
    const li = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.name = ex.name;
    button.innerHTML = "<strong></strong><small></small>";
    button.firstChild.textContent = ex.name;
    button.lastChild.textContent = ex.description;
    button.addEventListener("click", () => { textarea.value = ex.text; paint(); run(); });
    li.appendChild(button);
    list.appendChild(li);
  }

  textarea.addEventListener("input", paint);
  textarea.addEventListener("scroll", () => { highlight.scrollTop = textarea.scrollTop; });
  textarea.addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); run(); } });
  document.getElementById("query-form").addEventListener("submit", (e) => { e.preventDefault(); run(); });
  const params = new URLSearchParams(location.search);
  if (params.get("query")) textarea.value = params.get("query");
  paint();
  if (params.get("run")) run();
})();
