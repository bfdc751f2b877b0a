"""Dates in text, resolved against the article's publication date.

Absolute ("8 October", "Oct. 19", "January 8, 2025"), relative ("on Friday", "last week",
"earlier this week", "last June"), spans ("from October 8 to 13") and open spans ("since
August"). Without a publication date, only dates that carry their year are resolved: a
date is never guessed.
"""
from __future__ import annotations

import datetime as dt
import re

from kg.model import DateValue, Precision, Sentence, TimeExpression

MONTHS = {"january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
          "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
          "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}

_M = r"(?P<m>January|February|March|April|May|June|July|August|September|October|November|December|" \
     r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)"
_D = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?!,\d{3})"          # "in July 1,000 Marines": a count, not July 1
_Y = r"(?P<y>(?:19|20)\d\d)"
# "May 5 and 12 people died": the second number counts, it is no day
_NOT_A_COUNT = r"(?!\s*(?:%|percent|km|kilomet|miles|troops|soldiers|people|civilians|others|more|of|were killed|died)\b)"
_WD = r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"

# Order matters: longer, more specific shapes first; a later match overlapping an earlier one is dropped.
_PATTERNS: list[tuple[str, re.Pattern]] = [(name, re.compile(rx)) for name, rx in [
    ("span_md", rf"\bfrom\s+{_M}\s+(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:to|until|till|-|–)\s+(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?(?:,?\s+{_Y})?\b"),
    ("span_between_md", rf"\b(?i:between)\s+{_M}\s+(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?\s+and\s+(?:{_M.replace('?P<m>', '?P<m2>')}\s+)?(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?(?:,?\s+{_Y})?\b"),
    ("span_between_dm", rf"\b(?i:between)\s+(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?\s+and\s+(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\s+{_M}(?:,?\s+{_Y})?\b"),
    ("span_months", rf"\b(?i:between|from)\s+{_M}\s+(?P<y1>(?:19|20)\d\d)\s+(?i:and|to|until)\s+(?P<m2>January|February|March|April|May|June|July|August|September|October|November|December)\s+{_Y}\b"),
    ("span_dm", rf"\bfrom\s+(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:to|until|till|-|–)\s+(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\s+{_M}(?:,?\s+{_Y})?\b"),
    # "on Sept. 26 and 27", "on 26 and 27 September": two days read as the span they bound
    ("span_and_md", rf"\b{_M}\s+(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?\s+and\s+{_M.replace('?P<m>', '?P<m2>')}\s+(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\b(?:,?\s+{_Y})?\b"),
    ("span_and_md", rf"\b{_M}\s+(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?\s+and\s+(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\b{_NOT_A_COUNT}(?:,?\s+{_Y})?\b"),
    ("span_and_dm", rf"\b(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?\s+and\s+(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\s+{_M}(?:,?\s+{_Y})?\b"),
    ("md", rf"(?:\b(?P<since>(?i:since|from))\s+)?(?:\b{_WD},?\s+)?\b{_M}\s+{_D}(?!\s*(?:%|percent|km|troops|soldiers))(?:,?\s+{_Y})?\b(?!-)"),
    ("dm", rf"(?:\b(?P<since>(?i:since|from))\s+)?(?:\b{_WD},?\s+)?\b{_D}\s+{_M}(?:,?\s+{_Y})?\b"),
    ("my", rf"(?:\b(?P<since>(?i:since|from))\s+)?\b{_M}\s+{_Y}\b"),
    ("ago_month", r"\b(?P<n>(?i:a|one|two|three|\d))\s+(?i:years?)\s+(?i:ago|earlier|before)\s*,?\s+(?i:in|on|during)\s+(?P<m>January|February|March|April|May|June|July|August|September|October|November|December)\b"),
    ("rel_month", r"\b(?P<since>(?i:since|from)\s+)?(?P<rel>(?i:last|this|next|early|late|mid|in|since|until|by|during|the|of))[\s-]+(?P<m>January|February|March|April|May|June|July|August|September|October|November|December)\b"),
    ("weekday", rf"(?:\b(?P<rel>(?i:last|this|next|on|since))\s+)?\b{_WD}\b"),
    ("year", rf"\b(?P<since>(?i:since|in|by|until|during))\s+{_Y}\b(?!-)"),
    # "the 1991 ceasefire", "the 2008 war": a year that dates the event it qualifies
    # (or a possessive: "the military's 2013 ouster")
    ("year_of_event", rf"(?:(?<=\b[Tt]he )|(?<=\b[Aa] )|(?<=['’]s ))(?<!\b[Ii]t['’]s ){_Y}(?=\s+(?:ceasefire|cease-fire|"
                      rf"truce|armistice|agreement|accords?|treaty|deal|pact|war|offensive|invasion|coup|ouster|"
                      rf"annexation|attacks?|bombings?|massacre|uprising|summit|talks)\b)"),
    # "helicopter attacks a week ago", "crossed into the country two days ago" (not "over a week ago")
    ("ago", r"(?<!\bover )(?<!\bthan )(?<!\babout )\b(?P<n>(?i:a|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2}))"
            r"\s+(?P<unit>(?i:days?|weeks?))\s+ago\b"),
    ("phrase", r"\b(?P<p>(?i:yesterday|today|overnight|last week|earlier this week|this week|last month|earlier this month|this month|last year|this year|next week|next month|over the weekend|this weekend|last weekend|at the weekend|on the weekend))\b"),
]]


