"""Numbers a source claims: "some 12,000 troops, according to the NIS".

A number becomes a claim when what it counts is known (``quantity_kinds`` in patterns.toml).
Its claimant is the source the sentence attributes it to ("according to X", "X said",
"citing X", "X's assertion that"), or the previous sentence's source when this sentence
names none; a sentence that names an anonymous source ("some sources", "is said to")
gives a claim without claimant.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from text_to_num import text2num

from kg.extract.rules import ACTOR_TYPES
from kg.lexicon import Lexicons
from kg.model import Claim, Mention, Sentence, TimeExpression

_WORDS = ("zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
          "sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety")
_SCALE = "hundred|thousand|million|billion"
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
# digits ("12,000", "1.5 million"), or number words, which text2num reads ("three hundred and twenty")
_NUMBER = re.compile(
    rf"(?<![\w.,-])(?:(?P<n>\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?)(?P<scale>(?:\s+(?:{_SCALE}))*)"
    rf"|(?P<w>(?:{_WORDS}|(?<![\w-])a\s+(?={_SCALE}))(?:(?:[\s-]+|\s+and\s+|(?<=a\s))(?:{_WORDS}|{_SCALE}))*))(?![\w-])", re.I)
# what a number must not be: a calibre, a percentage, a length of time, an age
_NOT_COUNTS = re.compile(r"^\s*(?:-?mm\b|%|percent|per cent|years?\b|months?\b|weeks?\b|days?\b|hours?\b|"
                         r"nights?\b|mornings?\b|evenings?\b|decades?\b|centur|seconds?\b|"
                         r"minutes?\b|km\b|kilomet|miles?\b|times\b|-year|-day|o'clock|am\b|pm\b|a\.m|p\.m)", re.I)


# a number that tells how many live somewhere ("a city of 1.8 million people", "Niger's 28 million
# inhabitants"): the annotators of news-dev count it as no claim
_POPULATION = re.compile(r"(?:\b(?:country|nation|city|town|state|island|islands|region|province|territory|capital)"
                         r"\s+of|\bpopulation\s+of|\bhome\s+to)\s+(?:some|about|around|roughly|nearly|almost|over|"
                         r"more\s+than|just\s+over|just\s+under|an\s+estimated)?\s*$", re.I)
_INHABITANTS = re.compile(r"(?:\s+(?:million|thousand|billion))?\s+(?:inhabitants|residents)\b", re.I)
# a range of two figures joined by a hyphen or a dash, each read alone ("200-300", "1,000–1,500")
_RANGE = re.compile(r"(?<![\w.,/-])(?P<a>\d{1,3}(?:,\d{3})+|\d+)[ \t]?[-–][ \t]?(?P<b>\d{1,3}(?:,\d{3})+|\d+)(?![\w/-])")
_NUMBERED = re.compile(r"\b([\w-]+)\s+(?:numbered|number|totall?ed|total|stood\s+at|stands\s+at|reached|rose\s+to)\s+"
                       r"(?:over|about|some|around|nearly|almost|at\s+least|more\s+than)?\s*$", re.I)
# a figure alone, with the (empty) groups ClaimFinder._claim reads of a _NUMBER match
_BARE_NUMBER = re.compile(r"(?P<n>\d{1,3}(?:,\d{3})+|\d+)(?P<scale>)(?:(?P<w>(?!)))?")
_AGE_AFTER_NAME = re.compile(r"\s*(?:,|\)|\.|;|\s+(?:and|was|were|is|who|had|has)\b)")
# a count after a fate's verb, with no noun of its own: "and wounded another 100"
_FATE_BEFORE = re.compile(r"\b(killed|wounded|injured|captured|arrested|detained)\s+(?:another|a\s+further|"
                          r"some|about|at\s+least|nearly|over|more\s+than)?\s*$", re.I)
# the largest number read as a count: larger ones are not counts of anything news reports
MAX_COUNT = 10 ** 13


@dataclass(frozen=True)
class Attribution:
    start: int                 # where the cue is, to pick the nearest one to a number
    claimant: str | None       # entity key; None for an anonymous source
    rule: str


def parse_number(text: str) -> int | None:
    """The integer a number phrase stands for.

    Example:
        >>> [parse_number(t) for t in ["12,000", "eight million", "twenty-five", "1.5 million", "three hundred and twenty"]]
        [12000, 8000000, 25, 1500000, 320]
    """
    m = _NUMBER.fullmatch(text.strip())
    if not m:
        return None
    if m.group("w"):
        words = m.group("w").lower().replace("-", " ")
        if words.startswith("a "):
            words = "one " + words[2:]          # "a thousand lives"
        try:
            value = int(text2num(words, "en"))
        except (ValueError, OverflowError):
            return None
        return value if value < MAX_COUNT else None
    digits = m.group("n").replace(",", "")
    if len(digits) > 16:
        return None              # no count is that large: a serial number or garbage
    value = float(digits)
    for scale in m.group("scale").split():
        value *= _SCALES[scale.lower()]
    return int(round(value)) if value < MAX_COUNT else None


class ClaimFinder:
    def __init__(self, lexicons: Lexicons) -> None:
        kinds = lexicons.patterns.get("quantity_kinds", {})
        self.kind_of = {w.lower(): kind for kind, words in kinds.items() for w in words}
        self._kinds = re.compile(r"(?<![\w-])(" + "|".join(
            re.escape(w) for w in sorted(self.kind_of, key=len, reverse=True)) + r")(?![\w-])", re.I)
        self.hedges = sorted(lexicons.words("hedges"), key=len, reverse=True)
        self._speech = re.compile(r"\b(?:" + "|".join(
            re.escape(v) for v in sorted(lexicons.words("speech_verbs"), key=len, reverse=True)) + r")\b")
        self._possessive = re.compile(r"['’]s\s+(?:" + "|".join(
            re.escape(v) for v in lexicons.words("speech_nouns")) + r")\b")
        self._anonymous = re.compile(r"\b(?:" + "|".join(
            re.escape(a.lower()) for a in lexicons.words("anonymous_sources")) + r")\b")
        self.not_counted = frozenset(w.lower() for w in lexicons.words("not_counted"))

    def speakers(self, text: str, sentences: tuple[Sentence, ...],
                 mentions: dict[int, list[Mention]]) -> dict[int, list[Attribution]]:
        """Who says what each sentence says: its attributions (speech verbs and their subjects,
        "according to", a quotation's speaker, the sentence before's source), by sentence index.
        Claims take their claimant from them, and statements their speaker."""
        people = frozenset(m.key for ms in mentions.values() for m in ms if m.type == "Person")
        by_sentence: dict[int, list[Attribution]] = {}
        previous: list[Attribution] = []
        last_claimant: str | None = None
        rubric: str | None = None
        in_quote = False
        for s in sentences:
            ms = mentions.get(s.index, [])
            earlier_actors = tuple(m for i in range(max(0, s.index - 6), s.index) for m in mentions.get(i, [])
                                   if m.type in ACTOR_TYPES and m.is_name)
            cues = self._attributions(text, s, ms, last_claimant, people, earlier_actors)
            if not any(c.claimant for c in cues):
                cues = self._said_by_next(text, sentences, s, mentions, people) or cues
            starts_quoted = in_quote
            in_quote = _still_quoting(s.text, in_quote)
            if not any(c.claimant for c in cues) and (starts_quoted or in_quote):
                # a quotation no sentence attributes, after reported speech ("He said five were
                # killed on July 26. “Yesterday our forces killed two assailants.”"): the same person's
                speaker = self._quote_speaker(text, sentences, s, mentions, people) or \
                    (last_claimant if last_claimant in people else None)
                if speaker:
                    cues = [Attribution(s.start, speaker, "quote-speaker")]
            if not cues and previous and all(c.claimant for c in previous):
                cues = [Attribution(s.start, previous[-1].claimant, "previous-sentence")]
            elif not cues and rubric:
                cues = [Attribution(s.start, rubric, "rubric")]      # the rest of "(Army Times) – ..." is its text
            by_sentence[s.index] = cues
            previous = [c for c in cues if c.rule != "previous-sentence"]     # one sentence back, no chains
            named = [c.claimant for c in cues if c.claimant]
            if named:
                last_claimant = named[-1]
            rubric = next((c.claimant for c in cues if c.rule == "rubric"), rubric)
        return by_sentence

    def find(self, text: str, sentences: tuple[Sentence, ...], mentions: dict[int, list[Mention]],
             dates: dict[int, list[TimeExpression]],
             speakers: dict[int, list[Attribution]] | None = None) -> list[Claim]:
        """The numbers the sentences attribute, each with its claimant (``speakers``: what
        :meth:`speakers` gives for them, computed here when not given)."""
        if speakers is None:
            speakers = self.speakers(text, sentences, mentions)
        claims: list[Claim] = []
        for s in sentences:
            ms = mentions.get(s.index, [])
            cues = speakers.get(s.index, [])
            in_sentence: list[Claim] = []
            for m in _NUMBER.finditer(text, s.start, s.end):
                claim = self._claim(text, s, m, ms, dates.get(s.index, []), cues, in_sentence,
                                    claims[-1] if claims and claims[-1].sentence >= s.index - 2 else None)
                if claim:
                    in_sentence.append(claim)
            claims += in_sentence + self._hyphenated(text, s, ms, cues) + \
                self._ranges(text, s, ms, dates.get(s.index, []), cues, in_sentence)
        return _without_repeats(claims)

    def _ranges(self, text: str, s: Sentence, ms: list[Mention], dates: list[TimeExpression],
                cues: list[Attribution], earlier: list[Claim]) -> list[Claim]:
        """ "killed between 200-300 civilians": a range gives both its figures, of the kind the
        second is said of."""
        out: list[Claim] = []
        if "-" not in s.text and "–" not in s.text:
            return out
        for r in _RANGE.finditer(text, s.start, s.end):
            claim = self._claim(text, s, _BARE_NUMBER.match(text, r.start("b")), ms, dates, cues, earlier, None)
            low = parse_number(r.group("a"))
            if claim is None or low is None or low >= claim.quantity:
                continue        # no count, or no range ("2003-04", "1-0")
            if not any(c.start == r.start("a") for c in earlier):      # "5,000–6,000": read already
                out.append(replace(claim, quantity=low, start=r.start("a"), end=r.end("a"), text=r.group("a")))
            out.append(claim)
        return out

    def _said_by_next(self, text: str, sentences: tuple[Sentence, ...], s: Sentence,
                      mentions: dict[int, list[Mention]], people: frozenset[str]) -> list[Attribution]:
        """ "12 people have died in Kassala. This was said yesterday by Haitham Mohamed Ibrahim": the
        next sentence names who said this one."""
        if s.index + 1 >= len(sentences):
            return []
        nxt = sentences[s.index + 1]
        if _AUTHORITIES_SAID.search(s.text):
            # "Forty-four people were killed, authorities said. ..., according to the Interior
            # Ministry": the wire's next sentence names which authority
            source = re.search(r"\baccording to (?:the\s+)?", nxt.text)
            who = source and next((m for m in mentions.get(nxt.index, []) if m.type in ("Organization", "MilitaryUnit")
                                   and m.is_name and m.start == nxt.start + source.end()), None)
            if who:
                return [Attribution(s.start, who.key, "named-next")]
        unnamed = _UNNAMED_SPEAKER.search(s.text)
        if unnamed:
            # "a military spokesman said on Tuesday. ... Felix Kulayigye, the military spokesman, was
            # quoted": the next sentence names the speaker beside the same role
            role = unnamed.group("role").lower()[:6]
            who = next((m for m in mentions.get(nxt.index, []) if m.type == "Person" and m.is_name and (
                role in text[max(nxt.start, m.start - 40):m.start].lower() or
                role in text[m.end:min(nxt.end, m.end + 40)].lower())), None)
            if who:
                return [Attribution(s.start, who.key, "named-next")]
        hit = re.match(r"(?:This|That|It|These figures|The figures?)\s+(?:was|were)\s+(?:said|stated|announced|reported|"
                       r"confirmed|given)\s+(?:\w+\s+){0,2}by\s+", nxt.text)
        if not hit:
            return []
        who = next((m for m in mentions.get(nxt.index, []) if m.type in ACTOR_TYPES and m.is_name
                    and m.start == nxt.start + hit.end()), None)
        return [Attribution(s.start, who.key, "said-by-next")] if who else []

    def _quote_speaker(self, text: str, sentences: tuple[Sentence, ...], s: Sentence,
                       mentions: dict[int, list[Mention]], people: frozenset[str]) -> str | None:
        """ "“We took two pickups. We destroyed four vehicles,” Abu Musab told Reuters.": a sentence
        inside a quotation is said by whoever the sentence that closes it names."""
        for later in sentences[s.index:s.index + 6]:
            # (the sentence itself may close it: past its first character, which may open it)
            close = _QUOTE_MARK.search(later.text, 1 if later is s else 0)
            if close is None:
                continue
            if close.group(0) == "“":
                return None       # another quotation opens before this one is closed and attributed
            after = later.start + close.end()
            cues = [c for c in self._attributions(text, later, mentions.get(later.index, []), None, people)
                    if c.claimant and c.start >= after and c.rule == "speech-verb"]
            return cues[0].claimant if cues else None
        return None

    def _claim(self, text: str, s: Sentence, m: re.Match, ms: list[Mention], dates: list[TimeExpression],
               cues: list[Attribution], earlier: list[Claim], previous: Claim | None) -> Claim | None:
        start, end = m.span()
        if any(t.start <= start < t.end for t in dates) or any(x.start <= start < x.end for x in ms):
            return None          # part of a date, or of a name ("11th Corps")
        measured = _flight_measure(text, s, start, end)
        if measured is None and (_NOT_COUNTS.match(text[end:end + 12]) or re.fullmatch(r"(?:19|20)\d\d", m.group(0))):
            return None
        if text[end:end + 1] == "/" or text[start - 1:start] == "/":
            return None          # "8/9 January", "24/7": a date or a ratio
        if m.group("w") and m.group(0)[0].isupper() and re.search(r"\b[A-Z][\w.]*\s+$", text[s.start:start]):
            return None          # a number word inside a name: "BBC Four", "League One", "Air Force One"
        value = parse_number(m.group(0))
        if value is None or (m.group(0).lower() == "one" and (
                re.search(r"\b(?:no|any|every|some|the)\s+$", text[max(s.start, start - 6):start], re.I)
                or re.match(r"\s+(?:of|another|side|day|way|time)\b", text[end:end + 10])
                or re.match(r"\s+[a-z]+ing\b", text[end:end + 16]))):
            return None          # "no one was hurt", "one of its vessels", "with one reporting 138 wounded"
        if _POPULATION.search(text, max(s.start, start - 40), start) or _INHABITANTS.match(text, end):
            return None          # "a city of 1.8 million people": how many live there, no one's count
        if m.group("n") and _AGE_AFTER_NAME.match(text, end) and \
                any(x.type == "Person" and x.end <= start and re.fullmatch(r",\s*", text[x.end:start]) for x in ms):
            return None          # "Sepoy Hasnain Ishtiaq, 34, and Sepoy Inayat Ullah, 27,": ages
        definite = re.search(r"\b(?:the|these|those|both)\s+$", text[max(s.start, start - 8):start], re.I)
        kind = measured or self._kind(text, start, end, s.end) or (None if definite else self._plural_noun(text, end, s.end))
        if kind is None:
            # a number word counts only as a list goes on: "25 drones in Rostov and eight in Volgograd",
            # "six drones, three of which"
            listed = bool(earlier) and re.search(r"(?:,|\band)\s+$", text[max(s.start, start - 6):start]) or \
                re.match(r"\s+(?:of which|of them|in|over|near)\b", text[end:end + 12])
            if not m.group("n") and not (earlier and listed):
                return None
            fate = _FATE_BEFORE.search(text, max(s.start, start - 30), start)
            if fate and earlier:
                kind = fate.group(1).lower()    # "killed 100 soldiers and wounded another 100"
            elif earlier:
                kind = earlier[-1].kind      # "... 1,500 troops, and the total could rise to 12,000"
            elif previous and re.search(r"\b(?:number|total|figure|tally|count|estimate)\b", text[s.start:start], re.I):
                kind = previous.kind         # "... 10,000 troops. The Pentagon put the number at 12,000."
            else:
                return None
        return self._made(text, s, start, end, value, kind, ms, cues)

    def _made(self, text: str, s: Sentence, start: int, end: int, value: int, kind: str, ms: list[Mention],
              cues: list[Attribution]) -> Claim:
        """The claim of ``value`` ``kind`` at [start, end), given to the nearest source cue."""
        hedge = self._hedge(text[max(s.start, start - 25):start])
        before = [c for c in cues if c.start < start]
        cue = max(before, key=lambda c: c.start) if before else min(cues, key=lambda c: c.start - start, default=None)
        about = next((x.key for x in ms if x.start >= end and x.start - end < 40 and x.type in ACTOR_TYPES), None)
        conf = 0.9 if cue and cue.rule not in ("previous-sentence",) else 0.7
        return Claim(quantity=value, kind=kind, sentence=s.index, start=start, end=end, text=text[start:end],
                     claimant=cue.claimant if cue else None, hedge=hedge, about=about,
                     rule=cue.rule if cue else "unattributed", confidence=conf)

    def _hyphenated(self, text: str, s: Sentence, ms: list[Mention], cues: list[Attribution]) -> list[Claim]:
        """Counts written as adjectives or as a vote: "a 300-strong force" (300 troops), "the
        15-member body", "a 57-page report", "lawmakers voted 325-184" (votes for and against)."""
        out = []
        for m in _HYPHEN_COUNT.finditer(text, s.start, s.end):
            value = parse_number(m.group("n"))
            if value is not None:
                kind = {"strong": "troops", "member": "members", "page": "pages"}[m.group("what").lower()]
                out.append(self._made(text, s, m.start("n"), m.end("n"), value, kind, ms, cues))
        for m in _VOTE.finditer(text, s.start, s.end):
            for group, kind in (("yes", "votes for"), ("no", "votes against")):
                value = parse_number(m.group(group))
                if value is not None:
                    out.append(self._made(text, s, m.start(group), m.end(group), value, kind, ms, cues))
        return out

    def _kind(self, text: str, start: int, end: int, stop: int) -> str | None:
        """What is counted: the last kind word of the run that follows the number within a few
        words ("13,000 weapons containers" counts containers); "were killed" after it wins."""
        window = text[end:min(stop, end + 90)]
        run: list[re.Match] = []
        pos = 0
        for k in self._kinds.finditer(window):
            gap = _INITIALS.sub("X", window[pos:k.start()])       # "1,000 U.S. Marines": the dots are a name's
            words = re.findall(r"[\w’'-]+", gap)
            if run and (words or re.search(r"[,;:.()]", gap)):
                break
            # the first kind word follows the number itself: "live until 85, men until 78" and
            # "3 towns, 12 vehicles" count no men and no towns-as-vehicles
            if not run and (len(words) > 4 or re.search(r"[;:.(),/]", gap)):
                break
            run.append(k)
            pos = k.end()
        if not run:
            # "10 were injured": no noun, but what happened to them says what is counted
            fate = re.match(r"\s+(?:were|was|are|is|have been|had been|remain)\s+(?:\w+ly\s+)?(killed|injured|wounded|"
                            r"captured|held|detained|arrested|abducted|kidnapped|displaced|missing)\b", window.lower())
            if fate:
                return self.kind_of.get(fate.group(1), fate.group(1))
            # "an airstrike killed nearly 40 at Tajoura": the verb before the number says what is counted
            verb = re.search(r"\b(killed|wounded|injured|kill|killing|wounding)\s+(?:at least\s+|nearly\s+|some\s+|about\s+|"
                             r"around\s+|more than\s+|over\s+|almost\s+)?$", text[max(0, start - 30):start].lower())
            if verb and not re.match(r"\s*(?:of|per|percent|%)", window):
                return self.kind_of.get(verb.group(1), "killed" if verb.group(1).startswith("kill") else "injured")
            # "rebel casualties numbered over 1,000", "the dead totalled 40": the noun before its verb
            counted = _NUMBERED.search(text, max(0, start - 60), start)
            if counted and (k := self._kinds.fullmatch(counted.group(1))):
                return self.kind_of[k.group(0).lower()]
            # "the death toll was between 385,000 and over 600,000", "a death toll of 23"
            return "killed" if _DEATH_TOLL.search(text[max(0, start - 90):start].lower()) else None
        after = window[pos:pos + 60].lower()
        fate = re.match(r"\s+(?:\w+\s+){0,3}?(?:were|was|have been|had been|are|being)\s+(?:\w+ly\s+)?"
                        r"(killed|dead|injured|wounded|captured)\b", after)
        if fate:
            return self.kind_of.get(fate.group(1), fate.group(1))
        if re.search(r"\b(?:death|deaths|killing)\s+of\s+$", text[max(0, start - 30):start].lower()):
            return "killed"
        return self.kind_of[run[-1].group(0).lower()]

    def _plural_noun(self, text: str, end: int, stop: int) -> str | None:
        """ "three trips": a plural noun right after the number (one adjective may come between, or
        the name of whom they serve: "122 Wagner operatives"); "35,000 Palestinians": people of a nation."""
        if re.match(r"\s+(?:more\s+|other\s+)?[A-Z][a-z]+(?:ans|ians|ese|is|ers)\b(?![ \t]+[a-z]{3,}s\b)",
                    text[end:stop]):
            return "people"
        m = re.match(r"\s+(?:more\s+|other\s+|new\s+|separate\s+)?(?:[A-Z][\w'’-]+[ \t]+){0,2}([a-z]{3,}s)\b",
                     text[end:stop])
        if m and m.group(1) not in self.not_counted and not m.group(1).endswith("ss"):
            return m.group(1)
        return None

    def _hedge(self, before: str) -> str | None:
        low = before.lower().rstrip()
        for h in self.hedges:
            if low.endswith(h) and (len(low) == len(h) or not low[-len(h) - 1].isalnum()):
                return h
        return None

    def _attributions(self, text: str, s: Sentence, ms: list[Mention], last: str | None,
                      people: frozenset[str], earlier_actors: tuple[Mention, ...] = ()) -> list[Attribution]:
        sent = text[s.start:s.end]
        low = sent.lower()
        # "Armenian officials said": the officials speak for their country
        actors = [m for m in ms if m.type in ACTOR_TYPES and m.rule != "qualifier" and (
            m.is_name or m.rule == "home-institution" or _OFFICIALS.match(text, m.end))
                  and not _ONE_SOURCE.match(text, m.end)]
        cues: list[Attribution] = []
        anonymous_spans = []
        for hit in self._anonymous.finditer(low):
            cues.append(Attribution(s.start + hit.start(), None, "anonymous"))
            anonymous_spans.append(hit.span())
        for hit in re.finditer(r"\b(?:according to|citing|cited by|said by|as (?:highlighted|stated|reported|noted|"
                               r"announced|confirmed|indicated) by)\s+(?:the\s+|an?\s+)?(?:(?:\w+\s+)?"
                               r"(?:report|reports|statement|assessment|estimate|estimates|study|analysis|briefing|"
                               r"information|data|figures|count|tally|records|sources|intelligence|statistics|numbers|"
                               r"survey|monitoring|research|tracking|documents?)\s+(?:by|from|of)\s+"
                               r"(?:the\s+)?)?", low):
            after = s.start + hit.end()
            # "according to the conflict tracking organisation ACLED": a description in lower case
            # may stand between the cue and the name
            described = re.match(r"(?:[a-z][\w-]*\s+){1,5}", text[after:s.end])
            who = next((m for m in actors if after - 1 <= m.start <= after + 12
                        or text[m.start:after].lower() == "the "      # "according to the Pentagon"
                        or (described and m.start == after + described.end())), None)
            if who is None and re.match(r"(?:same source|it|them|him|her)\b", low[hit.end():]):
                cues.append(Attribution(s.start + hit.start(), last, "same-source"))
            elif who is None and (body := _definite_subject(
                    text, s, after + len(re.match(r"\w*", low[hit.end():]).group(0)),
                    earlier_actors + tuple(a for a in actors if a.end <= after))):
                cues.append(Attribution(s.start + hit.start(), body.key, "according-to"))   # "according to the military"
            elif who:
                rule = "citing" if "citing" in hit.group(0) else "according-to"
                cues.append(Attribution(s.start + hit.start(), who.key, rule))
        rubric = _RUBRIC.match(text, s.start, s.end)
        if rubric and (who := next((m for m in actors if rubric.start(1) <= m.start < rubric.end(1)), None)):
            cues.append(Attribution(s.start, who.key, "rubric"))   # "(Army Times) – Georgia has 2,000 troops"
        for hit in self._speech.finditer(sent):
            if any(a <= hit.start() < b for a, b in anonymous_spans):
                continue          # "is said to": the verb of an anonymous source
            verb_at = s.start + hit.start()
            # "told the UN Conference on Disarmament": whom it was told, not who spoke
            inverted = None if hit.group(0).lower() in ("told", "tells", "telling") else \
                _inverted_subject(text, actors, s.start + hit.end())
            who = _subject(text, actors, verb_at) or inverted or \
                _definite_subject(text, s, verb_at, earlier_actors + tuple(a for a in actors if a.end <= verb_at)) or \
                _state_office(text, ms, verb_at)
            if who:
                cues.append(Attribution(verb_at, who.key, "speech-verb"))
            elif speaker := _pronoun_speaker(text, s, verb_at, last, people, earlier_actors):
                cues.append(Attribution(verb_at, speaker, "pronoun-speaker"))     # "He said"
            elif last and last not in people and re.search(r"\b(?:it|they)\s+(?:also\s+|later\s+)?$",
                                                             text[max(s.start, verb_at - 14):verb_at], re.I):
                cues.append(Attribution(verb_at, last, "pronoun-speaker"))     # "it said", "they said": the last body quoted
            else:
                cues.append(Attribution(verb_at, None, "unknown-speaker"))
        for hit in self._possessive.finditer(sent):
            at = s.start + hit.start()
            who = next((m for m in actors if m.end == at), None)
            if who:
                cues.append(Attribution(at, who.key, "possessive"))
        # a cited source outranks the outlet relaying it ("Yonhap reported, citing the NIS")
        if any(c.rule == "citing" for c in cues):
            cues = [c for c in cues if c.rule != "speech-verb" or c.claimant is None]
        # a speech verb without a speaker we know still says "someone else's number" (no
        # inheritance from the previous sentence), unless the sentence names a source too
        resolved = [c for c in cues if c.rule != "unknown-speaker"]
        return resolved or cues


