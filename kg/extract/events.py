"""Dated events: a trigger word of an event class (triggers.toml) bound to a date in the
same sentence. Undated happenings are not made events (the claims and evidence keep them):
an analyst's timeline needs a date, and a guessed one misleads.

A date binds the nearest trigger, and any trigger of another class close to it ("a visit
to Pyongyang in June, during which the two countries signed a treaty": a Meeting and an
Agreement).
"""
from __future__ import annotations

import re
from dataclasses import replace

from kg.extract.dates import in_dateline
from kg.extract.rules import ACTOR_TYPES, PLACE_TYPES
from kg.lexicon import Lexicons
from kg.model import Event, Mention, Sentence, TimeExpression

_NEAR = 45          # characters: how close a second trigger must be to share a date
# words that hang a second event on the same date: "in June, during which they signed"
_LINKED = re.compile(r"\b(?:during which|at which|in which|when|where|while)\b", re.I)
# a second verb joined to the first: "declared ... and mobilized", "and then sent"
_AND_THEN = re.compile(r"(?<![,;])\s+and\s+(?:then\s+|also\s+|later\s+)?$")
# how far after "said on Monday" the verb it reports may be: "it had seized", "that rebels attacked"
# (not "he had information that North Korea was training": a belief, told at more length)
_REPORTED_NEAR = 30
_FAR = 110          # characters: the farthest a trigger may be from its date
# a deployment or an arms transfer moves forces or arms: its sentence names some ("sent" alone is
# as often texts, money or a footballer)
_MOVES_FORCES = frozenset({"Deployment", "ArmsTransfer"})
# an evacuation is a carriage when troops or peacekeepers carry it out, not when residents leave
_EVACUATIONS = frozenset({"evacuated", "evacuate", "evacuating"})
# attack triggers as often said of songs, products, statistics and sport ("her first hit", "launched
# a phone", "70 gun crime deaths"): an attack only where the sentence names something military
_WEAK_ATTACK = frozenset({"exploded", "detonated", "abducted", "abduction", "abducting", "kidnapped", "kidnapping",
                          "kidnap", "tested", "hit", "launched", "launches", "fired", "fires", "death", "deaths",
                          "seized", "seizure",
                          "captured", "targeted", "battle", "battles", "fought", "fighting", "clash", "clashes",
                          "coup", "putsch", "rebellion", "mutiny", "ousted", "ouster", "toppled", "overthrew", "overthrown"})
_NEEDS_MILITARY = _WEAK_ATTACK | _EVACUATIONS
# a launch is a weapons test, typed Training (no class fits better; Attack would imply a target),
# when its sentence says test or sends the missile into a sea
_LAUNCHES = frozenset({"fired", "fires", "launched", "launches", "tested", "test-fired", "test-launched"})
_FLIGHTS = frozenset({"flew", "landed", "flights", "crossing"})
_MISSILES = re.compile(r"\b(?:missiles?|rockets?|ICBMs?|IRBMs?|SRBMs?|projectiles?)\b", re.I)
_TEST_OR_SEA = re.compile(r"\btest|\binto (?:the )?(?:[\w-]+ ){0,3}(?:sea|waters|ocean)\b|\b(?:sea|ocean) of\b|"
                          r"\bexclusive economic zone\b|\bEEZ\b|"
                          r"\b(?:East|Yellow|Japan|Black|Red|Baltic) Sea\b", re.I)
# a trigger that names the subject of a record is no event: "an airstrike report", "attack data"
_MODIFIES_A_RECORD = re.compile(r"[ \t]+(?:reports?|statements?|data|database|figures|tally|toll|records?|statistics)\b",
                                re.I)
# a toll counted over a stretch of time is no one event: "killed since January", "deaths so far this year"
_TOLL_WORDS = frozenset({"killed", "killing", "death", "deaths"})
_SO_FAR = re.compile(r"\bso far[ \t]+$", re.I)
# personnel who arrive or land are deployed; ships, planes and convoys transport
_ARRIVALS = frozenset({"arrive", "arrived", "arriving", "arrival", "landed"})
_PERSONNEL = re.compile(r"\b(?:troops|soldiers|forces?|personnel|vanguard|advance team|servicemen|police|policemen|"
                        r"officers|peacekeepers|contingents?|marines|commandos|gendarmes|fighters|mercenaries)\b", re.I)
_CARRIERS = re.compile(r"\b(?:ships?|vessels?|warships?|planes?|aircraft|flights?|ferr(?:y|ies)|boats?|trains?|"
                       r"convoys?|trucks?|helicopters?)\b", re.I)
