"""Loading the lexicons: known entities (``entities*.toml``), rule word lists
(``patterns.toml``), event triggers (``triggers.toml``) and the fitted weights of the
evidence model (``evidence.toml``, written by ``kg.training``).

A malformed file raises one ``LexiconError`` that lists every bad entry, so a user fixes
them all in one pass.
"""
from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import LexiconError

ENTITY_TYPES = ("Person", "Organization", "Country", "MilitaryUnit", "Place", "MilitaryBase", "Ship")
EVENT_TYPES = ("Deployment", "Transport", "Meeting", "Training", "Agreement", "ArmsTransfer",
               "Attack", "Statement", "Denial")


@dataclass(frozen=True)
class Entry:
    """One known entity."""

    label: str
    type: str
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    demonyms: tuple[str, ...] = ()
    metonym_for: str | None = None
    country: str | None = None
    generic: tuple[str, ...] = ()
    source: str = ""             # where, for error messages (full path)
    file: str = ""               # the lexicon file's name, recorded in the graph


@dataclass(frozen=True)
class Lexicons:
    entries: tuple[Entry, ...]
    patterns: dict = field(default_factory=dict)
    triggers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    arms_objects: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    evidence: dict = field(default_factory=dict)      # evidence.toml: classes, bias, weights, threshold

    def words(self, name: str) -> tuple[str, ...]:
        """A word list of patterns.toml (empty if the user removed it)."""
        return tuple(self.patterns.get(name, ()))


def load(folder: Path, extra: Iterable[Path] = ()) -> Lexicons:
    """Read every lexicon file of ``folder`` and any ``extra`` entity files.

    Raises:
        LexiconError: listing every problem found in every file.
    """
    problems: list[str] = []
    entity_files = sorted(folder.glob("entities*.toml")) + [Path(p) for p in extra]
    entries: list[Entry] = []
    for path in entity_files:
        doc = _read_toml(path, problems)
        for n, raw in enumerate(doc.get("entity", []), start=1):
            entry = _entry(raw, f"{path}: entity #{n}", problems)
            if entry:
                entries.append(entry)
    _check_references(entries, problems)

    patterns = _read_toml(folder / "patterns.toml", problems) if (folder / "patterns.toml").exists() else {}
    triggers_doc = _read_toml(folder / "triggers.toml", problems) if (folder / "triggers.toml").exists() else {}
    triggers: dict[str, tuple[str, ...]] = {}
    for cls, words in triggers_doc.get("classes", {}).items():
        if cls not in EVENT_TYPES:
            problems.append(f"{folder / 'triggers.toml'}: unknown event class {cls!r}; "
                            f"expected one of {', '.join(EVENT_TYPES)}")
        elif not _is_str_list(words):
            problems.append(f"{folder / 'triggers.toml'}: {cls} must be a list of strings")
        else:
            triggers[cls] = tuple(words)
    evidence = _read_toml(folder / "evidence.toml", problems) if (folder / "evidence.toml").exists() else {}
    if evidence:
        _check_evidence(evidence, folder / "evidence.toml", problems)
    if problems:
        raise LexiconError(f"{len(problems)} problem(s) in the lexicons:\n  " + "\n  ".join(problems),
                           hint="fix these entries; see the header comment of each file for the format")
    return Lexicons(entries=tuple(entries), patterns=patterns, triggers=triggers,
                    arms_objects=tuple(triggers_doc.get("arms", {}).get("objects", ())),
                    files=tuple(str(p) for p in entity_files), evidence=evidence)


def _check_evidence(doc: dict, path: Path, problems: list[str]) -> None:
    classes = doc.get("classes")
    if not _is_str_list(classes) or "none" not in classes or not set(classes) - {"none"} <= set(ENTITY_TYPES):
        problems.append(f"{path}: 'classes' must list 'none' and entity types of {', '.join(ENTITY_TYPES)}")
        return
    tables = [("bias", doc.get("bias", {}))] + [(f"weights.{f}", w) for f, w in doc.get("weights", {}).items()]
    for where, table in tables:
        if not isinstance(table, dict) or not all(k in classes and isinstance(v, int | float) for k, v in table.items()):
            problems.append(f"{path}: [{where}] must map classes of 'classes' to numbers")
    if not isinstance(doc.get("threshold", 0.5), int | float):
        problems.append(f"{path}: 'threshold' must be a number")


def _read_toml(path: Path, problems: list[str]) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        problems.append(f"{path}: cannot read ({exc.strerror})")
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        problems.append(f"{path}: not valid TOML ({exc})")
    return {}


def _is_str_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def _entry(raw: dict, where: str, problems: list[str]) -> Entry | None:
    before = len(problems)
    label = raw.get("label")
    if not isinstance(label, str) or not label.strip():
        problems.append(f"{where}: 'label' is required")
    else:
        where = f"{where} ({label})"
    if raw.get("type") not in ENTITY_TYPES:
        problems.append(f"{where}: type {raw.get('type')!r} is not one of {', '.join(ENTITY_TYPES)}")
    for key in ("aliases", "demonyms", "generic"):
        if key in raw and not _is_str_list(raw[key]):
            problems.append(f"{where}: {key!r} must be a list of non-empty strings")
    for key in ("wikidata", "metonym_for", "country"):
        if key in raw and not isinstance(raw[key], str):
            problems.append(f"{where}: {key!r} must be a string")
    if isinstance(raw.get("wikidata"), str) and not raw["wikidata"][1:].isdigit():
        problems.append(f"{where}: wikidata {raw['wikidata']!r} is not an ID like 'Q423'")
    if raw.get("generic") and not raw.get("country"):
        problems.append(f"{where}: 'generic' needs 'country' (the phrases are '<demonym> <generic>')")
    unknown = set(raw) - {"label", "type", "aliases", "wikidata", "demonyms", "metonym_for", "country", "generic"}
    if unknown:
        problems.append(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    if len(problems) > before:
        return None
    return Entry(label=label.strip(), type=raw["type"], aliases=tuple(raw.get("aliases", ())),
                 wikidata=raw.get("wikidata"), demonyms=tuple(raw.get("demonyms", ())),
                 metonym_for=raw.get("metonym_for"), country=raw.get("country"),
                 generic=tuple(raw.get("generic", ())), source=where, file=where.split(":")[0].rsplit("/", 1)[-1])


def _check_references(entries: list[Entry], problems: list[str]) -> None:
    labels: dict[str, Entry] = {}
    for e in entries:
        if e.label in labels:
            problems.append(f"{e.source}: label {e.label!r} is already used by {labels[e.label].source}")
        labels[e.label] = e
    for e in entries:
        for key in ("metonym_for", "country"):
            target = getattr(e, key)
            if target and (target not in labels or labels[target].type != "Country"):
                problems.append(f"{e.source}: {key} {target!r} is not the label of a Country entry")