_INITIALS = re.compile(r"\b(?:[A-Z]\.){2,}")
# a paragraph opened by its source in brackets: "(Army Times) – Georgia has about 2,000 troops"
_RUBRIC = re.compile(r"[ \t]*\(([^()\n]{2,40})\)[ \t]*[–—-][ \t]")
_UNNAMED_SPEAKER = re.compile(r"\b(?:[Aa]n?|[Tt]he)\s+(?:[\w-]+\s+){0,2}(?P<role>official|spokesman|spokeswoman|"
                              r"spokesperson)\b[^.;]{0,40}?\b(?:said|says|told|announced)\b")
_AUTHORITIES_SAID = re.compile(r"\b(?:authorities|officials|the government)\b[^.;]{0,60}?\b(?:said|say|says|reported|announced)\b")
# "the CT Service on Saturday announced": a day between the speaker and the verb
_DAY_SAID = re.compile(r"(?<=\s)on\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
                       r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2})(?=\s)")
_OFFICIALS = re.compile(r"\s+(?:officials|authorities|government|officers|sources|military sources|"
                        r"security sources|diplomats|state media)\b")
# "a Somali military official said": one unnamed person of an institution, not the institution
_ONE_SOURCE = re.compile(r"\s+(?:source|official|officer|commander)\b(?!\s+[A-Z])")
_FATES = ("killed", "injured", "captured")
_DEATH_TOLL = re.compile(r"\b(?:death|casualty|civilian)\s+tolls?\s+(?:(?:was|is|has|had|have|been|risen|rose|reached|"
                         r"stood|stands|climbed|jumped|to|at|of|about|around|between|and|over|more|than|nearly|almost|"
                         r"least|some|closer|or|up|now|already|could|be|as|high|many|estimated)\s+|[\d,.]+\s+)*$")