# The shapes that name a month (each spells the months out, capitalised, as "January|February|..."):
# a sentence without one of these (most sentences) is not searched for them. The searches were 8%
# of the extraction.
_NEED_A_MONTH = frozenset(name for name, rx in _PATTERNS if "January|February" in rx.pattern)
_MONTH_NAMED = re.compile(r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")
# and the shapes that need a year or a weekday, likewise
_NEED_A_YEAR = frozenset({"year", "year_of_event"})
_YEAR_NAMED = re.compile(r"(?:19|20)\d\d")
_NEED_A_WEEKDAY = frozenset({"weekday"})
_WEEKDAY_NAMED = re.compile(r"day\b")
_AGO_NAMED = re.compile(r"\bago\b")
_FEW = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}


def find_dates(text: str, sentence: Sentence, published: dt.date | None,
               year_of: dt.date | None = None) -> list[TimeExpression]:
    """Dates in one sentence, each resolved if it can be (``date`` or ``begin``/``until`` set).
    ``year_of``, for an article with no publication date: a day the text named before with its
    year, which a day and month given without one takes ("on Tuesday, 30 Dec 2014 ... last
    entered on December 23"); days told relative to the report ("Tuesday") stay unresolved.

    Example:
        >>> from kg.model import Sentence
        >>> text = "The troops arrived on Friday, Oct. 18"
        >>> s = Sentence(0, 0, len(text), text)
        >>> [t.date.iso for t in find_dates(text, s, dt.date(2024, 10, 22))]
        ['2024-10-18']
    """
    found: list[TimeExpression] = []
    taken: list[tuple[int, int]] = []
    month_named = _MONTH_NAMED.search(text, sentence.start, sentence.end) is not None
    year_named = _YEAR_NAMED.search(text, sentence.start, sentence.end) is not None
    weekday_named = _WEEKDAY_NAMED.search(text, sentence.start, sentence.end) is not None
    ago_named = _AGO_NAMED.search(text, sentence.start, sentence.end) is not None
    for name, rx in _PATTERNS:
        if (name in _NEED_A_MONTH and not month_named) or (name in _NEED_A_YEAR and not year_named) or \
                (name in _NEED_A_WEEKDAY and not weekday_named) or (name == "ago" and not ago_named):
            continue
        for m in rx.finditer(text, sentence.start, sentence.end):
            start, end = m.span()
            if any(a < end and start < b for a, b in taken):
                continue
            if name == "phrase" and m.group(0)[0].isupper() and re.search(r"\b[A-Z][\w.]*[ \t]+$", text[max(0, start - 20):start]):
                continue         # "Russia Today", "USA Today": a name's word, not the day
            expr = _resolve(name, m, published, year_of)
            if expr is None:
                continue
            taken.append((start, end))
            found.append(TimeExpression(start, end, m.group(0), **expr))
    if found and _DAY_APART_NAMED.search(text, sentence.start, sentence.end):
        found += _days_apart(text, sentence, found, taken)
    # "starts from today June 28, 2021": the day named in apposition is the one meant (a quoted
    # "today" is the speaker's day, not the report's)
    found = [t for t in found if not (t.text.lower() in _RELATIVE_DAYS and any(
        o.start >= t.end and _APPOSED.fullmatch(text, t.end, o.start) and o.date is not None
        and o.date.precision is Precision.DAY for o in found))]
    if len(found) > 1 and "until" in text[sentence.start:sentence.end]:
        found = _until(text, found)
    return sorted(found, key=lambda t: t.start)