# "called Aug. 8 for an immediate cease-fire", "urged a truce": what is asked for has not happened
_CALL_FOR = re.compile(r"\b(?:call(?:ed|s|ing)?|urg(?:ed|es|ing)|demand(?:ed|s|ing)?|appeal(?:ed|s)?|push(?:ed|es)?)\b"
                       r"[^;]{0,25}?\b(?:for\s+)?(?:an?\s+|the\s+)?(?:\w+\s+)?$", re.I)
_SAID_ON = re.compile(r"\b(?:said|says|told\s+(?:\w+\s+){0,2}?|announced|reported|stated|confirmed|added)"
                      r"\s+(?:(?:late|early)\s+)?(?:on\s+)?$")
_TO_SAY = re.compile(r"\s+to\s+(?:claim|say|announce|report|confirm|deny|insist|allege)\b")
# what lies between a day and an event told after "after" ("on Sunday after a fierce bombardment")
_AFTER_EVENT = re.compile(r"[ \t]+after[ \t]+(?:(?:a|an|the|its|their)[ \t]+)?(?:[\w-]+[ \t]+){0,2}")
# where a clause opens inside a sentence ("..., but Monday, the UN said")
_CLAUSE_BREAK = re.compile(r"(?:,[ \t]+(?:but|and|yet|while)|;|[ \t][—–]|[ \t]--)[ \t]+")
_AND_BEFORE = re.compile(r"\s+and\s")
# "in turmoil since the army seized power on Feb. 1": what a "since" clause tells is background
_SINCE_CLAUSE = re.compile(r"\b[Ss]ince\s+(?:(?:the|its|their|a|an)\s+)?(?:[\w-]+\s+){0,3}$")
_ACCORDING_TO = re.compile(r"\b(?:according to|citing)\s+(?:the\s+)?$", re.I)
_SAID = re.compile(r"\b(?:said|says|told|reported|announced|stated|claimed|recounted|described|explained|recalled)\b")
# who takes control of a place to keep order there, not to take it from an enemy
_KEEPERS = re.compile(r"\b(?:police|policemen|peacekeep\w*|gendarmes?|gendarmerie|stabili[sz]ation force)\b", re.I)
# who claims an attack is its agent
_CLAIMED_FOR = re.compile(r"(?:,[^,.;]{0,60},)?\s+(?:has\s+|have\s+)?claim(?:ed|s)?\s+responsibility\s+for\s+"
                          r"(?:the\s+|an?\s+)?(?:[\w-]+['’]s?\s+)?(?:[\w-]+\s+){0,2}?")
# the speaker who says what it did itself: "X said it had attacked", "X claimed they launched"
_SAID_IT = re.compile(r"\s+(?:said|says|claimed|claims|announced|stated)\s+(?:that\s+)?(?:it|they)\s+"
                      r"(?:had\s+|have\s+|has\s+)?(?:also\s+|successfully\s+)?")
_MILITARY_TYPES = frozenset({"MilitaryUnit", "MilitaryBase", "Ship"})
_FORCES = re.compile(r"\b(?:troops|soldiers|forces|personnel|servicemen|service members|units?|army|armies|navy|"
                     r"military|militar\w*|battalions?|brigades?|regiments?|divisions?|fighters|mercenar\w+|"
                     r"militia\w*|warships?|vessels?|peacekeep\w+|contingents?|marines|aircraft|jets|bombers|"
                     r"weapons?|arms|tanks?|drones?|missiles?|rockets?|bombs?|shell\w*|artillery|air ?strikes?|"
                     r"gunmen|insurgents?|rebels?|jihadists?|militants?|terroris\w+|wars?|warfare|conflict|officers|"
                     r"police|policemen|gendarm\w+|commandos|paramilitar\w+|border|borders|frontier|"
                     r"killed|wounded|injured|casualt\w+|hostilities|combat|ceasefire|front ?lines?)\b", re.I)