_HYPHEN_COUNT = re.compile(r"(?<![\w.,-])(?P<n>\d{1,3}(?:,\d{3})+|\d+)-(?P<what>strong|member|page)\b", re.I)
_VOTE = re.compile(r"\b(?:voted|vote of|votes? (?:was|were))\s+(?P<yes>\d{1,4})\s*[-–]\s*(?P<no>\d{1,4})\b")
_UNIT = re.compile(r"[ \t]*(?:-[ \t]*)?(km|kilomet(?:er|re)s?|miles|minutes|mins)\b", re.I)
# what a flight's distance, height, range or duration is said with: "flew about 1,000 kilometers",
# "a maximum altitude of 6,000 kilometers", "a range of 15,000 km", "fell 200 km west of", "flew for 69 minutes"
_FLIGHT = re.compile(r"\b(?P<what>flew|flown|flying|travell?ed|flight|altitude|apogee|range|fell|landed|"
                     r"splashed down)\b[^.;]{0,40}$", re.I)

_PROJECTILE = re.compile(r"\b(?:missiles?|rockets?|projectiles?|ICBMs?|IRBMs?|SRBMs?|warheads?|drones?|launch\w*)\b",
                         re.I)


def _flight_measure(text: str, s: Sentence, start: int, end: int) -> str | None:
    """ "The missile flew 1,000 km": a measure of a flight, which missile reports count as figures
    their sources give (the kind says what was measured), or None."""
    unit = _UNIT.match(text, end, min(s.end, end + 14))
    if unit is None:
        return None
    said = _FLIGHT.search(text, max(s.start, start - 60), start)
    if said is None or not _PROJECTILE.search(text, max(0, s.start - 200), s.end):
        return None          # "he flew 300 miles to Paris": a trip, not a launch
    what = said.group("what").lower()
    if unit.group(1).lower().startswith("min"):
        return "minutes of flight" if what in ("flew", "flown", "flying", "flight") else None
    unit_name = "km" if unit.group(1).lower().startswith("k") else "miles"
    if what in ("altitude", "apogee"):
        return f"{unit_name} altitude"
    if what == "range":
        return f"{unit_name} range"
    if what in ("fell", "landed", "splashed down"):
        return f"{unit_name} away" if re.match(r"\s+(?:\w+\s+)?(?:north|south|east|west)\w*\s+of\b|\s+(?:off|from)\b",
                                              text[unit.end():unit.end() + 30], re.I) else None
    return f"{unit_name} flown"