_PICTURE = re.compile(r"\b(?:[Pp]hoto\w*|[Pp]ictures?|[Pp]ictured|[Ii]mages?|FILE|[Ff]ile\s+photo)\b")


def dates_by_sentence(text: str, sentences, published: dt.date | None) -> dict[int, list[TimeExpression]]:
    """Each sentence's dates (``find_dates``); without a publication date, a day and month with
    no year take the year of the last day the text gave with its year."""
    if published is not None:
        return {s.index: find_dates(text, s, published) for s in sentences}
    out: dict[int, list[TimeExpression]] = {}
    year_of: dt.date | None = None
    for s in sentences:
        found = out[s.index] = find_dates(text, s, None, year_of)
        named = [t.date for t in found if t.date and t.date.precision is Precision.DAY and _YEAR_NAMED.search(t.text)]
        if named and not _PICTURE.search(text, s.start, s.end):      # a file photo's day is another story's
            year_of = dt.date.fromisoformat(named[-1].iso)
    return out


_UNTIL = re.compile(r"\b(?:until|till)\s+(?:early\s+|late\s+)?(?:on\s+)?$")


def _until(text: str, found: list[TimeExpression]) -> list[TimeExpression]:
    """ "The clash began late Monday ... and lasted until early Tuesday": one span of two days, not
    two days (the second said after "until", within the clause of the first)."""
    found = sorted(found, key=lambda t: t.start)
    out: list[TimeExpression] = []
    for t in found:
        first = out[-1] if out else None
        if first is not None and first.date and t.date and first.date.precision is Precision.DAY \
                and t.date.precision is Precision.DAY and first.date.iso < t.date.iso \
                and t.start - first.end <= 90 and _UNTIL.search(text, max(first.end, t.start - 20), t.start) \
                and ";" not in text[first.end:t.start]:
            out[-1] = TimeExpression(first.start, t.end, text[first.start:t.end], begin=first.date, until=t.date)
        else:
            out.append(t)
    return out


_RELATIVE_DAYS = frozenset({"today", "yesterday"})
_APPOSED = re.compile(r",?[ \t]*(?:\(|,)?[ \t]*")


# "the security ministry on Tuesday tweeted that ... had been dismantled at dawn the previous
# day": a day told by its distance from a day the same sentence names
_DAY_APART = re.compile(r"\b(?:(?P<before>(?:the|a)\s+(?:previous|prior|preceding)\s+(?:day|night|evening)|"
                        r"the\s+(?:day|night|evening)\s+before|a\s+day\s+(?:earlier|before))|"
                        r"(?P<after>the\s+(?:next|following)\s+(?:day|morning)|a\s+day\s+later))\b", re.I)
_DAY_APART_NAMED = re.compile(r"previous|prior|preceding|before|earlier|next|following|later", re.I)


def _days_apart(text: str, sentence: Sentence, found: list[TimeExpression],
                taken: list[tuple[int, int]]) -> list[TimeExpression]:
    days = [t for t in found if t.date is not None and t.date.precision is Precision.DAY]
    out = []
    for m in _DAY_APART.finditer(text, sentence.start, sentence.end):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        # the day it counts from: the nearest named before it, else the first after it
        anchor = ([t for t in days if t.end <= m.start()][-1:] or [t for t in days if t.start >= m.end()][:1])
        if anchor:
            step = dt.timedelta(days=-1 if m.group("before") else 1)
            out.append(TimeExpression(m.start(), m.end(), m.group(0),
                                      date=DateValue.day(anchor[0].date.earliest + step)))
    return out