class EventFinder:
    def __init__(self, lexicons: Lexicons) -> None:
        self.trigger_class: dict[str, str] = {}
        for cls, words in lexicons.triggers.items():
            for w in words:
                self.trigger_class.setdefault(w.lower(), cls)
        self._triggers = re.compile(r"(?<![\w-])(" + "|".join(
            re.escape(w) for w in sorted(self.trigger_class, key=len, reverse=True)) + r")(?![\w-])", re.I)
        self._arms = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in lexicons.arms_objects) + r")\b", re.I)

    def find(self, text: str, sentence: Sentence, mentions: list[Mention],
             dates: list[TimeExpression]) -> list[Event]:
        resolved = [t for t in dates if t.date or t.begin]
        if not resolved:
            return []
        events: list[Event] = []
        seen: set[tuple[str, str]] = set()
        # an embedded post's signature, "— Border Guard (@Straz_Graniczna) November 15, 2021": its
        # author said it that day; the date dates nothing else
        posts = [(t, h) for t in resolved if (h := _POSTED_BY.search(text, max(sentence.start, t.start - 40), t.start))]
        for time, handle in posts:
            resolved.remove(time)
            signed = text.rfind("—", sentence.start, handle.start())
            author = next((m for m in reversed(mentions) if m.type in ACTOR_TYPES and m.is_name
                           and signed < m.start and m.end <= handle.start()), None)
            if signed >= 0 and author is not None and ("Statement", (time.date or time.begin).iso) not in seen:
                seen.add(("Statement", (time.date or time.begin).iso))
                events.append(Event(type="Statement", sentence=sentence.index, trigger=text[handle.start():time.end],
                                    time=time, agent=author.key, participants=(author.key,), places=(),
                                    confidence=0.8))
        triggers = self._triggers_in(text, sentence, mentions) if resolved else []
        for time in resolved:
            # a date opening the sentence ("Since August, ...") frames its main clause: no comma penalty
            # ("On the night of 13 September, ...", "Early on Monday, ..." open it too)
            # (or its clause, after "but", "and", a semicolon or a dash: "..., but Monday, the UN said")
            clause = max((b.end() for b in _CLAUSE_BREAK.finditer(text, sentence.start, time.start)),
                         default=sentence.start)
            lead = text[clause:time.start]
            # (not when its clause tells an event before it: "The clash began late Monday, ...")
            opening = not lead.strip() or (re.fullmatch(r"(?:[A-Za-z]+\s+){1,5}", lead) is not None
                                           and text[time.end:time.end + 1] == ","
                                           and not any(clause <= t[0] and t[1] <= time.start for t in triggers))
            # a speech verb has the date said with it ("said on Tuesday", "on Tuesday said"), not the
            # date of what it reports ("... fired on Sunday, the coast guard said")
            candidates = [t for t in triggers if t[3] not in ("Statement", "Denial") or
                          _dated_speech(text, t, time, opening)]
            # "reported clashes throughout the region on Monday and said ...": a day before "and"
            # closes the clause of the event told before it, not the saying after it
            if any(t[3] not in ("Statement", "Denial") and t[1] <= time.start for t in candidates):
                candidates = [t for t in candidates if t[3] not in ("Statement", "Denial") or t[0] < time.end
                              or not _AND_BEFORE.match(text, time.end, t[0])]
            if _SAID_ON.search(text, max(sentence.start, time.start - 40), time.start) or \
                    _TO_SAY.match(text, time.end):   # "modified its report a day later to claim that ..."
                # "... killed in an attack, authorities said on Saturday": the day is the saying's only
                reported = [t for t in candidates if t[3] not in ("Statement", "Denial") and t[0] >= time.end]
                candidates = [t for t in candidates if t[3] in ("Statement", "Denial")]
            else:
                reported = []
            ranked = sorted(candidates, key=lambda t: _distance(t, time, None if opening else text))
            if not ranked or _distance(ranked[0], time, None if opening else text) > _FAR * (1.5 if opening else 1):
                continue
            # "in June, during which they signed": a trigger after the date, past a linking word
            chosen = [ranked[0]] + [t for t in ranked[1:] if t[3] != ranked[0][3] and _distance(t, time) <= _NEAR
                                    and t[0] >= time.end and _LINKED.search(text, time.end, t[0])]
            # "Noboa on Tuesday declared 'internal armed conflict' and mobilized the army": a verb
            # joined to the dated one by "and" shares its subject and its day
            chosen += [t for t in ranked[1:] if t[3] != ranked[0][3] and t not in chosen and ranked[0][0] >= time.end
                       and t[0] > ranked[0][1] and _distance(t, time) <= _FAR
                       and _AND_THEN.search(text, ranked[0][1], t[0])][:1]
            # "evacuated 300 people from a hotel on Sunday after a fierce bombardment": the verb the day
            # follows is dated by it, not only the event after "after"
            if ranked[0][0] >= time.end and _AFTER_EVENT.fullmatch(text, time.end, ranked[0][0]):
                chosen += [t for t in ranked[1:] if t[1] <= time.start and t[3] != ranked[0][3] and t not in chosen
                           and t[3] not in ("Statement", "Denial") and _distance(t, time) <= _FAR][:1]
            # "the LNA said on Monday it had taken areas surrounding Sirte": what the saying reports
            # right after its day is dated by it, as a reader dates it
            # (unless the clause has a day of its own, or names no one and nowhere: "she had no
            # information on the alleged strikes")
            chosen += [t for t in reported[:1] if t[0] - time.end <= _REPORTED_NEAR
                       and not any(o.start >= time.end for o in resolved if o is not time)
                       and any(m.start >= time.end for m in mentions)]
            if ranked[0][2].lower() in _TOLL_WORDS and ranked[0][3] == "Attack" and (
                    (time.begin and not time.until) or _SO_FAR.search(text, max(sentence.start, time.start - 12), time.start)):
                continue
            for start, end, word, cls in chosen:
                cls = self._refine(text, cls, start, end, sentence)
                missiles = _MISSILES.search(text, sentence.start, sentence.end) is not None
                if cls == "Transport" and missiles and not _PERSONNEL.search(text, sentence.start, sentence.end):
                    cls = "Attack"       # "a missile that flew 1,000 km", "landed in the sea": the launch, not a carriage
                if cls == "Attack" and (word.lower() in _LAUNCHES or word.lower() in _FLIGHTS) and missiles \
                        and _TEST_OR_SEA.search(text, sentence.start, sentence.end):
                    cls = "Training"     # a missile fired as a test, or into the sea, has no target to attack
                if (cls in _MOVES_FORCES or word.lower() in _NEEDS_MILITARY) and \
                        not self._military(text, sentence, mentions):
                    continue     # "texts were sent", "he moved to City in 2003", "a hit in April": nothing military
                key = (cls, (time.date or time.begin).iso)
                if key in seen:
                    continue
                seen.add(key)
                events.append(self._event(text, sentence, cls, word, start, end, time, mentions))
        return events

    def _triggers_in(self, text: str, sentence: Sentence, mentions: list[Mention]) -> list[tuple[int, int, str, str]]:
        """The sentence's triggers that may tell an event, as (start, end, word, class)."""
        triggers = [(m.start(), m.end(), m.group(0), self.trigger_class[m.group(0).lower()])
                    for m in self._triggers.finditer(text, sentence.start, sentence.end)]
        return [t for t in triggers if not any(x.start <= t[0] < x.end for x in mentions)
                and not _MODIFIES_A_RECORD.match(text, t[1])          # "an airstrike report released Thursday"
                and not (t[2][0].isupper() and t[0] > sentence.start)      # "Offensive Campaign Assessment"
                and not _SINCE_CLAUSE.search(text, max(sentence.start, t[0] - 40), t[0])  # background
                and not (t[3] == "Statement" and re.search(r"\b(?:is|are|was|were)\s+$", text[max(0, t[0] - 6):t[0]]))
                and not _ACCUSED_OF.search(text, max(sentence.start, t[0] - 60), t[0])   # what X is accused of
                and not (t[3] == "Agreement" and (
                    _TRUCE_BROKEN_AFTER.match(text, t[1])
                    or _TRUCE_BROKEN_BEFORE.search(text, max(sentence.start, t[0] - 30), t[0])))]

    def retold(self, text: str, sentences, events: list[Event], mentions: dict[int, list[Mention]]) -> list[Event]:
        """ "Rebels ... on Sunday vowed an escalation, hours after launching an overnight attack. The
        Polisario Front said they had bombarded the area of Guerguerat.": a sentence next to a dated
        event that tells an event of its class again, with no date of its own, names its actors
        and places too (wire copy dates a strike once and tells who and where in the next sentence)."""
        dated = {e.sentence for e in events}
        scanned: dict[int, list[tuple[int, int, str, str]]] = {}
        out = []
        for e in events:
            # an unnamed subject ("Rebels vowed ...") is the group the next sentence names
            described = e.agent is None and _DESCRIBED_SUBJECT.match(text, sentences[e.sentence].start) is not None
            if e.type in SPEECH and not described:
                out.append(e)
                continue
            agent, actors, places = e.agent, list(e.participants), list(e.places)
            if agent is None and e.type not in SPEECH:
                agent = self._pronoun_agent(text, sentences, e, mentions)
            for j in (e.sentence - 1, e.sentence + 1):
                if j < 0 or j >= len(sentences) or j in dated or CAPTION.match(sentences[j].text):
                    continue
                s, ms = sentences[j], mentions.get(j, [])
                if j not in scanned:
                    scanned[j] = self._triggers_in(text, s, ms)
                trigger = next((t for t in scanned[j] if t[3] == e.type), None)
                if trigger is None or (e.type in _MOVES_FORCES or trigger[2].lower() in _WEAK_ATTACK) and \
                        not self._military(text, s, ms):
                    continue
                named = [m.key for m in ms if m.type in ACTOR_TYPES and m.is_name and m.rule != "qualifier"
                         and m.end <= trigger[0] and not in_dateline(text, s.start, m.start)
                         and not _ACCORDING_TO.search(text, max(s.start, m.start - 20), m.start)]
                if e.type in SPEECH:
                    named = named[-1:]           # the speaker only: the subject next to the verb
                if described and agent is None and named:
                    agent = named[-1]
                actors += named
                if e.type not in SPEECH:
                    places += [m.key for m in ms if m.type in PLACE_TYPES and m.rule != "dateline-place"]
            if agent is not None:
                actors.insert(0, agent)
            out.append(replace(e, agent=agent, participants=tuple(dict.fromkeys(actors)),
                               places=tuple(dict.fromkeys(places))))
        return out

    def _pronoun_agent(self, text: str, sentences, e: Event, mentions: dict[int, list[Mention]]) -> str | None:
        """ "From there they have continued to carry out attacks ... including one in June": the
        agent a pronoun stands for is the armed group named last in the sentences before."""
        s = sentences[e.sentence]
        at = re.search(rf"\b{re.escape(e.trigger)}\b", text[s.start:s.end])
        if at is None or not (_PRONOUN_SUBJECT.search(text, s.start, s.start + at.start()) or
                              _PRONOUN_OPENS.match(text, s.start, s.start + at.start())):
            return None
        for i in range(e.sentence - 1, max(-1, e.sentence - 4), -1):
            groups = [m for m in mentions.get(i, []) if m.type in ("MilitaryUnit", "Organization") and m.is_name
                      and m.rule not in _NOT_GROUPS]
            if groups:
                return groups[-1].key
        return None

    def _speaker(self, text: str, s: Sentence, actors: list[Mention]) -> str | None:
        """The subject of the sentence's speech verb: the named actor right before it."""
        for v in self._triggers.finditer(text, s.start, s.end):
            if self.trigger_class[v.group(0).lower()] != "Statement" or v.group(0)[0].isupper():
                continue
            before = [m for m in actors if m.end <= v.start() and m.is_name and m.rule != "qualifier"]
            if before and re.fullmatch(r"\s+(?:[a-z]+\s+){0,2}", text[before[-1].end:v.start()]):
                return before[-1].key
        return None

    def _military(self, text: str, s: Sentence, mentions: list[Mention]) -> bool:
        """Does the sentence name something military: a unit, a ship, a base, troops or arms?"""
        return (any(m.type in _MILITARY_TYPES for m in mentions)
                or bool(_FORCES.search(text, s.start, s.end)) or bool(self._arms.search(text, s.start, s.end)))

    def _refine(self, text: str, cls: str, trigger_start: int, trigger_end: int, s: Sentence) -> str:
        """Sending shells is an arms transfer, sending troops a deployment; troops or police who
        arrive somewhere, with no ship or plane said to carry them, are deployed; a call for a
        ceasefire is a statement, not the agreement."""
        if cls == "Agreement" and _CALL_FOR.search(text, max(s.start, trigger_start - 40), trigger_start):
            return "Statement"
        if cls == "Attack" and text[trigger_start:trigger_end].lower().endswith("control") and \
                _KEEPERS.search(text, max(s.start, trigger_start - 80), trigger_start):
            return "Deployment"      # "Australian police began taking control of the capital": keeping order
        if cls == "Transport" and text[trigger_start:trigger_end].lower() in _ARRIVALS:
            subject = text[max(s.start, trigger_start - 80):trigger_start]
            if _PERSONNEL.search(subject) and not _CARRIERS.search(text, s.start, s.end):
                return "Deployment"
        if cls in ("Deployment", "Transport", "ArmsTransfer"):
            obj = text[trigger_end:min(s.end, trigger_end + 80)]
            troops = re.search(r"\b(?:troops|soldiers|forces|personnel|servicemen|units?)\b", obj, re.I)
            arms = self._arms.search(obj)
            if arms and (not troops or arms.start() < troops.start()):
                return "ArmsTransfer"
            if cls == "ArmsTransfer" and troops and not arms:
                return "Deployment"
            if cls == "ArmsTransfer" and not self._arms.search(text, s.start, s.end) and \
                    _PERSONNEL.search(text, s.start, s.end):
                return "Deployment"      # "officers and soldiers flew in to provide back-up": no arms, people
        return cls

    def _event(self, text: str, s: Sentence, cls: str, word: str, start: int, end: int,
               time: TimeExpression, mentions: list[Mention]) -> Event:
        # the agency of a dateline ("BANGKOK (AP) —") filed the report; it took no part in it
        actors = [m for m in mentions if m.type in ACTOR_TYPES and not in_dateline(text, s.start, m.start)]
        # "attacks both in Uganda and Congo": a country after "in" is where, not who
        before = [m for m in actors if m.end <= start and m.is_name and m.rule != "qualifier"
                  and not (m.type == "Country" and _LOCATIVE.search(text, max(s.start, m.start - 30), m.start))]
        agent = before[-1].key if before else None
        described = _DESCRIBED_SUBJECT.match(text, s.start)
        if described and described.end() <= start and (not before or before[0].start >= described.end()):
            before = []          # "Rebels fighting Morocco ... vowed": Morocco is no agent; the rebels are unnamed
            agent = None
        # "Putin and North Korean dictator Kim Jong Un signed": the first of the pair leads
        while len(before) > 1 and re.fullmatch(r"\s+and\s+(?:[\w-]+\s+){0,3}", text[before[-2].end:before[-1].start]):
            before = before[:-1]
            agent = before[-1].key
        if cls not in ("Statement", "Denial"):
            # "the Pentagon said air strikes conducted by coalition forces": who said it is not
            # who struck; the passive's "by" names the agent
            by = re.match(r"[ \t]+(?:[a-z]+[ \t]+){0,2}?by[ \t]+(?:the[ \t]+)?", text[end:end + 60])
            passive = next((m for m in actors if by and m.start == end + by.end() and m.is_name), None)
            if passive is not None:
                agent = passive.key
            elif before and _CLAIMED_FOR.fullmatch(text, before[-1].end, start):
                agent = before[-1].key      # "JNIM, active in the Sahel, claimed responsibility for Sunday's attack"
            elif before and _SAID_IT.fullmatch(text, before[-1].end, start):
                agent = before[-1].key      # "Red Tabara said it had attacked two military positions"
            elif before and _SAID.search(text, before[-1].end, start):
                agent = None
        if cls in ("Statement", "Denial") and before:
            # the speaker is the subject next to the verb, not the first actor of the sentence
            near = [m for m in before if start - m.end < 60]
            agent = near[-1].key if near else None
        if agent is None and cls in ("Statement", "Denial"):
            agent = self._speaker(text, s, actors)      # "Speaking at a press conference ..., X said"
        if agent is None:
            after = [m for m in actors if m.start >= end and m.is_name and m.start - end < 40]
            if cls in ("Statement", "Denial") and after and re.fullmatch(r"\s+(?:the\s+)?", text[end:after[0].start]) \
                    and word.lower() not in ("told", "tells"):      # "told the UN Conference": whom, not who
                agent = after[0].key
        if cls not in ("Statement", "Denial"):
            # "according to the Interior Ministry": the source of the report took no part in it
            actors = [m for m in actors if m.key == agent or not _ACCORDING_TO.search(text, max(s.start, m.start - 20),
                                                                                      m.start)]
        participants = tuple(dict.fromkeys([*(x for x in [agent] if x), *(m.key for m in actors)]))
        # the dateline's city is where the report was filed, not where the event was
        places = tuple(dict.fromkeys(m.key for m in mentions if m.type in PLACE_TYPES and m.rule != "dateline-place"))
        confidence = 0.8 if _distance((start, end), time) <= _NEAR else 0.6
        return Event(type=cls, sentence=s.index, trigger=word, time=time, agent=agent,
                     participants=participants, places=places, confidence=confidence)