def _still_quoting(sentence: str, quoting: bool) -> bool:
    """Is a quotation open at the end of the sentence, given whether one was open at its start?"""
    if '"' not in sentence and "“" not in sentence and "”" not in sentence:
        return quoting
    for ch in sentence:
        if ch == "“":
            quoting = True
        elif ch == "”":
            quoting = False
        elif ch == '"':
            quoting = not quoting
    return quoting


def _without_repeats(claims: list[Claim]) -> list[Claim]:
    """One claim per number and source in an article: the headline and the lede repeat a figure
    ("Attack Kills 32 Civilians", "At least 32 civilians were killed, according to the army").
    An unattributed number that a source is given for elsewhere in the article is that
    source's; of unattributed repeats, the one that says what happened to them is kept. (One
    sentence may give the same number twice, of two things.)"""
    attributed = {c.quantity for c in claims if c.claimant}
    kept: dict[tuple, Claim] = {}
    for c in claims:
        if c.claimant is None and c.quantity in attributed:
            continue
        key = (c.claimant, c.quantity)
        old = kept.get(key)
        if old is not None and old.sentence == c.sentence and old.kind != c.kind:
            key = (*key, c.kind)        # "killed 100 soldiers and wounded another 100": two counts
            old = kept.get(key)
        if old is None or (c.kind in _FATES and old.kind not in _FATES):
            kept[key] = c
    return sorted(kept.values(), key=lambda c: (c.sentence, c.start))