def _resolve(name: str, m: re.Match, pub: dt.date | None, year_of: dt.date | None = None) -> dict | None:
    g = m.groupdict()
    since = (g.get("since") or "").strip().lower() == "since"
    if name == "span_months":
        return {"begin": DateValue.month(int(g["y1"]), MONTHS[g["m"].lower().rstrip(".")]),
                "until": DateValue.month(int(g["y"]), MONTHS[g["m2"].lower()])}
    if name in ("span_md", "span_dm", "span_between_md", "span_between_dm", "span_and_md", "span_and_dm"):
        month = MONTHS[g["m"].lower().rstrip(".")]
        year = _year(g.get("y"), month, pub or year_of)
        if year is None:
            return {}
        # "between July 30 and August 2", "on March 31 and April 1": the second day's own month
        month2 = MONTHS[g["m2"].lower().rstrip(".")] if g.get("m2") else month
        a, b = _day(year, month, int(g["d1"])), _day(year + (month2 < month), month2, int(g["d2"]))
        return {"begin": a, "until": b} if a and b else None
    if name == "ago":
        if pub is None:
            return {}
        n = int(g["n"]) if g["n"].isdigit() else _FEW[g["n"].lower()]
        days = n * (7 if g["unit"].lower().startswith("week") else 1)
        return {"date": DateValue.day(pub - dt.timedelta(days=days))} if days <= 70 else {}
    if name in ("md", "dm"):
        month = MONTHS[g["m"].lower().rstrip(".")]
        year = _year(g.get("y"), month, pub or year_of)
        if year is None:
            return {}
        day = _day(year, month, int(g["d"]))
        if day is None:
            return None
        return {"begin": day} if since else {"date": day}
    if name == "my":
        month = MONTHS[g["m"].lower().rstrip(".")]
        value = DateValue.month(int(g["y"]), month)
        return {"begin": value} if since else {"date": value}
    if name == "ago_month":       # "a year ago in November": that month, so many years before publication
        if pub is None:
            return {}
        back = {"a": 1, "one": 1, "two": 2, "three": 3}.get(g["n"].lower(), None) or int(g["n"])
        return {"date": DateValue.month(pub.year - back, MONTHS[g["m"].lower()])}
    if name == "rel_month":
        month = MONTHS[g["m"].lower()]
        rel = g["rel"].lower()
        if pub is None:
            return {}
        if rel == "last":
            year = pub.year if month < pub.month else pub.year - 1
        elif rel == "next":
            year = pub.year if month > pub.month else pub.year + 1
        else:
            year = _year(None, month, pub)
        value = DateValue.month(year, month)
        return {"begin": value} if rel == "since" or since else {"date": value}
    if name == "weekday":
        if pub is None:
            return {}
        rel = (g.get("rel") or "").lower()
        target = WEEKDAYS[g["wd"].lower()]
        back = (pub.weekday() - target) % 7
        if rel == "last" and back == 0:
            back = 7
        if rel == "next":
            day = pub + dt.timedelta(days=(target - pub.weekday()) % 7 or 7)
        else:
            day = pub - dt.timedelta(days=back)
        return {"begin": DateValue.day(day)} if rel == "since" else {"date": DateValue.day(day)}
    if name == "year":
        value = DateValue.year(int(g["y"]))
        return {"begin": value} if g["since"].lower() == "since" else {"date": value}
    if name == "year_of_event":
        return {"date": DateValue.year(int(g["y"]))}
    if name == "phrase":
        return _phrase(g["p"].lower(), pub)
    return None