# the handle between a post's author and its date: "(@MON_GOV_PL) November 15, 2021"
_POSTED_BY = re.compile(r"\(@\w{1,30}\)\s*$")
# a file photo's caption ("FILE — ... talks to reporters in Addis Ababa, Feb. 13, 2016") tells of another day
CAPTION = re.compile(r"\s*(?:FILE|File photo|PHOTO|Photo|Picture|IMAGE)\s*(?:[-–—:|]|\(|$)")
# a sentence whose subject is described, not named: "Pro-independence rebels ...", "Suspected militants ..."
_DESCRIBED_SUBJECT = re.compile(r"\s*(?:[A-Z][\w-]*\s+)?(?:[a-z][\w-]*\s+){0,3}?(?:rebels|militants|insurgents|gunmen|"
                                r"jihadists|separatists|fighters|terrorists|assailants|attackers|bandits|extremists|"
                                r"guerrillas|militiamen)\b")
# a subject that stands for a group named before: "they have continued to carry out attacks"
_GROUP_PRONOUN = r"(?:[Tt]hey|[Tt]he (?:group|rebels|militants|insurgents|fighters))"
_PRONOUN_SUBJECT = re.compile(rf"(?:^|[,;]\s+|\b(?:there|then|since|where)\s+){_GROUP_PRONOUN}\s+(?:[a-z]+\s+){{0,6}}$")
# ... or opens the sentence: "From there they have continued to carry out attacks"
_PRONOUN_OPENS = re.compile(rf"\s*(?:[A-Z]\w*\s+\w+\s+)?{_GROUP_PRONOUN}\s+(?:have|had|has|also|then|later|[a-z]+ed)\b")
# what names no armed group: a state's institution, a source's agency, a credit
_NOT_GROUPS = frozenset({"lexicon-generic", "home-institution", "qualifier", "dateline-agency", "byline", "photo-credit"})
_LOCATIVE = re.compile(r"\b(?:in|into|inside|across|throughout|near|from)\s+(?:both\s+|the\s+)?(?:[A-Z][\w-]*\s+(?:and|or)\s+)?$")
# a truce that breaks tells fighting, not an agreement: "the cease-fire collapsed on Wednesday",
# "violated the truce"
_TRUCE_BROKEN_AFTER = re.compile(r"[ \t]+(?:had[ \t]+|has[ \t]+)?(?:collapsed|broke[ \t]+down|crumbled|unravell?ed|"
                                 r"fell[ \t]+apart|was[ \t]+(?:broken|violated|shattered))\b")
