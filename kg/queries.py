"""Queries: find them (SPARQL text, a ``.rq`` file, or a name in ``queries/``), run them,
and render their results (table, csv, tsv, json, xml; turtle for CONSTRUCT/DESCRIBE)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kg import store as kgstore
from kg.config import Settings
from kg.errors import QueryError
from kg.resources import view_queries_dir
from kg.vocab import PREFIXES

FORMATS = ("table", "csv", "tsv", "json", "xml", "turtle", "ntriples", "jsonld")
_QUERY_START = re.compile(r"^\s*(?:#[^\n]*\n\s*)*(?:PREFIX|BASE|SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.I)


@dataclass(frozen=True)
class NamedQuery:
    name: str
    path: Path
    text: str

    @property
    def description(self) -> str:
        """The query's leading comment lines: what it answers."""
        lines = []
        for line in self.text.splitlines():
            if not line.startswith("#"):
                break
            lines.append(line.lstrip("# ").rstrip())
        return " ".join(x for x in lines if x)


def examples(folder: Path) -> list[NamedQuery]:
    return [NamedQuery(p.stem, p, p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.rq"))]


def resolve_query(query: str, folder: Path) -> str:
    """SPARQL text for QUERY: a query itself, a ``.rq`` file, or the name of one in ``folder``.

    Raises:
        QueryError: if it is none of these.
    """
    if _QUERY_START.match(query):
        return query
    path = Path(query)
    if path.suffix == ".rq" or path.is_file():
        if not path.is_file():
            raise QueryError("no such query file", path=path)
        return path.read_text(encoding="utf-8")
    named = folder / f"{query}.rq"
    if named.is_file():
        return named.read_text(encoding="utf-8")
    names = ", ".join(q.name for q in examples(folder))
    raise QueryError(f"{query!r} is not a SPARQL query, a .rq file, or a query name",
                     hint=f"named queries: {names}")


def run(store, sparql: str, fmt: str = "table") -> str | bytes:
    """Run a query on the store and render its results in ``fmt``."""
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    result = kgstore.run_query(store, sparql, "rows" if fmt == "table" else fmt)
    if isinstance(result, bool):
        return "true" if result else "false"
    if isinstance(result, kgstore.Rows):
        return table(result)
    return result


CELL_WIDTH = 100


def table(result: "kgstore.Rows") -> str:
    """A plain-text table; IRIs shortened with the known prefixes, long texts cut at
    ``CELL_WIDTH`` characters (the csv, tsv and json formats keep them whole)."""
    names = list(result.variables)
    rows = [[_cell(kind, value) for kind, value in row] for row in result.rows]
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]

    def line(cells: list[str]) -> str:
        return " | ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()

    out = [line(names), "-+-".join("-" * w for w in widths)] + [line(r) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def _cell(kind: str, value: str) -> str:
    if kind == "iri":
        for prefix, ns in PREFIXES.items():
            if value.startswith(ns):
                return f"{prefix}:{value[len(ns):]}"
        return f"<{value}>"
    value = " ".join(value.split())
    return value if len(value) <= CELL_WIDTH else value[:CELL_WIDTH - 1] + "…"


def view_query(name: str, replacements: dict[str, str] | None = None) -> str:
    """The SPARQL of an analyst view (``kg/server/view-queries/NAME.rq``) with the values a page
    sets in it (the focus IRI, the kind of quantity) replaced, as the page does."""
    text = (view_queries_dir() / f"{name}.rq").read_text(encoding="utf-8")
    for old, new in (replacements or {}).items():
        text = text.replace(old, new)
    return text


def stats(settings: Settings | None = None) -> dict[str, int]:
    """Counts by class (kgo: classes, subclasses counted in their own line), and totals."""
    settings = settings or Settings()
    st = kgstore.open_read(settings.store)
    rows = kgstore.select(st, """
        SELECT ?class (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?class FILTER(STRSTARTS(STR(?class), STR(kgo:))) }
        GROUP BY ?class ORDER BY ?class""")
    out = {value.rsplit("#", 1)[-1]: int(n) for (_, value), (_, n) in rows.rows}
    out["triples"] = kgstore.count(st)
    out["graphs"] = len(list(st.named_graphs()))
    return out