_DEFINITE = {"ministry": ("Organization",), "agency": ("Organization",), "army": ("MilitaryUnit",),
             "military": ("MilitaryUnit",), "group": ("Organization", "MilitaryUnit"),
             "movement": ("Organization", "MilitaryUnit"), "office": ("Organization",),
             "department": ("Organization",), "service": ("Organization",), "militia": ("MilitaryUnit", "Organization"),
             "committee": ("Organization",), "council": ("Organization",), "network": ("Organization",)}


_HE_OR_SHE_BEFORE = re.compile(r"\b(?:he|she)\s+(?:also\s+|later\s+)?$", re.I)
# what may stand before a speaker who opens a sentence: nothing, or a quote and its comma
_SPEAKER_OPENS = re.compile(r"|[\"“].*[,.?!][\"”]\s*", re.S)


def _pronoun_speaker(text: str, s: Sentence, verb_at: int, last: str | None, people: frozenset[str],
                     earlier: tuple[Mention, ...]) -> str | None:
    """Who "he" or "she" before a speech verb is: the last person quoted; or, where the sentence
    opens with the pronoun (or with its quote), the last person named ("Government spokesman
    Jérôme Niyonzima described a 'cowardly attack'. He said six women...")."""
    pronoun = _HE_OR_SHE_BEFORE.search(text, max(s.start, verb_at - 14), verb_at)
    if pronoun is None:
        return None
    if last in people:
        return last
    if not _SPEAKER_OPENS.fullmatch(text, s.start, pronoun.start()):
        return None
    return next((m.key for m in reversed(earlier) if m.type == "Person"), None)