_TRUCE_BROKEN_BEFORE = re.compile(r"\b(?:violat\w*|breach\w*|broke|breaking|collapse[ \t]+of|end[ \t]+of)[ \t]+"
                                  r"(?:of[ \t]+)?(?:the[ \t]+|a[ \t]+|an[ \t]+|its[ \t]+|their[ \t]+)?$", re.I)
_ACCUSED_OF = re.compile(r"\baccus\w*\s+[^.;]{0,40}?\bof\s+(?:\w+ing\s+(?:and|or)\s+)?$")
_PRONOUN_SPEECH = re.compile(r"(?:He|She|They)\s+(?:also\s+|then\s+|later\s+)?"
                             r"(said|stated|told|added|warned|declared|stressed|announced)\b")


def continued_statements(text: str, sentences, events: list[Event]) -> list[Event]:
    """ "Yoon convened a meeting on Friday. He stated that ...": a sentence that opens with a
    pronoun and a speech verb, and has no date of its own, is a statement by the previous
    sentence's agent on the previous sentence's date."""
    by_sentence: dict[int, list[Event]] = {}
    for e in events:
        by_sentence.setdefault(e.sentence, []).append(e)
    extra = []
    for s in sentences:
        m = _PRONOUN_SPEECH.match(text, s.start, s.end)
        if not m or s.index in by_sentence:
            continue
        earlier = [e for e in by_sentence.get(s.index - 1, []) if e.agent and e.type != "Statement"]
        if earlier:
            e = earlier[0]
            extra.append(Event(type="Statement", sentence=s.index, trigger=m.group(1), time=e.time, agent=e.agent,
                               participants=(e.agent,), places=(), confidence=0.6))
    return extra


