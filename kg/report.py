"""``kg report``: a brief of a store for people who will not open a browser: its figures, the
timeline, the most mentioned entities, and the conflicting claims with their sources and
sentences. It reads the same SPARQL files as the views and the example queries, so the brief
and the pages say the same thing."""
from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field

from kg import store as kgstore
from kg.config import Settings
from kg.queries import resolve_query, stats, view_query
from kg.terms import literal, n3

FORMATS = ("md", "html")
CLAIM_KINDS_SHOWN = 8          # the kinds with most conflicting numbers
CLAIMS_SHOWN_PER_KIND = 12     # each kind's numbers, the best-reported first


@dataclass
class ClaimLine:
    quantity: int
    claimant: str
    articles: int
    sentences: list[str] = field(default_factory=list)


@dataclass
class Brief:
    store: str
    made: str
    figures: dict[str, int]
    timeline: list[dict[str, str]]
    entities: list[dict[str, str]]
    conflicts: dict[str, list[ClaimLine]]


def _rows(store, sparql: str) -> list[dict[str, str]]:
    result = kgstore.select(store, sparql)
    return [{v: cell[1] for v, cell in zip(result.variables, row) if cell[0]} for row in result.rows]


def brief(settings: Settings) -> Brief:
    """What the report says, read from the store."""
    store = kgstore.open_read(settings.store)
    figures = stats(settings)
    timeline = _rows(store, view_query("timeline"))
    entities = _rows(store, resolve_query("entity-mentions", settings.queries))
    by_kind: dict[str, list[ClaimLine]] = {}
    for row in _rows(store, resolve_query("conflicting-claims", settings.queries)):
        by_kind.setdefault(row["kind"], []).append(ClaimLine(int(row["quantity"]), row["claimant"], int(row["articles"])))
    kinds = sorted(by_kind, key=lambda k: (-len({c.quantity for c in by_kind[k]}), k))[:CLAIM_KINDS_SHOWN]
    conflicts = {}
    for kind in kinds:
        lines = sorted(by_kind[kind], key=lambda c: (-c.articles, -c.quantity, c.claimant))[:CLAIMS_SHOWN_PER_KIND]
        wanted = {(c.quantity, c.claimant): c for c in lines}
        for row in _rows(store, view_query("claims", {'"troops"': n3(literal(kind))})):
            line = wanted.get((int(row["quantity"]), row["claimant"]))
            if line and len(line.sentences) < 2 and row["sentence"] not in line.sentences:
                line.sentences.append(row["sentence"])
        conflicts[kind] = sorted(lines, key=lambda c: (-c.quantity, c.claimant))
    return Brief(str(settings.store), dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                 figures, timeline, entities, conflicts)


def _when(row: dict[str, str]) -> str:
    start = row.get("start", "")
    return f"{start} – {row['end']}" if row.get("end") else start


def markdown(b: Brief) -> str:
    cell = _md_cell
    out = [f"# Brief of `{b.store}`", "", f"Made {b.made} by `kg report`.", "", "## Figures", "",
           "| what | count |", "|---|---:|"]
    out += [f"| {cell(k)} | {v:,} |" for k, v in b.figures.items()]
    out += ["", f"## Timeline ({len(b.timeline)} dated events)", "", "| when | event | class | who and where |",
            "|---|---|---|---|"]
    out += [f"| {cell(_when(r))} | {cell(r.get('label', ''))} | {cell(r['type'])} | {cell(r.get('entities', ''))} |"
            for r in b.timeline]
    out += ["", "## Most mentioned entities", "", "| entity | class | articles |", "|---|---|---:|"]
    out += [f"| {cell(r.get('label', r.get('entity', '')))} | {cell(r.get('type', ''))} | {r.get('articles', '')} |"
            for r in b.entities]
    out += ["", "## Conflicting claims", ""]
    if not b.conflicts:
        out.append("No kind of quantity is claimed with more than one number.")
    for kind, lines in b.conflicts.items():
        out += [f"### {kind}", "", "| number | claimed by | articles | sentence |", "|---:|---|---:|---|"]
        out += [f"| {c.quantity:,} | {cell(c.claimant)} | {c.articles} | {cell(' / '.join(c.sentences))} |"
                for c in lines]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _md_cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def html_page(b: Brief) -> str:
    e = html.escape

    def table(head: list[str], rows: list[list[str]]) -> str:
        return ("<table><thead><tr>" + "".join(f"<th>{e(h)}</th>" for h in head) + "</tr></thead><tbody>"
                + "".join("<tr>" + "".join(f"<td>{e(str(c))}</td>" for c in r) + "</tr>" for r in rows)
                + "</tbody></table>")

    parts = [f"<h1>Brief of <code>{e(b.store)}</code></h1><p>Made {e(b.made)} by <code>kg report</code>.</p>",
             "<h2>Figures</h2>", table(["what", "count"], [[k, f"{v:,}"] for k, v in b.figures.items()]),
             f"<h2>Timeline ({len(b.timeline)} dated events)</h2>",
             table(["when", "event", "class", "who and where"],
                   [[_when(r), r.get("label", ""), r["type"], r.get("entities", "")] for r in b.timeline]),
             "<h2>Most mentioned entities</h2>",
             table(["entity", "class", "articles"],
                   [[r.get("label", r.get("entity", "")), r.get("type", ""), r.get("articles", "")] for r in b.entities]),
             "<h2>Conflicting claims</h2>"]
    if not b.conflicts:
        parts.append("<p>No kind of quantity is claimed with more than one number.</p>")
    for kind, lines in b.conflicts.items():
        parts += [f"<h3>{e(kind)}</h3>", table(["number", "claimed by", "articles", "sentence"],
                                               [[f"{c.quantity:,}", c.claimant, c.articles, " / ".join(c.sentences)]
                                                for c in lines])]
    style = ("body{font:15px/1.45 system-ui,sans-serif;margin:2em;color:#1d232b}table{border-collapse:collapse;"
             "margin:.5em 0 1.5em}td,th{border:1px solid #d5dbe3;padding:.25em .5em;text-align:left;"
             "vertical-align:top}th{background:#eef3f9}")
    return (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Brief of {e(b.store)}</title>"
            f"<style>{style}</style></head><body>{''.join(parts)}</body></html>\n")


def render(b: Brief, fmt: str) -> str:
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return markdown(b) if fmt == "md" else html_page(b)

