"""Plain data passed between the pipeline's stages. No RDF here: stages stay testable alone.

Offsets are character offsets into ``Article.text`` (the body, after any front matter).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum


@dataclass(frozen=True)
class Article:
    """One source document, as read by ingest."""

    id: str                      # stable, URL-safe; from the file name or the JSONL `id`
    text: str
    source: str                  # the file it came from (and line, for JSONL)
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    published: dt.date | None = None
    language: str | None = None


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str


class Precision(str, Enum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True)
class DateValue:
    """A calendar date at some precision, with its day bounds.

    Example:
        >>> DateValue.month(2024, 6).iso, DateValue.month(2024, 6).latest
        ('2024-06', datetime.date(2024, 6, 30))
    """

    iso: str
    precision: Precision
    earliest: dt.date
    latest: dt.date

    @staticmethod
    def day(d: dt.date) -> "DateValue":
        return DateValue(d.isoformat(), Precision.DAY, d, d)

    @staticmethod
    def month(year: int, month: int) -> "DateValue":
        first = dt.date(year, month, 1)
        nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
        return DateValue(f"{year:04d}-{month:02d}", Precision.MONTH, first, nxt - dt.timedelta(days=1))

    @staticmethod
    def year(year: int) -> "DateValue":
        return DateValue(f"{year:04d}", Precision.YEAR, dt.date(year, 1, 1), dt.date(year, 12, 31))


@dataclass(frozen=True)
class TimeExpression:
    """A date found in the text: a point, a span, or an open span ("since August")."""

    start: int
    end: int
    text: str
    date: DateValue | None = None        # a point in time
    begin: DateValue | None = None       # a span's first date
    until: DateValue | None = None       # a span's last date


@dataclass(frozen=True)
class Mention:
    """A surface form in the text that names (or stands for) an entity."""

    start: int
    end: int
    text: str
    key: str                     # the entity's resolution key (see resolve)
    label: str                   # the canonical name proposed for it
    type: str                    # kgo class local name: Person, Country, Ship...
    rule: str                    # what produced it: "lexicon", "title-person", ...
    confidence: float
    is_name: bool = True         # False for demonyms ("North Korean"): not an altLabel
    wikidata: str | None = None
    operator: str | None = None  # for ships: the key of the actor operating it
    source: str | None = None    # for lexicon mentions: the lexicon file and entry
    evidence: tuple[str, ...] = ()   # for typed candidates: each cue, its type and weight


@dataclass(frozen=True)
class DroppedRole:
    """A role link read from one sentence and not written, because the entity's type, resolved
    from every article that names it, is not one the role admits (kg.roles)."""

    role: str                    # the property's local name: "agent", "place", "claimant"...
    entity: str                  # the entity's key, aliases resolved
    type: str                    # its resolved class's local name


@dataclass(frozen=True)
class Event:
    type: str                    # kgo Event subclass local name
    sentence: int                # index of the sentence it was read from
    trigger: str
    time: TimeExpression
    agent: str | None            # entity key
    participants: tuple[str, ...]
    places: tuple[str, ...]
    confidence: float
    dropped: tuple[DroppedRole, ...] = ()


@dataclass(frozen=True)
class Claim:
    quantity: int
    kind: str                    # what was counted: "troops", "containers", "killed"
    sentence: int
    start: int                   # offsets of the number phrase
    end: int
    text: str
    claimant: str | None         # entity key, None when the article states it itself
    hedge: str | None            # "up to", "about", "as many as"...
    about: str | None            # entity key of what the number concerns
    rule: str
    confidence: float
    dropped: tuple[DroppedRole, ...] = ()


@dataclass(frozen=True)
class ArticleResult:
    """Everything extracted from one article."""

    article: Article
    sentences: tuple[Sentence, ...]
    mentions: tuple[tuple[int, Mention], ...]     # (sentence index, mention)
    events: tuple[Event, ...]
    claims: tuple[Claim, ...]


@dataclass
class BuildReport:
    """What a build or add did: per-file failures are collected here, not raised."""

    articles: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)    # one line each: "file: reason"
    quads: int = 0
    conforms: bool = True
    validation_text: str = ""
    store: str = ""
    # role links not written because the entity's type does not fit the role, by kind
    # ("kgo:place to a kgo:Organization": 3)
    dropped_roles: dict[str, int] = field(default_factory=dict)
    left_out: list[str] = field(default_factory=list)    # articles left out of the build, "file: why"

    @property
    def ok(self) -> bool:
        return not self.failures and not self.left_out and self.conforms and bool(self.articles)