SPEECH = frozenset({"Statement", "Denial"})


# the attributions that name who speaks the verb, not the source cited ("Yonhap reported,
# citing the NIS": the report is Yonhap's, the number the NIS's)
_VERB_SPEAKERS = frozenset({"speech-verb", "pronoun-speaker", "named-next", "said-by-next", "quote-speaker"})


def spoken_by(text: str, sentences, events: list[Event], speakers: dict[int, list]) -> list[Event]:
    """ "... in western Uganda, a military spokesman said on Tuesday. ... Felix Kulayigye, the
    military spokesman ...": a statement's speaker is who the sentence's attributions (the
    claims' reading of who speaks: the subject of the speech verb, a quotation's speaker, a
    spokesman named in the next sentence) say speaks at its verb, not the last name before it."""
    out = []
    for e in events:
        named = [c for c in speakers.get(e.sentence, []) if c.claimant and c.rule in _VERB_SPEAKERS]
        if e.type not in SPEECH or not named:
            out.append(e)
            continue
        s = sentences[e.sentence]
        verb = re.search(rf"\b{re.escape(e.trigger)}\b", text[s.start:s.end])
        at = s.start + verb.start() if verb else s.start
        speaker = min(named, key=lambda c: abs(c.start - at)).claimant
        out.append(e if speaker == e.agent else
                   replace(e, agent=speaker, participants=tuple(dict.fromkeys((speaker, *e.participants)))))
    return out


