"""Entity mentions: known names from the lexicons, and patterns for names they lack.

Where two candidates overlap, the longer wins, then the lexicon's. Names are matched in
``kg.text.fold``-ed text, so "Kim Jong-un" and "Kim Jong Un" are one form.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from rapidfuzz import fuzz, process

from kg.extract.coreference import short_names
from kg.extract.dates import DATELINE, caps_dateline
from kg.extract.evidence import Cue, EvidenceFinder, EvidenceModel, word_cues
from kg.extract.institutions import HomeInstitutions
from kg.extract.phrases import PhraseIndex, token_spans
from kg.extract.rules import CONFIDENCE, COURTESY_TITLES, LEADING_WORDS, MONTHS, TOKEN, TOKEN_RE, WEEKDAYS, Candidate, plural
from kg.extract.ships import ShipFinder
from kg.gazetteer import GazetteerPlace
from kg.lexicon import Entry, Lexicons
from kg.model import Mention, Sentence
from kg.text import FUZZY_THRESHOLD, fold, fold_case_kept, name_key, sentence_at


# words of a name, joined by spaces, particles, "&", or a nickname in quotes (Mohamed Hamdan “Hemedti” Dagalo)
# the first halves of compound nationality adjectives: "Sino-Indian", "Anglo-French", "Indo-Pacific"
_NICKNAMED = re.compile(r"\b(?:alias|a\.k\.a\.?|aka|nom de guerre|a certain)[ \t]+[\"“]?$")
_NAME_IN_LIST = r"[A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+){0,3}"
# people said to be identified: "the bodies of 3 members identified as ...", "two civilians identified as ..."
_IDENTIFIED_AS = re.compile(r"\b(?:members?|civilians?|soldiers?|victims?|suspects?|men|women|fighters?|bodies|dead|"
                            r"slain|militants?|officers?|people|persons?|policemen|troops|hostages?|children|"
                            r"residents?|gunmen|attackers?|leaders?|commanders?|rebels?)\b[^.;]{0,40}?"
                            rf"\b(?:identified|named)[ \t]+as[ \t]+(?:{_NAME_IN_LIST},?[ \t]+(?:and[ \t]+)?)*"
                            r"(?:and[ \t]+)?(?:a[ \t]+certain[ \t]+)?[\"“]?$")
_NAME_SUFFIX = re.compile(r",?[ \t]+(Jr|Sr|II|III|IV)\b\.?")


def _ends_with(words: list[str], heads: frozenset[str]) -> bool:
    """Does the run end with one of the head words, or a two-word head ("General Staff")?"""
    return words[-1] in heads or (len(words) > 1 and f"{words[-2]} {words[-1]}" in heads)


def _month_word(text: str, tokens: list[tuple[int, int, str]]) -> bool:
    """Does the run open with a month ("March Putin said")? A short form ("Jun", "May") only
    before a day or after "in", "on"...: "Jun Hamada" and "May Zaw" are names."""
    word = tokens[0][2]
    if word not in MONTHS:
        return False
    return len(word) > 4 or word in ("June", "July") or \
        bool(re.match(r"\.|[ \t]+\d", text[tokens[0][1]:tokens[0][1] + 3])) or \
        bool(re.search(r"\b(?:[Ii]n|[Oo]n|[Ss]ince|[Uu]ntil|[Bb]y|early|late|mid|last|next|this)[ \t]+$",
                       text[max(0, tokens[0][0] - 8):tokens[0][0]]))


_COMBINING_FORMS = frozenset({"sino", "anglo", "franco", "russo", "indo", "afro", "euro", "austro", "greco", "italo",
                              "judeo", "turco", "irano", "arabo", "germano", "hispano", "luso", "nippo", "serbo"})
_CREDIT = re.compile(r"\b(?:Pictures?|Photos?|Photograph|Image|Credit|File)[ \t]*:[ \t]*"
                     r"([A-Z][\w'’-]+(?:[ \t][A-Z][\w'’-]+){1,2})[ \t]*/[ \t]*[A-Z]")
# "(Photo by Ashraf Amra/Anadolu via Getty Images)": the photographer and the agencies
_PHOTO_BY = re.compile(r"\((?:Photo|Picture|Image)s?[ \t]+(?:by|credit:?)[ \t]+(?P<person>[A-Z][\w'’-]+(?:[ \t][A-Z][\w'’-]+){1,2})"
                       r"[ \t]*/[ \t]*(?P<agency>[A-Z][\w'’-]*(?:[ \t][A-Z][\w'’-]*){0,3}?)"
                       r"(?:[ \t]+via[ \t]+(?P<via>[A-Z][\w'’-]*(?:[ \t][A-Z][\w'’-]*){0,3}?))?[ \t]*\)")
_CREDIT_NAME = r"(?P<name>[A-Z][\w'’.&-]*(?:[ \t]+(?:[A-Z][\w'’.&-]*|of|de|la))*?)"
_CREDIT_LINE = re.compile(rf"(?:\(|(?m:^)[ \t]*|(?<=[.!?”)][ \t]))(?:Photo|Photograph|Picture|Image|Source|Credit|File)s?"
                          rf"(?:[ \t]+credit)?:[ \t]*{_CREDIT_NAME}[ \t]*(?:\)|/|(?m:$))|"
                          rf"\((?P<agency>[A-Z]{{2,6}})[ \t]+(?:PHOTO|Photo|photo|FILE|File)\)")
_CREDIT_WORD = re.compile(r"Photo|PHOTO|Picture|Image|Source|Credit|File|FILE")


def _credits(text: str, s: Sentence) -> list[re.Match]:
    """The credit lines of a sentence (most have none: a literal search says so, quicker)."""
    if not _CREDIT_WORD.search(text, s.start, s.end):
        return []
    return list(_CREDIT_LINE.finditer(text, s.start, s.end))


_BYLINE_NAME = re.compile(r"[A-Z][\w'’.-]*(?:[ \t]+[A-Z][\w'’.-]*){0,3}(?:,[ \t]*(?:Jr|Sr)\.?)?")
_BYLINE = re.compile(r"[ \t]*By[ \t]+[A-Z][\w'’.-]*(?:[ \t]+[A-Z][\w'’.-]*){0,3}"
                     r"(?:[ \t]*(?:,|and)[ \t]*[A-Z][\w'’.-]*(?:[ \t]+[A-Z][\w'’.-]*){0,3}){0,5}[ \t]*")
# the particles of names in languages that write them in lower case
_PARTICLES = "de|de la|de las|de los|del|da|das|do|dos|du|des|di|van|van der|van den|von|von der"
_PARTICLE_JOINED = re.compile(rf"[ \t](?:{_PARTICLES})[ \t]+[A-Z]")
# the lower-case words inside a name: "Bureau of Fisheries", "Mocímboa da Praia", "Ursula von der Leyen"
# (Mexican officials' names end with the initial of their surname in quotes: "Néstor Daniel “S”")
_QUOTED_INITIAL = re.compile(r"[ \t][“\"]([A-Z])[”\"]?$")
_SEQUENCE = re.compile(rf"{TOKEN}(?:(?:[ \t]+(?:of|for|of the|for the|{_PARTICLES}|al|el|bin|ibn|&)[ \t]+|"
                       rf"[ \t]+[“\"][A-Z][\w-]+[”\"][ \t]+|[ \t]+){TOKEN})*(?:[ \t]+[“\"][A-Z][”\"])?")


_COMPASS = frozenset({"North", "South", "East", "West"})
_FAITHS = frozenset({"Muslim", "Christian", "Buddhist", "Hindu", "Catholic", "Orthodox", "Sunni", "Shia", "Shiite"})
# fixed patterns of the rules below, compiled once (they are asked of every capitalised run)
_BRACKETED_INITIALS = re.compile(r"[ \t]+\(([A-Z]{2,6})\)[ \t]+")
_AND = re.compile(r"[ \t]+and[ \t]+")
_ACRONYM_AFTER = re.compile(r"\s*\(([A-Z]{3,})\)")
_IN_THE = re.compile(r"[ \t]+in[ \t]+(?:the[ \t]+)?")
_WORD_OR_DOT = re.compile(r"[\w.]+")
_NUMBER_BEFORE = re.compile(r"(?<![\w,.])\d{1,4}(?:st|nd|rd|th)?[ \t]+$")
_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)")
_ARTICLE_OR_ADVERB_BEFORE = re.compile(r"\b(?:an?|\w+ly)\s+$")
_UNIT_NUMBER_BEFORE = re.compile(r"(?<![\w,.])(\d{1,4})[ \t]+$")
_OWNER_BEFORE = re.compile(r"([A-Z][\w.]*(?:[ \t][A-Z][\w.]*)?)(?:['’]s)?[ \t]+$")
_AND_PERSON_AFTER = re.compile(r"\s+and\s+((?:[A-Z][\w'-]*\s*){2,3})")
_WHO_AFTER = re.compile(r",\s+who\s")
_OPENING_BRACKET = re.compile(r"\s*[(\[]\s*")
_CLOSING_BRACKET = re.compile(r"\s*[)\]]")
_KNOWN_AS = re.compile(r",?\s+(?:also known as|known as|aka|a\.k\.a\.)\s+")
_CAPITALISED = re.compile(r"[A-Z][\w'-]*")
_LATIN_WORD = re.compile(r"[A-Za-z][\w'’-]*")
_WORD_CHAR = re.compile(r"\w")
_OF = re.compile(r"\sof\s")

_LOWER_UNIT_HEAD = re.compile(r"[ \t]+(?:regiment|battalion|brigade|division|squadron|infantry regiment)\b")


@dataclass(frozen=True)
class _Weak:
    """A capitalised run no strong rule typed, with the cues around this occurrence."""

    sentence: int
    start: int
    end: int
    key: str
    cues: tuple[Cue, ...]
    initial: bool            # first word of its sentence: maybe a common word written with a capital
    typed: bool = False      # a rule typed it: kept only while the evidence model learns (kg.training)


@dataclass(frozen=True)
class _Form:
    entry: Entry
    kind: str            # name | demonym | capital | generic


class MentionFinder:
    """Compiled once per set of lexicons; ``find`` is then pure per article."""

    def __init__(self, lexicons: Lexicons, cities: dict[str, GazetteerPlace] | None = None,
                 given_names: frozenset[str] = frozenset()) -> None:
        self.entries = {e.label: e for e in lexicons.entries}
        self.evidence = EvidenceFinder(lexicons, cities or {}, given_names)
        self.model = EvidenceModel.from_lexicons(lexicons)
        # kg.training sets this: the runs a rule typed then show the model too what their cues
        # mean (with a feature of their own, so the leftovers' odds are still learned apart)
        self.learn_from_typed = False
        self.forms: dict[str, _Form] = {}
        self.exact_forms: dict[str, _Form] = {}
        for entry in lexicons.entries:
            self._add_forms(entry)
        self._ci = PhraseIndex(self.forms)             # matched in folded (lower-case) text
        self._cs = PhraseIndex(self.exact_forms)       # acronyms, matched with their case
        self.titles = {t.split()[-1].lower() for t in lexicons.words("person_titles")}
        # hyphenated ranks made of titles and their abbreviations: "Lt-General", "Maj-Gen", "Brig-Gen"
        parts = self.titles | {t.lower().rstrip(".") for t in lexicons.words("person_titles") if t.endswith(".")}
        self.titles |= {f"{a}-{b}" for a in parts for b in parts if a != b and len(a) <= 5}
        self.title_abbreviations = {t.lower() for t in lexicons.words("person_titles") if t.endswith(".")}
        self.demonyms = {fold(d) for e in lexicons.entries for d in e.demonyms}
        self.verbs = frozenset(w.lower() for w in (*lexicons.words("speech_verbs"),
                                                   *(t for ws in lexicons.triggers.values() for t in ws)))
        self.by_type: dict[str, dict[str, str]] = {}
        for entry in lexicons.entries:
            names = self.by_type.setdefault(entry.type, {})
            for form in (entry.label, *entry.aliases):
                names[name_key(form)] = entry.label
        # the state institutions patterns.toml makes for every country are no respelling targets:
        # a thousand names more to compare, all of one shape ("Ministry of Health of Laos")
        made = {name_key(f) for e in lexicons.entries if e.file == "patterns.toml" for f in (e.label, *e.aliases)}
        self.spellings = {type_: _Spellings(n for n in names if n not in made) for type_, names in self.by_type.items()}
        self.ships = ShipFinder(lexicons)
        self.institutions = HomeInstitutions(lexicons)
        w = lexicons.words
        self.locative = frozenset(w("locative_prepositions"))
        self.place_prepositions = frozenset(w("place_prepositions"))
        self.title_objects = frozenset(w("title_objects"))
        self.org_heads = frozenset(w("organization_heads"))
        self.org_starts = frozenset(w("organization_starts"))
        self.unit_heads = frozenset(w("unit_heads"))
        self.place_heads = frozenset(w("place_heads"))
        self.place_starts = frozenset(w("place_starts"))
        self._base_head = re.compile(r"\s+(" + _alternatives(w("base_heads")) + r")s?\b")
        self._place_head_lower = re.compile(r"\s+(" + _alternatives(w("place_heads_lower")) + r")\b")
        self._base_kind = re.compile(r",\s+(?:a|an|the)\s+(?:\w+\s+)?(?:" + _alternatives(w("base_kinds")) + r")\b")
        self._org_cue = re.compile(r"\b(?:" + "|".join(re.escape(c) for c in w("organization_cues")) +
                                   r")\s+(?:the\s+)?$", re.I)
        kinds = {k for k in w("place_kinds")} | {plural(k) for k in w("place_kinds")}
        # "the villages of Plekhovo and Vorobzha", "the cities of Gedaref, Kassala and Halfa Aj Jadeedah"
        self._place_kind = re.compile(r"\b(?:" + _alternatives(tuple(kinds)) +
                                      r")\s+of\s+(?:(?:[A-Z][\w-]*(?:\s+|,\s+))*(?:and\s+)?)?$")
        self._role_after = re.compile(r",\s+(?:a|an|the)?\s*(?:[A-Z][\w.]*\s+)?(?:" + "|".join(
            re.escape(r) for r in w("person_roles_after")) + r")\b", re.I)

    # ------------------------------------------------------------------ lexicon forms
    def _add_forms(self, entry: Entry) -> None:
        # one _Form per entry and kind, shared by all its forms: tens of thousands fewer objects
        # for the cached extractor to unpickle (a third of a one-article kg add's extraction)
        named, generic = _Form(entry, "name"), _Form(entry, "generic")
        own = _Form(entry, "capital") if entry.metonym_for else named
        for name in (entry.label, *entry.aliases):
            self._add(name, own)
        demonym = _Form(entry, "demonym")
        for dem in entry.demonyms:
            self._add(dem, demonym)
        if entry.country and entry.generic:
            country = self.entries.get(entry.country)
            if country is None:
                return
            qualifiers = [*country.demonyms, *(f"{n}'s" for n in (country.label, *country.aliases))]
            capitals = [e for e in self.entries.values() if e.metonym_for == country.label]
            qualifiers += [f"{c.label}'s" for c in capitals]
            for word in entry.generic:
                for q in qualifiers:
                    self._add(f"{q} {word}", generic)
                    self._add(f"{q} official {word}", generic)
                for c in capitals:
                    self._add(f"{word} in {c.label}", generic)
            for dem in country.demonyms:
                self._add(f"{dem} {entry.label}", named)
            for name in (country.label, *country.aliases):
                self._add(f"{name}'s {entry.label}", named)
                for word in entry.generic:              # "Myanmar junta", "Mali army"
                    self._add(f"{name} {word}", generic)

    def _add(self, form: str, info: _Form) -> None:
        bare = form.replace(".", "")
        if len(bare) <= 4 and bare.isupper():
            self.exact_forms.setdefault(fold_case_kept(form), info)
            if form.endswith(".") and "." in form[:-1]:
                # "according to the U.N, more than double": a dotted acronym loses its last dot
                # to the comma or the sentence's full stop
                self.exact_forms.setdefault(fold_case_kept(form[:-1]), info)
        else:
            self.forms.setdefault(fold(form), info)

    # ------------------------------------------------------------------ finding
    def find(self, text: str, sentences: tuple[Sentence, ...] | list[Sentence]) -> list[tuple[int, Mention]]:
        """Mentions of each sentence, as (sentence index, mention), in text order."""
        out: list[tuple[int, Mention]] = []
        weak: list[_Weak] = []
        folded, folded_cs = fold(text), fold_case_kept(text)
        for s in sentences:
            byline = _BYLINE.fullmatch(text, s.start, s.end)
            shouting = byline is not None or _is_shouting(s.text) or _is_title_case(s.text)
            spans = token_spans(folded, s.start, s.end)          # folding keeps the length: one tokenising
            cands = [*self._lexicon(text, folded, s, self._ci, self.forms, spans)]
            runs: list[_Weak] = []
            if not shouting:
                cands += self._lexicon(text, folded_cs, s, self._cs, self.exact_forms, spans)
                cands += self._patterns(text, s, runs)
            elif credit := _CREDIT.search(text, s.start, s.end):
                # a caption's credit line is in title case: "Picture: Name Surname/Agency"
                cands.append(self._make(*credit.span(1), text, credit.group(1), "Person", "photo-credit"))
            elif byline:
                # so is a byline: "By Yildiz Nevin Gundogmus, Halil Ibrahim Sincar", "By PTI"
                for name in _BYLINE_NAME.finditer(text, s.start + 3, s.end):
                    person = len(name.group().split()) > 1 and not name.group().isupper()
                    cands.append(self._make(*name.span(), text, name.group(), "Person" if person else "Organization",
                                            "byline"))
            cands += self.ships.find(text, folded, s) + self._photo_credits(text, s) + self._post_authors(text, s)
            chosen = _resolve_overlaps(cands)
            # "Mocímboa da Praia" is one name, not Praia (Cabo Verde's capital) with words before it
            joined = [r for r in runs if not r.typed and _PARTICLE_JOINED.search(text, r.start, r.end)]
            chosen = [m for m in chosen if not any(r.start <= m.start and m.end <= r.end and (r.start, r.end) !=
                                                   (m.start, m.end) and m.rule != "qualifier" for r in joined)]
            weak += [r for r in runs if r.typed or not any(m.start < r.end and r.start < m.end for m in chosen)]
            chosen = self.ships.operators(text, chosen)
            chosen = sorted(chosen + self._qualifiers(text, folded, chosen), key=lambda m: (m.start, m.end))
            out += [(s.index, m) for m in chosen]
        out = sorted(out + self._decide_weak(text, weak, out), key=lambda x: (x[1].start, x[1].end))
        out = _listed_names(text, sentences, out)
        if institutions := self.institutions.find(text, sentences, out):
            spans = {(m.start, m.end) for _, m in institutions}
            out = sorted([x for x in out if (x[1].start, x[1].end) not in spans] + institutions,
                         key=lambda x: (x[1].start, x[1].end))
        return short_names(text, sentences, _parenthetical_aliases(text, out))

    def _decide_weak(self, text: str, weak: list[_Weak], found: list[tuple[int, Mention]]) -> list[tuple[int, Mention]]:
        """Type the untyped runs by the evidence of all their occurrences in the article.

        A run that is part of a name typed elsewhere in the article is that name said again
        ("SITE Intelligence" and "SITE Intelligence Group", "the Coast Guard" when the article
        names one coast guard), and its initials are taken by ``coreference.repeats``.
        """
        known = {m.key: m for _, m in found if m.is_name}
        person_parts = {w for _, m in found if m.type == "Person" for w in m.key.split()}
        initials = {_initials(m.text) for _, m in found if m.type in ("Organization", "MilitaryUnit")} | \
            {_initials(m.label) for _, m in found if m.type in ("Organization", "MilitaryUnit")}
        lower_case_words = set(re.findall(r"(?<![\w'’-])[a-z][a-z'’-]*", text)) if weak else set()
        typed = [r for r in weak if r.typed]
        if typed:
            self._show_typed(text, typed, lower_case_words)
        groups: dict[str, list[_Weak]] = {}
        keys = {w.key for w in weak}
        for r in weak:
            if r.typed:
                continue
            key = r.key[:-1] if r.key.endswith("s") and r.key[:-1] in keys else r.key
            groups.setdefault(key, []).append(r)
        decided: dict[str, tuple[str, str, float, tuple[str, ...]]] = {}       # key -> type, label, score, cues
        extra: list[tuple[int, Mention]] = []
        # longer names first, so a lone surname or a shortened name finds its full form
        for key, runs in sorted(groups.items(), key=lambda kv: (-len(kv[0].split()), kv[0])):
            if key in known or text[runs[0].start:runs[0].end] in initials:
                continue
            if key in person_parts:
                continue       # a surname: short_names takes it when it names one person only
            whole = _containing(key, [*known.values()], decided)
            if whole is not None:
                type_, label, target_key = whole
                for r in runs:
                    extra.append((r.sentence, Mention(r.start, r.end, text[r.start:r.end], target_key, label, type_,
                                                      "part-of-name", CONFIDENCE["short-name"])))
                continue
            label, cues = _pooled(text, key, runs, lower_case_words)
            decision = self.model.decide(cues, name=label)
            if decision is None:
                continue
            decided[key] = (decision.type, label, decision.score, decision.cues)
            for r in runs:
                extra.append((r.sentence, Mention(r.start, r.end, text[r.start:r.end], key, label, decision.type,
                                                  "evidence", decision.score, evidence=decision.cues)))
        return extra

    def _show_typed(self, text: str, typed: list[_Weak], lower_case_words: set[str]) -> None:
        """Show the model the names a rule typed, marked so (``learn_from_typed``); its answer is not used."""
        groups: dict[str, list[_Weak]] = {}
        for r in typed:
            groups.setdefault(r.key, []).append(r)
        for key, runs in sorted(groups.items()):
            label, cues = _pooled(text, key, runs, lower_case_words)
            self.model.decide([*cues, Cue("typed-by-a-rule", "a rule typed it")], name=label)

    def _lexicon(self, text: str, folded: str, s: Sentence, index: PhraseIndex,
                 forms: dict[str, _Form], spans: list[tuple[int, int]]) -> list[Candidate]:
        found = []
        filed_from = caps_dateline(text, s.start)
        # every word start, not only after the last match: "The North" must not hide "North Korean"
        for start, end, form in index.find(folded, s.start, s.end, spans):
            info = forms[form]
            if not any(c.isupper() for c in text[start:end]) and (" " in form or info.kind != "generic"):
                continue         # "the north of the country" is not "the North", "island" is not Ísland
            if form.startswith("the ") and re.match(r"[ \t]+[A-Z][a-z]", text[end:end + 3]):
                continue         # "the North East" is not "the North"
            if _inside_hyphenated_name(text, folded, start, end, self.forms):
                continue         # "RBC-Ukraine" is an outlet, not Ukraine
            if filed_from and filed_from.start("place") <= start < filed_from.end("place"):
                continue         # "ANKARA (AA) –": the place it was filed from (_patterns), not the state
            if info.kind == "generic" and not _ends_noun_phrase(text, end, s.end, self.verbs):
                continue         # "Russian military bases": the phrase goes on, it is not the army
            entry, rule, is_name = info.entry, "lexicon", True
            if info.kind == "demonym":
                rule, is_name = "demonym", False
            elif info.kind == "generic":
                rule = "lexicon-generic"
            elif info.kind == "capital" and not self._locative(text, s, start, end):
                entry, rule = self.entries[info.entry.metonym_for], "metonym"
            found.append(Candidate(Mention(start, end, text[start:end], name_key(entry.label), entry.label,
                                            entry.type, rule, CONFIDENCE[rule], is_name, entry.wikidata,
                                            source=f"{info.entry.file}: {info.entry.label}"), 0))
        return found

    def _qualifiers(self, text: str, folded: str, chosen: list[Mention]) -> list[Mention]:
        """The country that qualifies an organisation's name ("US" in "US State Department",
        "Russia" in "Russia's Pacific Fleet") is mentioned too."""
        extra = []
        for m in chosen:
            if m.type not in ("Organization", "MilitaryUnit") or m.rule == "demonym":
                continue
            for n in (2, 1):
                words = folded[m.start:m.end].split()
                if len(words) <= n:
                    continue
                form = " ".join(words[:n])
                bare = form[:-2] if form.endswith("'s") else form
                info = self.forms.get(bare) or self.exact_forms.get(fold_case_kept(text[m.start:m.start + len(bare)]))
                if info and info.entry.type == "Country" and info.kind in ("name", "demonym"):
                    e = info.entry
                    extra.append(Mention(m.start, m.start + len(bare), text[m.start:m.start + len(bare)],
                                         name_key(e.label), e.label, e.type, "qualifier", CONFIDENCE["demonym"],
                                         info.kind == "name", e.wikidata))
                    break
            tail = re.search(r"\sin\s+([\w' .-]+)$", folded[m.start:m.end])
            if tail:                     # "presidential office in Seoul": Seoul is named too
                info = self.forms.get(tail.group(1))
                if info and info.entry.type in ("Place", "MilitaryBase"):
                    a = m.start + tail.start(1)
                    e = info.entry
                    extra.append(Mention(a, m.end, text[a:m.end], name_key(e.label), e.label, e.type, "qualifier",
                                         CONFIDENCE["qualifier"], True, e.wikidata, source=f"{e.file}: {e.label}"))
        return extra

    def _locative(self, text: str, s: Sentence, start: int, end: int) -> bool:
        """Is a capital named as the place ("in Pyongyang"), not as its state ("Pyongyang decided")?"""
        if re.match(r"['’]s\b", text[end:end + 3]):
            return False
        before = re.findall(r"[A-Za-z]+", text[s.start:start][-30:])
        if not before and re.match(r"\s*(?:,\s*(?:[A-Z][a-z]{2,8}\.?\s+\d|\d|[A-Z][\w ]{2,30}\s*[-–—(])|"
                                   r"\s[-–—]\s|\s*:\s|\s*\((?:AP|AFP|Reuters|UPI)\))", text[end:end + 40]):
            return True      # a dateline: "KYIV, Dec 16 - ...", "MANILA, Philippines — ", "Taipei: "
        if re.search(r"\b(?:capital|city|town|port)(?:\s+city)?,?\s+(?:of\s+)?$", text[s.start:start][-30:]):
            return True      # "Georgia's capital, Tbilisi"
        if re.search(r"\b(?:officials|authorities|government|ministry|leaders|diplomats)\s+in\s+$",
                     text[s.start:start][-30:]):
            return False     # "officials in Baku said": the state speaks
        return bool(before) and before[-1].lower() in self.locative

    def _photo_credits(self, text: str, s: Sentence) -> list[Candidate]:
        """The photographer and the agencies of "(Photo by Name Surname/Agency via Agency)"."""
        found = []
        for credit in _PHOTO_BY.finditer(text, s.start, s.end):
            found.append(self._make(*credit.span("person"), text, credit.group("person"), "Person", "photo-credit"))
            found += [self._make(*credit.span(g), text, credit.group(g), "Organization", "photo-credit")
                      for g in ("agency", "via") if credit.group(g)]
        for credit in _credits(text, s):
            # "(Photo: Kurdistan24)", "(AP PHOTO)", a line "Source: BBC": who took or gave it, a
            # photographer when a given name opens a short name, else an agency or outlet
            group = "name" if credit.group("name") else "agency"
            words = credit.group(group).split()
            person = len(words) in (2, 3) and name_key(words[0]) in self.evidence.given_names
            found.append(self._make(*credit.span(group), text, credit.group(group),
                                    "Person" if person else "Organization", "photo-credit"))
        return found

    def _post_authors(self, text: str, s: Sentence) -> list[Candidate]:
        """ "— Straż Graniczna (@Straz_Graniczna) November 15, 2021": an embedded post's author, in
        any language, from its signature line: a person if a given name opens the name, else a body."""
        found = []
        for post in _POST_SIGNATURE.finditer(text, s.start, s.end):
            words = post.group("name").split()
            person = name_key(words[0]) in self.evidence.given_names and len(words) <= 3
            found.append(self._make(*post.span("name"), text, post.group("name"),
                                    "Person" if person else "Organization", "post-author"))
        return found

    def _patterns(self, text: str, s: Sentence, weak: list[_Weak]) -> list[Candidate]:
        """Candidates the rules type; the runs they cannot type go to ``weak`` with their cues."""
        found = []
        dateline = DATELINE.match(text, s.start)          # "YAOUNDE, Aug. 26 (Xinhua) --": its agency
        agency = next((dateline.span(g) for g in ("agency", "bare_agency") if dateline and dateline.group(g)), None)
        filed_from = caps_dateline(text, s.start)   # "BANGKOK (AP) —", "KARACHI:": the place and agency
        if filed_from:
            found.append(self._make(*filed_from.span("place"), text, filed_from.group("place").title(), "Place",
                                    "dateline-place"))
            if filed_from.group("agency") and agency is None:
                agency = filed_from.span("agency")
        # _photo_credits and _post_authors type them
        credits = [c.span() for c in _PHOTO_BY.finditer(text, s.start, s.end)] + \
            [c.span("name" if c.group("name") else "agency") for c in _credits(text, s)] + \
            [c.span("name") for c in _POST_SIGNATURE.finditer(text, s.start, s.end)]
        for span in self._runs(text, s):
            if filed_from and span[0] < filed_from.end("place") and filed_from.start("place") < span[1]:
                continue
            if any(a <= span[0] < b for a, b in credits):
                continue
            tokens = [(t.start(), t.end(), t.group()) for t in TOKEN_RE.finditer(text, *span)]
            while tokens and (tokens[0][2] in LEADING_WORDS or _month_word(text, tokens)
                              or tokens[0][2] in WEEKDAYS or tokens[0][2] in COURTESY_TITLES):
                tokens = tokens[1:]      # "Ms Anele": the surname, which short_names ties to the full name
            while tokens and (tokens[-1][2] in MONTHS or tokens[-1][2] in WEEKDAYS):
                tokens = tokens[:-1]
            suffix = _NAME_SUFFIX.match(text, tokens[-1][1], s.end) if len(tokens) > 1 else None
            if suffix and text[tokens[-1][1]] == ",":
                tokens.append((suffix.start(1), suffix.end(1), suffix.group(1)))     # "Teofilo Garcia, Jr."
            if tokens and text[tokens[-1][1]:tokens[-1][1] + 1] == "." and \
                    f"{tokens[-1][2].lower()}." in self.title_abbreviations:
                tokens = tokens[:-1]         # "Col." before "Naw Bu": a title, not a name
            if len(tokens) == 1 and "-" in tokens[0][2] and all(
                    fold(part) in self.forms or fold(part) in self.demonyms or fold(part) in _COMBINING_FORMS
                    for part in tokens[0][2].split("-")):
                continue             # "the Azerbaijan-Armenia border", "Sino-Indian talks": names the lexicons know
            person = self._person_after_body(text, tokens)
            if person is not None:
                # "Head of Odesa Civil-Military Administration Maksym Marchenko": a body, then its head
                found.append(person)
                tokens = tokens[:-len(person.mention.text.split())]
            if tokens and not self._all_demonyms(tokens):
                if (tokens[0][0], tokens[-1][1]) == agency:
                    cand = self._make(*agency, text, _join(text, tokens), "Organization", "dateline-agency")
                else:
                    cand = self._classify(text, s, tokens)
                if cand:
                    found.append(cand)
                if (not cand or self.learn_from_typed) and not tokens[0][2][0].isdigit():
                    titled = []
                    if not cand and len(tokens) > 1 and tokens[-2][2].lower() in self.titles and \
                            not _OF.search(text, tokens[-2][1], tokens[-1][0]):
                        # "Defense Minister Hamada": a lone surname after a title, which short_names
                        # ties to the full name when the article gives it
                        titled = [Cue("title-before", f"after the title '{tokens[-2][2]}'")]
                        tokens = tokens[-1:]
                    start, end = tokens[0][0], tokens[-1][1]
                    words = [t[2] for t in tokens]
                    cues = titled + self.evidence.cues(text, s.start, s.end, start, end, words)
                    initial = not _WORD_CHAR.search(text, s.start, start)
                    weak.append(_Weak(s.index, start, end, name_key(text[start:end]), tuple(cues), initial,
                                      typed=cand is not None))
        return found

    def _person_after_body(self, text: str, tokens: list[tuple[int, int, str]]) -> Candidate | None:
        """The person a run ends with, after the body it heads: "Head of Odesa Civil-Military
        Administration Maksym Marchenko" (the body ends with an organisation's or a unit's head
        word), or after a place the lexicons know ("... in Kosovo Caroline Ziade"); the person's
        name begins with a given name."""
        words = [t[2] for t in tokens]
        place = self.forms.get(fold(words[0])) if words else None
        if 3 <= len(words) <= 4 and place is not None and place.kind in ("name", "capital") and \
                place.entry.type in ("Country", "Place") and name_key(words[1]) in self.evidence.given_names and \
                not any(w.lower() in self.titles or w in self.unit_heads or w in self.org_heads for w in words[1:]):
            # "the UN mission in Kosovo Caroline Ziade": a place the lexicons know, then a person
            return self._person(text, tokens[1:], "title-person")
        heads = [j for j, w in enumerate(words[:-1]) if w in self.org_heads or w in self.unit_heads]
        if not heads or not any(w.lower() in self.titles for w in words[:heads[-1]]):
            return None
        tail = tokens[heads[-1] + 1:]
        if not 2 <= len(tail) <= 3 or name_key(tail[0][2]) not in self.evidence.given_names:
            return None
        return self._person(text, tail, "title-person")

    def _runs(self, text: str, s: Sentence) -> list[tuple[int, int]]:
        """Spans of capitalised runs; two runs joined by "and" are one name when it reads as an
        organisation's ("Bureau of Fisheries and Aquatic Resources", "... and Event Data Project")
        or when the acronym after it spells both."""
        spans = [m.span() for m in _SEQUENCE.finditer(text, s.start, s.end)]
        out: list[tuple[int, int]] = []
        bracketed = set()
        for i in range(1, len(spans) - 1):
            # "the Iraqi Counter-Terrorism (CT) Service": initials in brackets inside an organisation's name
            (_, left_end), _, (c, d) = spans[i - 1], spans[i], spans[i + 1]
            initials = _BRACKETED_INITIALS.fullmatch(text, left_end, c)
            # but "the Armed Forces of the Philippines (AFP) Western Mindanao Command": initials that
            # spell the whole name before them close it
            if initials and text[c:d].split()[-1] in self.org_heads and \
                    _initials(text[spans[i - 1][0]:left_end]) != initials.group(1):
                bracketed.add(i)
        for i, span in enumerate(spans):
            if i in bracketed:
                continue
            if i - 1 in bracketed and out:
                out[-1] = (out[-1][0], span[1])
                continue
            if out and _AND.fullmatch(text, out[-1][1], span[0]):
                left = [w for w in text[out[-1][0]:out[-1][1]].split() if w not in LEADING_WORDS]
                right = text[span[0]:span[1]].split()
                # or when the initials in brackets after it spell the whole: "Armed Conflict
                # Location and Event Data (ACLED)"
                acronym = _ACRONYM_AFTER.match(text, span[1], span[1] + 16)
                if (left and left[0] in self.org_starts) or right[-1] in self.org_heads or (
                        acronym and _initials(text[out[-1][0]:span[1]]) == acronym.group(1)):
                    out[-1] = (out[-1][0], span[1])
                    continue
            if out and _IN_THE.fullmatch(text, out[-1][1], span[0]):
                # "Front for Change and Concord in Chad", "Movement for Unity and Jihad in West Africa":
                # an organisation's name "X for/of Y" goes on with the country it is in
                left = text[out[-1][0]:out[-1][1]]
                country = self.forms.get(fold(text[span[0]:span[1]]))
                if left.split()[0] in self.org_starts and re.search(r"[ \t](?:for|of)[ \t]", left) and \
                        country is not None and country.entry.type in ("Country", "Place") and country.kind == "name":
                    out[-1] = (out[-1][0], span[1])
                    continue
            out.append(span)
        return out

    def _all_demonyms(self, tokens: list[tuple[int, int, str]]) -> bool:
        return all(all(part in self.demonyms for part in fold(t[2]).split()) for t in tokens)

    def _classify(self, text: str, s: Sentence, tokens: list[tuple[int, int, str]]) -> Candidate | None:
        words = [t[2] for t in tokens]
        start, end = tokens[0][0], tokens[-1][1]
        before = text[max(s.start, start - 120):start]      # bounded windows: linear in the sentence
        after = text[end:min(s.end, end + 120)]
        prev_word = (_WORD_OR_DOT.findall(before, max(0, len(before) - 40)) or [""])[-1]
        # a title inside the sequence ("Defense Secretary Lloyd Austin") or just before it
        headed = words[-1] in self.org_heads or _ends_with(words, self.unit_heads) or words[-1] in self.place_heads
        title_at = max((i for i, w in enumerate(words) if w.lower() in self.titles), default=-1)
        while 0 <= title_at < len(words) - 3 and words[title_at + 1] in self.title_objects:
            title_at += 1                    # "Secretary of State Antony Blinken"
        if title_at >= 0 and title_at < len(words) - 1 and not headed:
            return self._person(text, tokens[title_at + 1:], "title-person")
        if 0 <= title_at < len(words) - 1 and headed and \
                re.match(r"\s+of\s+(?:the\s+)?$", text[tokens[title_at][1]:tokens[title_at + 1][0]]):
            return self._classify(text, s, tokens[title_at + 1:])     # "Director General of the Ministry of Health"
        if title_at < 0 and prev_word.lower() in self.titles and _looks_like_name(words) and not headed:
            return self._person(text, tokens, "title-person")
        unit = _LOWER_UNIT_HEAD.match(after)
        numbered = unit and _NUMBER_BEFORE.search(before)
        ordinal = next((t[0] for t in tokens[:-1] if _ORDINAL.fullmatch(t[2])), None) if unit else None
        if (numbered or ordinal is not None) and unit and fold(words[-1]) not in self.demonyms \
                and fold(words[-1]) not in self.forms:
            # "the 16 Bihar regiment", "the 3rd Garhwal battalion": a numbered unit with its head in lower case
            first = ordinal if ordinal is not None else start - len(numbered.group(0))
            return self._make(first, end + unit.end(), text, text[first:end + unit.end()], "MilitaryUnit", "unit-head")
        if ("alias" in before or "certain" in before or "aka" in before or " as " in before) and \
                _looks_like_name(words) and len(words) <= 4 and not headed and (
                _NICKNAMED.search(before) or _IDENTIFIED_AS.search(before)):
            # "alias Moktar", "a certain Budah", "civilians identified as Jakosalem Ahamad Blas and Faizal Ahidji"
            return self._make(start, end, text, _join(text, tokens), "Person", "role-person")
        lower_after = after.lower()
        base = self._base_head.match(lower_after)
        if base:
            if fold(_join(text, tokens)) in self.forms:
                return None      # a known city with bases: the city stays the place
            label = f"{_join(text, tokens)} {base.group(1)}"
            return self._make(start, end + len(base.group(0)), text, label, "MilitaryBase", "base-head")
        hm = self._place_head_lower.match(after)
        if hm is None and (pair := _AND_NAME.match(after)):
            # "Abidjan's Cocody and Plateau districts": the head the pair shares
            hm = self._place_head_lower.match(after, pair.end())
            hm = hm if hm and hm.group(1).endswith("s") else None
        if hm and _ARTICLE_OR_ADVERB_BEFORE.search(before):
            hm = None            # "an Islamic state", "the mostly Muslim region": a description, not a name
        if hm:
            head = hm.group(1)
            # "Kursk region" is not the city of Kursk; "the Darfur region" is Darfur
            keep_head = head in ("region", "oblast", "province", "krai", "district", "peninsula") and \
                name_key(_join(text, tokens)) in self.evidence.cities
            label = _join(text, tokens) + (f" {head}" if keep_head else "")
            stop = end + len(hm.group()) if keep_head else end
            if (fold(_join(text, tokens)) in self.forms):
                return None      # the lexicon knows the name itself ("Yakutia regions")
            return self._make(start, stop, text, label, "Place", "place-head")
        if _ends_with(words, self.unit_heads) and (len(words) > 1 or words[0][0].isdigit()):
            number = _UNIT_NUMBER_BEFORE.search(before)
            # "21 Special Armoured Brigade", "202 Tank Battalion"; but "20 Indian Army soldiers" counts
            # soldiers of the nation's army
            if number and not words[0][0].isdigit() and fold(words[0]) not in self.demonyms \
                    and fold(words[0]) not in self.forms:
                start -= len(number.group(0))
            return self._make(start, end, text, text[start:end], "MilitaryUnit", "unit-head")
        if 2 <= len(words) <= 3 and words[-1] in _COMPASS and name_key(words[0]) not in self.evidence.given_names \
                and not any(w in self.org_heads or w in self.unit_heads for w in words):
            # "the Middle East", "the Deep South", "the Far East": a region, not a person ("Allen West")
            if len(tokens) == 3 and (fold(words[0]) in self.demonyms or words[0] in _FAITHS):
                tokens = tokens[1:]          # "Thailand's predominantly Muslim Deep South": the region
            return self._make(tokens[0][0], end, text, _join(text, tokens), "Place", "place-head")
        if words[0] in self.place_starts and len(words) > 1 and words[1] not in self.org_heads:
            return self._make(start, end, text, _join(text, tokens), "Place", "place-head")
        adjective = len(words) == 2 and (words[0].endswith("ic") or fold(words[0]) in self.demonyms)
        if words[-1] in self.place_heads and len(words) > 1 and not adjective:      # "Islamic State" is no state
            bare = text[start:tokens[-2][1]]
            if words[-1] in ("State", "Region", "Province", "Governorate") and name_key(bare) not in self.evidence.cities:
                return self._make(start, end, text, bare, "Place", "place-head")     # "North Darfur State" is North Darfur
            return self._make(start, end, text, _join(text, tokens), "Place", "place-head")
        heads = self.org_heads
        if (len(words) > 1 and any(w in heads for w in words[1:])) or (
                words[0] in self.org_starts and (len(words) > 2 or re.search(r"\s(?:of|for)\s", text[start:end]))):
            owner = _OWNER_BEFORE.search(before)
            # a two-word generic name ("Foreign Ministry") is only one country's: keep the country
            generic = len(words) == 2 and fold(_join(text, tokens)) not in self.forms
            if generic and owner and (fold(owner.group(1)) in self.demonyms or
                          getattr(self.forms.get(fold(owner.group(1))), "entry", None) is not None and
                          self.forms[fold(owner.group(1))].entry.type == "Country"):
                start = start - len(before) + owner.start()        # keep the country in the name
            return self._make(start, end, text, text[start:end], "Organization", "org-head")
        if self._org_cue.search(before):
            return self._make(start, end, text, _join(text, tokens), "Organization", "org-cue")
        person_next = _AND_PERSON_AFTER.match(after)
        if _looks_like_name(words) and 2 <= len(words) <= 3 and person_next and \
                name_key(person_next.group(1)) in self.by_type.get("Person", {}) and not any(w in heads for w in words):
            return self._person(text, tokens, "coordinated-person")    # "Andrii Sybiha and Lloyd Austin met"
        if _looks_like_name(words) and 2 <= len(words) <= 3 and _WHO_AFTER.match(after) \
                and not any(w in heads or w in self.unit_heads for w in words):
            return self._person(text, tokens, "role-person")
        if self._base_kind.match(after):
            return self._make(start, end, text, _join(text, tokens), "MilitaryBase", "base-apposition")
        if self._place_kind.search(before) and \
                not any(fold(w) in self.demonyms for w in words):
            return self._make(start, end, text, _join(text, tokens), "Place", "place-kind")
        if _looks_like_name(words) and len(words) >= 2 and self._role_after.match(after):
            return self._person(text, tokens, "role-person")
        if (prev_word.lower() in self.place_prepositions and len(words) <= 3
                and not any(fold(w) in self.demonyms for w in words) and not words[0].isupper()
                and not words[0][0].isdigit()):
            return self._make(start, end, text, _join(text, tokens), "Place", "place-preposition")
        return None

    def _person(self, text: str, tokens: list[tuple[int, int, str]], rule: str) -> Candidate | None:
        while len(tokens) > 2 and fold(tokens[0][2]) in self.forms:
            tokens = tokens[1:]      # "Minister of Foreign Affairs of Turkey Hakan Fidan": the country is no name
        cut = next((i for i in range(1, len(tokens)) if _OF.search(text, tokens[i - 1][1], tokens[i][0])), None)
        if cut is not None:
            tokens = tokens[:cut]    # "Sergeant Montri Prommee of Sai Buri police": where he serves is no name
        words = [t[2] for t in tokens]
        if not _looks_like_name(words) or len(words) > 4:
            return None
        if len(words) == 1:
            return None      # a lone surname is resolved against full names later (_short_names)
        suffix = _NAME_SUFFIX.match(text, tokens[-1][1])            # "Teofilo Garcia, Jr.", "Carlito Galvez Jr."
        end = suffix.end(1) if suffix else tokens[-1][1]
        label = _join(text, tokens) + (f" {suffix.group(1)}." if suffix and suffix.group(1) in ("Jr", "Sr") else
                                       f" {suffix.group(1)}" if suffix else "")
        return self._make(tokens[0][0], end, text, label, "Person", rule)

    def _make(self, start: int, end: int, text: str, label: str, type_: str, rule: str) -> Candidate:
        # initials in brackets inside a name are another name, not part of it: "... (CT) Service"
        label = re.sub(r"\s+", " ", re.sub(r"\s*\([A-Z]{2,6}\)(?=\s)", "", label)).strip()
        label = _QUOTED_INITIAL.sub(r" \1", label)         # "Néstor Daniel “S”": the initial
        key = name_key(label)
        known = self.by_type.get(type_, {})
        if key not in known and known:
            closest = self.spellings[type_].closest(key)
            if closest is not None and not _adds_a_word(key, closest):
                key, rule = closest, "fuzzy-lexicon"
        entry = self.entries.get(known.get(key, ""))
        if entry is not None:
            label, key = entry.label, name_key(entry.label)
        return Candidate(Mention(start, end, text[start:end], key, label, type_, rule, CONFIDENCE[rule],
                                  wikidata=entry.wikidata if entry else None,
                                  source=f"{entry.file}: {entry.label}" if entry else None), 1)


class _Spellings:
    """The names of one type, for the closest spelling of a name not among them: the first of the
    best ``fuzz.ratio`` at or above FUZZY_THRESHOLD, as ``process.extractOne`` over all of them
    gives it, comparing only the names whose length lets them reach it (the ratio is at most
    100 * (1 - |a - b| / (a + b)) for lengths a and b). Comparing all 1,848 organisation names
    took 210 us a name, 12% of the extraction."""

    def __init__(self, names: Iterable[str]) -> None:
        self._names = list(names)
        self._for_length: dict[int, list[str]] = {}       # filled as lengths come

    def closest(self, key: str) -> str | None:
        candidates = self._for_length.get(len(key))
        if candidates is None:
            candidates = self._for_length[len(key)] = [n for n in self._names if _may_reach(len(key), len(n))]
        best = process.extractOne(key, candidates, scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD)
        return best[0] if best else None


def _adds_a_word(key: str, other: str) -> bool:
    """Whether one name is the other with words added: no respelling but another entity
    ("Defence Ministry" is not "Lao Defence Ministry", one country's)."""
    a, b = key.split(), other.split()
    return len(a) != len(b) and (set(a) <= set(b) or set(b) <= set(a))


def _may_reach(a: int, b: int) -> bool:
    """Whether strings of lengths ``a`` and ``b`` can have a ``fuzz.ratio`` of FUZZY_THRESHOLD."""
    total = a + b
    return total == 0 or 100 * (total - abs(a - b)) >= FUZZY_THRESHOLD * total


def _inside_hyphenated_name(text: str, folded: str, start: int, end: int, forms: dict) -> bool:
    """Is ``text[start:end]`` one part of a hyphenated name whose other part is an unknown
    capitalised word ("RBC-Ukraine")? Two known names ("Israel-Hamas") or a suffix ("Ukraine-based")
    are not."""
    before = re.search(r"([A-Z][\w]*)-$", text[max(0, start - 30):start])
    after = re.match(r"-([A-Z][\w]*)", text[end:end + 30])
    other = before or after
    return other is not None and fold(other.group(1)) not in forms


# "identified the following criminal rings as terrorist organizations: \"Aguilas, Ak47, Choneros, ...\"":
# what a list after its kind names are, whatever they look like
_LIST_OF_KIND = re.compile(r"\b(?P<kind>groups|organi[sz]ations|gangs|rings|cartels|militias|factions|movements|"
                           r"towns|villages|cities|districts|provinces|regions)\b[^.:;\n]{0,80}:[ \t]*[\"“]?")
_LIST_SEPARATOR = re.compile(r"(,[ \t]*(?:and[ \t]+)?|[ \t]+and[ \t]+)")
_LIST_TYPE = {"towns": "Place", "villages": "Place", "cities": "Place", "districts": "Place", "provinces": "Place",
              "regions": "Place"}
_LIST_ITEM = re.compile(r"(?:[A-Z0-9][\w.’'-]*|de|del|la|las|los|el|al)(?:[ \t]+(?:[A-Z0-9][\w.’'-]*|de|del|la|las|"
                        r"los|el|al|[a-z]\.?\d+)){0,3}")


# an embedded post's signature line: "— Name (@handle) Month D, YYYY" (a flag or an emoji,
# or what a page made of it, may stand between the name and the handle)
_POST_SIGNATURE = re.compile(r"(?m)^[ \t]*[—–][ \t]*(?P<name>[^\W\d_][\w'’.&-]*(?:[ \t]+[\w'’.&-]+){0,5}?)"
                             r"[ \t]*(?:[^\w\s(]{1,4}[ \t]*)?\(@\w{1,30}\)")


# "and" and a second name of one to three words, capitalised
_AND_NAME = re.compile(r"\s+and\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2}")


def _listed_names(text: str, sentences, found: list[tuple[int, Mention]]) -> list[tuple[int, Mention]]:
    """The names of a list that follows its kind and a colon, each a name of that kind: the
    list decides, not how each name looks ("Ak47", "R7", "Los p.27" are gangs there)."""
    if ":" not in text:
        return found
    made: list[tuple[int, Mention]] = []
    for kind in _LIST_OF_KIND.finditer(text):
        end = min((i for i in (text.find(c, kind.end()) for c in '"”\n') if i >= 0), default=len(text))
        items = []
        at = kind.end()
        for piece in _LIST_SEPARATOR.split(text[kind.end():end]):
            bare = piece.strip().rstrip(".")
            if bare and not _LIST_SEPARATOR.fullmatch(piece):
                if not _LIST_ITEM.fullmatch(bare) or len(bare) > 40:
                    break
                start = at + piece.index(bare)
                items.append((start, start + len(bare), bare))
            at += len(piece)
        if len(items) < 3:
            continue
        type_ = _LIST_TYPE.get(kind.group("kind"), "Organization")
        for start, end_, name in items:
            made.append((sentence_at(sentences, start), Mention(start, end_, name, name_key(name), name, type_, "listed", CONFIDENCE["listed"])))
    if not made:
        return found
    spans = [(m.start, m.end) for _, m in made]
    kept = [(i, m) for i, m in found if not any(a < m.end and m.start < b for a, b in spans)
            or (m.rule == "lexicon" and m.type == next(x.type for _, x in made if x.start < m.end and m.start < x.end))]
    taken = {(m.start, m.end) for _, m in kept}
    return sorted(kept + [x for x in made if (x[1].start, x[1].end) not in taken], key=lambda x: (x[1].start, x[1].end))


def _parenthetical_aliases(text: str, found: list[tuple[int, Mention]]) -> list[tuple[int, Mention]]:
    """ "Bajo de Masinloc (Scarborough Shoal)", "the Rapid Support Forces (RSF)": the name in
    brackets right after a name is another name of the same entity."""
    out = list(found)
    for i in range(1, len(out)):
        (_, first), (index, second) = out[i - 1], out[i]
        between = text[first.end:second.start]
        bracketed = _OPENING_BRACKET.fullmatch(between) and _CLOSING_BRACKET.match(text, second.end, second.end + 3)
        if first.is_name and second.is_name and first.type != "Country" and first.rule != "dateline-place" and (
                bracketed or _KNOWN_AS.fullmatch(between)):
            out[i] = (index, replace(second, key=first.key, label=first.label, type=first.type,
                                     wikidata=first.wikidata, rule="alias-in-brackets"))
    return out


def _pooled(text: str, key: str, runs: list[_Weak], lower_case_words: set[str]) -> tuple[str, list[Cue]]:
    """A name's label (its longest form) and the cues of all its occurrences in the article."""
    cues = [c for r in runs for c in r.cues] + word_cues(key.split(), lower_case_words)
    if all(r.initial for r in runs):     # "Officials say": a common word, or a name that opens a sentence
        cues.append(Cue("sentence-initial" + (":one-word" if " " not in key else ":words"),
                        "only ever at the start of its sentence"))
    if len(runs) > 1:
        cues.append(Cue("repeated", f"named {len(runs)} times"))
    longest = max((text[r.start:r.end] for r in runs), key=lambda t: (len(t), t))
    return _QUOTED_INITIAL.sub(r" \1", re.sub(r"\s+", " ", longest)), cues


def _alternatives(words: tuple[str, ...]) -> str:
    """A regex alternation of literal words, longest first (so "training ground" beats "training")."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) or "(?!)"


def _initials(name: str) -> str:
    """Example:
        >>> _initials("Bureau of Fisheries and Aquatic Resources")
        'BFAR'
    """
    return "".join(w[0] for w in _CAPITALISED.findall(name))


def _containing(key: str, known: list[Mention], decided: dict[str, tuple]) -> tuple[str, str, str] | None:
    """The one organisation, unit or person of the article whose name begins or ends with the
    words of ``key`` (type, label, key), or None when there is none or more than one."""
    words = key.split()
    hits: dict[str, tuple[str, str, str]] = {}
    for m in known:
        if m.type in ("Organization", "MilitaryUnit", "Person") and m.rule not in ("demonym", "qualifier"):
            other = m.key.split()
            if len(other) > len(words) and (other[:len(words)] == words or other[-len(words):] == words):
                hits[m.key] = (m.type, m.label, m.key)
    for other_key, (type_, label, _score, _cues) in decided.items():
        other = other_key.split()
        if len(other) > len(words) and (other[:len(words)] == words or other[-len(words):] == words):
            hits[other_key] = (type_, label, other_key)
    return next(iter(hits.values())) if len(hits) == 1 else None


def _resolve_overlaps(cands: list[Candidate]) -> list[Mention]:
    chosen: list[Mention] = []
    for c in sorted(cands, key=lambda c: (-(c.mention.end - c.mention.start), c.priority, c.mention.start)):
        m = c.mention
        if not any(o.start < m.end and m.start < o.end for o in chosen):
            chosen.append(m)
    return sorted(chosen, key=lambda m: m.start)


_FUNCTION_WORDS = frozenset("""
in on at to of for from with by and or but that which who whom whose is was are were has have had will
would could should may might can as than since after before during into over under against near amid
said says told stated the a an its their his her this these those also already now not on
did does do been being be yet still then there here when if while because
""".split())


# nouns for people of an institution: "security service officials" still names the service
_MEMBER_NOUNS = frozenset("officials official sources source spokesman spokeswoman spokesperson chief head officers "
                          "agents members officer staff".split())


def _ends_noun_phrase(text: str, end: int, stop: int, verbs: frozenset[str]) -> bool:
    """Does a noun phrase end here? Not if a lower-case word that is neither a function word
    nor a verb follows ("Russian military bases", but "South Korean intelligence confirms")."""
    nxt = re.match(r"[ \t]+([a-z][\w-]*)", text[end:stop])
    if nxt is None:
        return True
    word = nxt.group(1)
    return word in _FUNCTION_WORDS or word in verbs or word.endswith("ed") or word in _MEMBER_NOUNS


def _looks_like_name(words: list[str]) -> bool:
    """Example:
        >>> _looks_like_name(["Abdul", "Malik", "al-Houthi"]), _looks_like_name(["UN", "Council"])
        (True, False)
    """
    return all((w[:1].isupper() and not w.isupper() and not w[:1].isdigit()) or _PARTICLE.fullmatch(w)
               for w in words) and not any((w in MONTHS and len(w) > 3) or w in WEEKDAYS for w in words)


_PARTICLE = re.compile(r"(?:al|el|ad|ar|as|an|bin|ibn)-[A-Z]\w*|[A-Z]\.?")      # and an initial: "D. Parikh", "K Palani"


def _join(text: str, tokens: list[tuple[int, int, str]]) -> str:
    return text[tokens[0][0]:tokens[-1][1]]


def _is_title_case(sentence: str) -> bool:
    """A headline in title case ("China Coast Guard Ships Fire Water Cannons at Philippine
    Vessels"): every word capitalised, so capitals say nothing about names.

    Example:
        >>> _is_title_case("China Coast Guard Ships Fire Water Cannons at Philippine Vessels")
        True
    """
    words = _LATIN_WORD.findall(sentence)
    long_words = [w for w in words if len(w) > 3]
    return len(long_words) >= 5 and sum(w[0].isupper() for w in long_words) / len(long_words) >= 0.9 \
        and not sentence.rstrip().endswith(".")


def _is_shouting(sentence: str) -> bool:
    """An all-capitals line ("JOIN US ON TELEGRAM"): its words are not names or acronyms."""
    # counted by the str methods themselves: a generator over every character of every sentence
    # was 3% of a build
    upper, lower = sum(map(str.isupper, sentence)), sum(map(str.islower, sentence))
    return upper + lower >= 8 and upper / (upper + lower) > 0.8
