"""``kg explain``: why the graph holds a node. For every article that names it: the words used,
the rule or lexicon entry (or, for an event, the trigger word) that produced it, the
confidence, and the sentences; for a claim, its claimant, rule and sentence."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from kg import store as kgstore
from kg.errors import QueryError
from kg.vocab import PREFIXES


@dataclass
class ArticleMention:
    article: str
    title: str
    forms: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    entries: list[str] = field(default_factory=list)
    triggers: list[str] = field(default_factory=list)
    type_evidence: list[str] = field(default_factory=list)
    confidence: str = ""
    sentences: list[str] = field(default_factory=list)


@dataclass
class Explanation:
    iri: str
    label: str
    types: list[str]
    facts: list[tuple[str, str]]            # (property, value) of the node itself, shortened
    mentions: list[ArticleMention]


def find_node(st, name: str, base: str) -> str:
    """The IRI a user means: a full IRI, a prefixed name (kg:kim-jong-un), a bare path under the
    data base (kim-jong-un, event/...), or a label or alternative label ("Kim Jong Un").

    Raises:
        QueryError: if nothing matches, or a label is ambiguous.
    """
    candidates = []
    if name.startswith(("http://", "https://")):
        candidates.append(name.strip("<>"))
    elif ":" in name and name.split(":", 1)[0] in PREFIXES:
        prefix, local = name.split(":", 1)
        candidates.append(PREFIXES[prefix] + local)
    elif re.fullmatch(r"[\w./-]+", name):
        candidates.append(base + name)
    for iri in candidates:
        if kgstore.ask(st, f"ASK {{ <{iri}> ?p ?o }}"):
            return iri
    hits = _rows(st, f"""SELECT DISTINCT ?x WHERE {{ ?x rdfs:label|skos:altLabel ?l
                          FILTER(LCASE(STR(?l)) = LCASE({json.dumps(name)})) }} ORDER BY ?x""")
    found = [iri for ((_, iri),) in hits.rows]
    if len(found) == 1:
        return found[0]
    if found:
        raise QueryError(f"{name!r} names {len(found)} nodes: {', '.join(found)}", hint="give the IRI")
    raise QueryError(f"nothing in the graph is called {name!r}", hint="give an IRI, kg:NAME, or a label")


def explain(st, name: str, base: str) -> Explanation:
    iri = find_node(st, name, base)
    facts = [(p, v) for (_, p), (_, v) in _rows(st, f"""SELECT ?p ?v WHERE {{ GRAPH ?g {{ <{iri}> ?p ?v }}
             FILTER(?p NOT IN (kgo:evidence, kgo:mentionedIn)) }} ORDER BY ?p ?v""").rows]
    label = next((v for p, v in facts if p.endswith("rdf-schema#label")), iri)
    types = [v for p, v in facts if p.endswith("22-rdf-syntax-ns#type")]
    mentions: dict[str, ArticleMention] = {}
    for row in _rows(st, f"""
        SELECT ?article ?title ?m ?form ?rule ?entry ?trigger ?cue ?conf ?text WHERE {{
          GRAPH ?article {{ ?m kgo:mentionOf <{iri}> ; kgo:rule ?rule ; kgo:confidence ?conf ; kgo:evidence ?ev .
                            OPTIONAL {{ ?m kgo:surfaceForm ?form }} OPTIONAL {{ ?m kgo:lexiconEntry ?entry }}
                            OPTIONAL {{ ?m kgo:trigger ?trigger }} OPTIONAL {{ ?m kgo:typeEvidence ?cue }}
                            ?ev kgo:sentenceText ?text ; kgo:startOffset ?start }}
          OPTIONAL {{ ?article rdfs:label ?title }}
        }} ORDER BY ?article ?start""").rows:
        article, title, _, form, rule, entry, trigger, cue, conf, text = (v for _, v in row)
        m = mentions.setdefault(article, ArticleMention(article, title, confidence=conf))
        for values, value in ((m.forms, form), (m.rules, rule), (m.entries, entry), (m.triggers, trigger),
                              (m.type_evidence, cue), (m.sentences, text)):
            if value and value not in values:
                values.append(value)
    # a claim has no mention node: its own rule, confidence and evidence explain it
    if not mentions:
        for row in _rows(st, f"""
            SELECT ?article ?title ?rule ?conf ?text WHERE {{
              <{iri}> kgo:evidence ?ev . ?ev kgo:sentenceText ?text ; kgo:inArticle ?article ; kgo:startOffset ?s .
              OPTIONAL {{ <{iri}> kgo:rule ?rule }} OPTIONAL {{ <{iri}> kgo:confidence ?conf }}
              OPTIONAL {{ ?article rdfs:label ?title }} }} ORDER BY ?article ?s""").rows:
            article, title, rule, conf, text = (v for _, v in row)
            m = mentions.setdefault(article, ArticleMention(article, title, confidence=conf))
            if rule and rule not in m.rules:
                m.rules.append(rule)
            if text not in m.sentences:
                m.sentences.append(text)
    return Explanation(iri, label, types, [(_short(p), _short(v)) for p, v in facts], list(mentions.values()))


def render(e: Explanation) -> str:
    lines = [f"{e.label}  <{e.iri}>"]
    lines += [f"  {p}: {v}" for p, v in e.facts if p not in ("rdfs:label",)]
    lines.append(f"Read from {len(e.mentions)} article(s):")
    for m in e.mentions:
        lines.append(f"- {m.title or m.article}  <{m.article}>")
        how = ", ".join(m.rules)
        if m.entries:
            how += f" (lexicon entry: {'; '.join(m.entries)})"
        if m.triggers:
            how += f" (trigger: {', '.join(m.triggers)})"
        if m.forms:
            lines.append(f"    as {', '.join(repr(f) for f in m.forms)}")
        lines.append(f"    by rule {how}; confidence {m.confidence}")
        if m.type_evidence:
            lines.append("    typed by the evidence (cue -> type (weight), summed over the article):")
            lines += [f"      {cue}" for cue in sorted(m.type_evidence)]
        lines += [f"    “{s}”" for s in m.sentences]
    return "\n".join(lines)


def _rows(st, sparql: str) -> kgstore.Rows:
    return kgstore.select(st, sparql)


def _short(value: str) -> str:
    for prefix, ns in PREFIXES.items():
        if value.startswith(ns) and len(value) > len(ns):
            return f"{prefix}:{value[len(ns):]}"
    return value