_PLACE_NOUN = re.compile(r"\b[Tt]he\s+(?:city|town|village|port|capital|region|province|district|area)(?:['’]s)?\b")


def placed_by_reference(text: str, sentences, events: list[Event],
                        mentions: dict[int, list]) -> list[Event]:
    """ "One of the city's main bridges was hit with an airstrike on Sunday": an event whose
    sentence names no actor and no place, but speaks of "the city" (town, port, region...),
    happened at the place named last before it in the article."""
    out = []
    for e in events:
        s = sentences[e.sentence]
        if e.participants or e.places or not _PLACE_NOUN.search(text, s.start, s.end):
            out.append(e)
            continue
        earlier = [m for i in range(e.sentence - 1, -1, -1) for m in reversed(mentions.get(i, []))
                   if m.type in PLACE_TYPES]
        out.append(replace(e, places=(earlier[0].key,)) if earlier else e)
    return out


# "The incident occurred in the archipelago's northern Kaala-Gomen area": where the event told
# just before took place
_OCCURRED_IN = re.compile(r"\b[Tt]he\s+(?:incident|attack|shooting|blast|explosion|strike|raid|ambush|clash(?:es)?|"
                          r"fighting|assault|bombing|killings?)\s+(?:\w+\s+){0,2}?(?:occurred|took\s+place|happened|"
                          r"was\s+carried\s+out)\s+(?:in|at|near|on)\b")