def _definite_subject(text: str, s: Sentence, verb_at: int, earlier: tuple[Mention, ...]) -> Mention | None:
    """ "The ministry said": the organisation of that kind the article named last."""
    hit = re.search(r"\b[Tt]he\s+(\w+)\s+(?:\w+\s+){0,2}$", text[max(s.start, verb_at - 40):verb_at])
    if not hit or hit.group(1).lower() not in _DEFINITE:
        return None
    noun = hit.group(1).lower()
    for m in reversed(earlier):
        if m.type in _DEFINITE[noun] and (noun in m.label.lower() or noun in ("group", "movement", "military", "army")):
            return m
    return None


_OF_WHERE_HE_SERVES = re.compile(r"\s+(?:of|from)\s+(?:the\s+)?(?:[A-Z][\w'’-]*\s+){1,4}(?:[a-z]+\s+){0,2}")


# "the Kyrgyz Minister of Health", "the Russian Foreign Ministry's spokeswoman", "the Thai prime minister"
_STATE_OFFICE = re.compile(r"\s+(?:(?:[A-Z][a-z]+|[a-z]+)\s+){0,2}(?i:minister|ministry|president|premier|ambassador|"
                           r"envoy|spokes(?:man|woman|person)|government)(?:['’]s\s+spokes(?:man|woman|person))?"
                           r"(?:\s+(?:of|for)(?:\s+(?:and\s+)?[A-Z][\w-]*){1,3})?\s+"
                           r"(?:(?:also|later|then|has|had|on\s+[A-Z]\w+)\s+)?")