def _phrase(p: str, pub: dt.date | None) -> dict:
    if pub is None:
        return {}
    monday = pub - dt.timedelta(days=pub.weekday())
    if p == "overnight":
        p = "today"          # "clashes overnight" in a story of the morning after: its day
    if p == "today":
        return {"date": DateValue.day(pub)}
    if p == "yesterday":
        return {"date": DateValue.day(pub - dt.timedelta(days=1))}
    if p == "last week":
        return {"begin": DateValue.day(monday - dt.timedelta(days=7)),
                "until": DateValue.day(monday - dt.timedelta(days=1))}
    if p == "earlier this week":
        if pub == monday:
            return {}
        return {"begin": DateValue.day(monday), "until": DateValue.day(pub - dt.timedelta(days=1))}
    if p.endswith("weekend"):
        saturday = pub - dt.timedelta(days=(pub.weekday() - 5) % 7)
        if p == "last weekend" and (pub - saturday).days < 2:
            saturday -= dt.timedelta(days=7)
        return {"begin": DateValue.day(saturday), "until": DateValue.day(saturday + dt.timedelta(days=1))}
    if p == "this week":
        return {"begin": DateValue.day(monday), "until": DateValue.day(pub)}
    if p in ("last month",):
        first = pub.replace(day=1) - dt.timedelta(days=1)
        return {"date": DateValue.month(first.year, first.month)}
    if p in ("this month", "earlier this month"):
        return {"date": DateValue.month(pub.year, pub.month)}
    if p == "last year":
        return {"date": DateValue.year(pub.year - 1)}
    if p == "this year":
        return {"date": DateValue.year(pub.year)}
    return {}


def _year(explicit: str | None, month: int, pub: dt.date | None) -> int | None:
    """The year of a date given without one: the publication's, or the year before when the
    month lies more than two months after publication ("in December", read in January)."""
    if explicit:
        return int(explicit)
    if pub is None:
        return None
    return pub.year - 1 if month > pub.month + 2 else pub.year


def _day(year: int, month: int, day: int) -> DateValue | None:
    try:
        return DateValue.day(dt.date(year, month, day))
    except ValueError:
        return None


# "YAOUNDE, Aug. 26 (Xinhua) --", "KABUL, Afghanistan (AP) —", "Bogota, Sep 12 (IANS)": a
# report's dateline, the place and day it was filed from
DATELINE = re.compile(r"\s*[A-Z][A-Za-z .'-]{2,40},\s+(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s+\d{4})?|"
                      r"[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\s*(?:\((?P<agency>[A-Z][\w .&-]{1,30})\))?\s*(?:--|[-–—:])\s|"
                      # "Bogota, Sep 12 (IANS) At least five soldiers": the agency's brackets end it
                      r"\s*[A-Z][A-Za-z .'-]{2,40},\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s+\d{4})?\s*"
                      r"\((?P<bare_agency>[A-Z]{2,8})\)\s+(?=[A-Z])")

# capitals that open a line as a rubric, not as the place a report was filed from
NOT_DATELINES = frozenset({"UPDATE", "UPDATED", "BREAKING", "EXCLUSIVE", "WATCH", "VIDEO", "PHOTOS", "ANALYSIS",
                           "OPINION", "EDITORIAL", "LIVE", "FILE", "NOTE", "COMMENT", "INTERVIEW", "REPORT", "READ",
                           "MORE", "EXPLAINER", "FACTBOX", "WARNING", "ALERT", "URGENT", "CORRECTION",
                           "CORRECTED"})
CAPS_DATELINE = re.compile(r"[ \t]*(?P<place>[A-Z][A-Z'’.-]{2,}(?:[ \t]+[A-Z][A-Z'’.-]+){0,2})"
                           r"(?:,[ \t]+[A-Z][\w.]*(?:[ \t]+[\w.]+){0,2})?[ \t]*"
                           r"(?:\((?P<agency>[A-Z][\w .&-]{1,30})\))?[ \t]*(?:--|[-–—:])[ \t]")


def caps_dateline(text: str, sentence_start: int) -> re.Match | None:
    """The capitalised dateline opening the sentence ("BANGKOK (AP) —", "KARACHI:"), with its
    ``place`` and ``agency``; None for a rubric in capitals ("UPDATE -")."""
    m = CAPS_DATELINE.match(text, sentence_start)
    return m if m is not None and m.group("place") not in NOT_DATELINES else None


def in_dateline(text: str, sentence_start: int, start: int) -> bool:
    """Is ``start`` inside the dateline that opens the sentence? Its date is the day the report
    was filed, not the day of what it reports."""
    m = DATELINE.match(text, sentence_start)
    if m is not None and start < m.end():
        return True
    caps = caps_dateline(text, sentence_start)
    return caps is not None and start < caps.end()