def placed_after(text: str, sentences, events: list[Event], mentions: dict[int, list]) -> list[Event]:
    """ "One more person has been killed today ... The incident occurred in the northern Kaala-Gomen
    area": a sentence soon after an attack that says where "the incident" took place places it."""
    attacks = [i for i, e in enumerate(events) if e.type == "Attack"]
    if not attacks:
        return events
    out = list(events)
    for s in sentences:
        hit = _OCCURRED_IN.search(text, s.start, s.end)
        before = [i for i in attacks if s.index - 3 <= events[i].sentence < s.index] if hit else []
        if not before:
            continue
        places = [m.key for m in mentions.get(s.index, []) if m.type in PLACE_TYPES and m.start >= hit.end()]
        e = out[before[-1]]
        out[before[-1]] = replace(e, places=tuple(dict.fromkeys((*places, *e.places))))
    return out


def _dated_speech(text: str, trigger: tuple, time: TimeExpression, opening: bool = False) -> bool:
    """Is the date the one a speech verb was said on: right after it ("said on Wednesday",
    "said in a statement on Tuesday") or right before it ("on Tuesday said")?"""
    if time.start >= trigger[1]:
        gap = text[trigger[1]:time.start]
        # "told the UN Conference on Disarmament on Tuesday": whom it was told, named, then the day
        return (len(gap) <= 30 and "," not in gap and '"' not in gap and "“" not in gap) or \
            (len(gap) <= 60 and _TOLD_WHOM.fullmatch(gap) is not None)
    gap = text[time.end:trigger[0]]
    # "On September 16, Kyrgyzstan announced": a day opening the sentence dates its main verb
    return (len(gap) <= 25 and "," not in gap) or (opening and _OPENING_DAY_SUBJECT.fullmatch(gap) is not None)



_TOLD_WHOM = re.compile(r"\s+(?:the\s+)?[A-Z][\w.'’-]*(?:\s+(?:of|on|for|and|the|[A-Z][\w.'’-]*))*\s+(?:late\s+|early\s+)?"
                        r"(?:on\s+)?")
_OPENING_DAY_SUBJECT = re.compile(r",\s+(?:the\s+)?(?:[a-z]+\s+){0,3}(?:[A-Z][\w'’.-]*\s+){1,4}(?:[a-z]+\s+)?")


def merge_events(events: list[Event]) -> list[Event]:
    """One event per class, date and agent in an article: a story tells the same strike in its
    lede and again further down, the second time often without its agent. (A statement with no
    speaker stays apart from one with a speaker: "intelligence said Friday" and "the NIS said
    Friday" may be two statements.)"""
    merged: list[Event] = []
    for e in events:
        when = (e.time.date or e.time.begin).iso if (e.time.date or e.time.begin) else None
        same = next((m for m in merged if m.type == e.type and when is not None and
                     (m.time.date or m.time.begin) and (m.time.date or m.time.begin).iso == when and
                     (m.agent == e.agent or (e.type not in SPEECH and None in (m.agent, e.agent)))), None)
        if same is None:
            merged.append(e)
            continue
        merged[merged.index(same)] = replace(
            same, agent=same.agent or e.agent,
            participants=tuple(dict.fromkeys((*same.participants, *e.participants))),
            places=tuple(dict.fromkeys((*same.places, *e.places))), confidence=max(same.confidence, e.confidence))
    return merged


def _distance(trigger: tuple, time: TimeExpression, text: str | None = None) -> int:
    """Characters between a trigger and a date; a comma between them (another clause) counts 40 more."""
    start, end = trigger[0], trigger[1]
    if end <= time.start:
        gap = (end, time.start)
    elif start >= time.end:
        gap = (time.end, start)
    else:
        return 0
    between = text[gap[0]:gap[1]] if text is not None else ""
    clause = 40 if re.search(r",\s", between) else 0
    if end <= time.start and re.search(r",\s+(?:where|when|during which|in which)\b", between):
        clause += 80        # "bombed was Vaziani, where in July ... trained": the date is the clause's
    return gap[1] - gap[0] + clause