def _state_office(text: str, ms: list[Mention], verb_at: int) -> Mention | None:
    """ "the Kyrgyz Minister of Health announced": an office of a state, named by the state's
    demonym and not by the holder's name, speaks for the state ("a Somali official", one
    unnamed person, does not)."""
    demonym = next((m for m in reversed(ms) if m.end <= verb_at), None)
    if demonym is None or demonym.rule != "demonym" or demonym.type != "Country" or \
            text[max(0, demonym.start - 4):demonym.start].lower() != "the " or \
            not _STATE_OFFICE.fullmatch(text, demonym.end, verb_at):
        return None
    return demonym


_QUOTE_MARK = re.compile(r"[“”\"]")
# a person's role in an apposition the writer did not close before the verb
_ROLE_UNCLOSED = re.compile(r",\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,3}?(?i:spokes(?:man|woman|person)|chief|head|director|"
                            r"commander|official|minister|secretary|chairman|president|officer|adviser|advisor)"
                            r"\s+(?:of|for|at|in|with)\s+[^,;.]{0,80}")


def _subject(text: str, actors: list[Mention], verb_at: int) -> Mention | None:
    """The actor just before a speech verb, with at most three lower-case words between, or
    named in an apposition ("the agency, known as HUR, said")."""
    for i, m in enumerate(reversed(actors)):
        if m.end <= verb_at:
            gap = text[m.end:verb_at]
            if re.fullmatch(r"(?:\s*\)?\s*(?:\([^)]{1,12}\))?\s*)(?:[a-z]+\s+){0,3}", _DAY_SAID.sub(" ", gap)):
                earlier = [a for a in actors if a.end <= m.start]
                if earlier and earlier[-1].type == "Person" and re.fullmatch(
                        r"\.?(?:,?\s+(?:Jr|Sr|II|III)\.?)?\s+(?:of|from|for)\s+(?:the\s+)?", text[earlier[-1].end:m.start]):
                    return earlier[-1]      # "Foreign Secretary Teodoro Locsin Jr. of the Philippines said"
                if earlier and earlier[-1].type == "Person" and _ROLE_UNCLOSED.fullmatch(text, earlier[-1].end, m.start):
                    return earlier[-1]      # "Mo'aweya Hassanein, chief of emergency in the ministry of health said"
                return m
            if re.fullmatch(r",\s*who\s+(?:also\s+|later\s+|then\s+|had\s+|have\s+)?", gap):
                # "researchers at the University of Ghent, Belgium, who said": the relative clause's
                # subject, past a country that only locates it
                earlier = [a for a in actors if a.end <= m.start]
                if m.type == "Country" and earlier and re.fullmatch(r",\s*", text[earlier[-1].end:m.start]):
                    return earlier[-1]
                return m
            if re.fullmatch(r",\s*(?:[a-z]+\s+){0,2}", gap) and re.search(
                    r"\b(?:known as|called|also known as|named)\s+$", text[max(0, m.start - 20):m.start]):
                return m
            if m.type == "Person" and re.fullmatch(r",\s*", gap) and re.search(r",\s*$", text[max(0, m.start - 3):m.start]):
                return m         # "spokesman of the navy, Dmytro Pletenchuk, said": the apposition's name speaks
            if m.type == "Person" and _OF_WHERE_HE_SERVES.fullmatch(gap):
                return m         # "Sergeant Montri Prommee of Sai Buri police said"
            # "Naw Bu, spokesman of the Kachin Independence Army, said": the speaker is before
            # the apposition, not the organisation inside it
            if re.fullmatch(r",\s+(?:a|an|the|his|her)?\s*[^,;.]{1,80},\s*(?:[a-z]+\s+){0,2}", gap) and \
                    text[m.end + 1:verb_at].lstrip()[:1].islower():
                return m
            if m.type == "Person" and re.fullmatch(r",\s+(?:[A-Z][\w'’-]*\s+){1,3}(?:of|for|at)\s+[^;.]{1,90}?\s+"
                                                   r"(?:[a-z]+\s+){0,2}", gap):
                return m         # "Ibrahim Khatir, Director General of the Ministry of Health ... recently said"
            if re.fullmatch(r"[^,;.]{0,80},\s*(?:[a-z]+\s+){0,2}", gap) or re.fullmatch(r"[^;.]{0,120}", gap):
                continue         # inside an apposition: look further back
            return None
    return None


def _inverted_subject(text: str, actors: list[Mention], verb_end: int) -> Mention | None:
    """ "..., said the South Korean presidency"; "said African Union envoy, lead mediator in the
    talks, and former Nigerian President Olusegun Obasanjo": an organisation or country before a
    role in lower case describes the person the phrase ends with, who is the speaker."""
    for i, m in enumerate(actors):
        if m.start < verb_end:
            continue
        if not re.fullmatch(r"\s+(?:the\s+)?", text[verb_end:m.start]):
            return None
        if m.type != "Person" and re.match(r"\s+[a-z]", text[m.end:m.end + 2]):
            for later in actors[i + 1:]:
                between = text[m.end:later.start]
                if len(between) > 150 or re.search(r"[.;:\"“”]|\b(?:who|that|which|said|says|told)\b", between):
                    break
                if later.type == "Person":
                    return later
        return m
    return None
