"""Scoring a built graph against hand annotations (the gold TOML format of
docs/evaluation.md): precision, recall and F1 for entities, claims and events.

Matching, one graph item to one gold item: entities by type and any name (labels and
alternative labels, case- and punctuation-insensitive; an unnamed ship when one of its
names contains the gold class); claims by claimant and number; events by type, date and at
least one actor or place in common.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from kg import store as kgstore
from kg.errors import InputError
from kg.text import name_key

ENTITY_CLASSES = ("Person", "Organization", "Country", "MilitaryUnit", "Place", "MilitaryBase", "Ship")
EVENT_CLASSES = ("Deployment", "Transport", "Meeting", "Training", "Agreement", "ArmsTransfer", "Attack",
                 "Statement", "Denial", "Event")


norm = name_key      # the gold README's comparison: case-, accent- and punctuation-insensitive


@dataclass
class Score:
    matched: int
    found: int
    gold: int
    missed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __str__(self) -> str:
        return (f"P={self.precision:.3f} R={self.recall:.3f} F1={self.f1:.3f} "
                f"({self.matched} matched, {self.found} in graph, {self.gold} in gold)")


def read_gold(folder: Path) -> tuple[list[dict], list[dict], list[dict]]:
    entities: dict[str, dict] = {}
    claims: dict[tuple, dict] = {}
    events: dict[tuple, dict] = {}
    files = sorted(Path(folder).glob("*.toml"))
    if not files:
        raise InputError("no gold files (*.toml) here", path=folder,
                         hint="give the folder of annotations, one TOML file per article (docs/evaluation.md)")
    for f in files:
        try:
            doc = tomllib.loads(f.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise InputError(f"not a gold file: {exc}", path=f) from None
        for e in doc.get("entity", []):
            g = entities.setdefault(norm(e["label"]), {"label": e["label"], "types": set(), "names": set()})
            g["types"] |= set(e["types"])
            g["names"] |= {norm(e["label"])} | {norm(x) for x in e.get("forms", [])}
        for c in doc.get("claim", []):
            claims.setdefault((norm(c["claimant"]), int(c["number"]), norm(c.get("of", ""))), dict(c))
        for ev in doc.get("event", []):
            parts = ev.get("participants", [])
            key = (ev["type"], ev["date"], norm(parts[0]) if parts else "")
            events.setdefault(key, {**ev, "participants": []})["participants"] += parts

    def known_as(label: str) -> set[str]:
        ent = entities.get(norm(label))
        return ent["names"] if ent else ({norm(label)} - {""})

    for c in claims.values():
        c["names"] = known_as(c["claimant"])
    for ev in events.values():
        ev["names"] = set().union(*(known_as(p) for p in ev["participants"]))
    return list(entities.values()), list(claims.values()), list(events.values())


def _match(gold: list, found: list, fits) -> list[tuple[int, int]]:
    edges = [[j for j, f in enumerate(found) if fits(g, f)] for g in gold]
    owner: dict[int, int] = {}

    def take(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j not in seen:
                seen.add(j)
                if j not in owner or take(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    for i in range(len(gold)):
        take(i, set())
    return sorted((i, j) for j, i in owner.items())


def _rows(st, sparql: str) -> tuple:
    return kgstore.select(st, sparql).rows


def score(store_path: str | Path, gold_dir: Path) -> dict[str, Score]:
    """Scores of the store at ``store_path`` against the gold files of ``gold_dir``."""
    st = kgstore.open_read(store_path)
    g_entities, g_claims, g_events = read_gold(gold_dir)
    names: dict[str, set[str]] = {}
    for (_, x), (_, n) in _rows(st, "SELECT ?x ?n WHERE { ?x rdfs:label|skos:altLabel ?n }"):
        names.setdefault(x, set()).add(norm(n))

    def classes(names_: tuple[str, ...]) -> dict[str, set[str]]:
        values = " ".join(f"kgo:{n}" for n in names_)
        out: dict[str, set[str]] = {}
        for (_, x), (_, c) in _rows(st, f"SELECT DISTINCT ?x ?c WHERE {{ VALUES ?c {{ {values} }} "
                                        "?x a/rdfs:subClassOf* ?c }"):
            out.setdefault(x, set()).add(c.rsplit("#", 1)[-1])
        return out

    f_entities = [{"iri": x, "types": t, "names": names.get(x, set())} for x, t in sorted(classes(ENTITY_CLASSES).items())]

    def entity_fits(g, f):
        if not g["types"] & f["types"]:
            return False
        if g["types"] <= {"Ship"}:
            return any(n in m for n in g["names"] for m in f["names"])
        return bool(g["names"] & f["names"])

    found_claims: dict[tuple, set[str]] = {}
    for (_, n), (_, a), (_, k) in _rows(st, """SELECT ?n ?a ?k WHERE { ?c a kgo:Claim ; kgo:quantity ?n .
                                               OPTIONAL { ?c kgo:claimant ?a } OPTIONAL { ?c kgo:quantityKind ?k } }"""):
        found_claims[(a, int(n), norm(k))] = names.get(a, set()) if a else set()
    f_claims = [{"claimant": a, "number": n, "of": k, "names": s} for (a, n, k), s in sorted(found_claims.items())]

    def claim_fits(g, f):
        return g["number"] == f["number"] and (not g["names"] or bool(g["names"] & f["names"]))

    dates: dict[str, dict[str, str]] = {}
    for (_, e), (_, p), (_, d) in _rows(st, "SELECT ?e ?p ?d WHERE { VALUES ?p { kgo:date kgo:startDate kgo:endDate } "
                                            "?e ?p ?d }"):
        dates.setdefault(e, {})[p.rsplit("#", 1)[-1]] = d
    involved: dict[str, set[str]] = {}
    for (_, e), (_, x) in _rows(st, "SELECT ?e ?x WHERE { ?e kgo:agent|kgo:participant|kgo:place ?x }"):
        involved.setdefault(e, set()).update(names.get(x, set()))
    f_events = []
    for x, t in sorted(classes(EVENT_CLASSES).items()):
        d = dates.get(x, {})
        when = d.get("date") or (f"{d['startDate']}/{d['endDate']}" if "startDate" in d and "endDate" in d
                                 else d.get("startDate", ""))
        f_events.append({"iri": x, "types": t, "date": when, "names": involved.get(x, set())})

    def event_fits(g, f):
        return g["type"] in f["types"] and g["date"] == f["date"] and (not g["names"] or bool(g["names"] & f["names"]))

    report = {}
    for kind, gold, found, fits, show_g, show_f in [
            ("entities", g_entities, f_entities, entity_fits, lambda g: f"{g['label']} {sorted(g['types'])}",
             lambda f: f"{sorted(f['names'])} {sorted(f['types'])}"),
            ("claims", g_claims, f_claims, claim_fits, lambda g: f"{g['claimant'] or '(unattributed)'}: {g['number']}",
             lambda f: f"{sorted(f['names']) or '(none)'}: {f['number']} {f['of']}"),
            ("events", g_events, f_events, event_fits, lambda g: f"{g['type']} {g['date']} {g['participants']}",
             lambda f: f"{sorted(f['types'])} {f['date'] or '(undated)'} {sorted(f['names'])}")]:
        pairs = _match(gold, found, fits)
        got_g, got_f = {i for i, _ in pairs}, {j for _, j in pairs}
        report[kind] = Score(len(pairs), len(found), len(gold),
                             missed=[show_g(g) for i, g in enumerate(gold) if i not in got_g],
                             extra=[show_f(f) for j, f in enumerate(found) if j not in got_f])
    return report
