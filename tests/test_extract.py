"""Each extraction rule pinned on short sentences, hard cases included."""
import datetime as dt

import pytest

from kg.extract.claims import parse_number


def _mentions(result):
    return [(m.text, m.label, m.type) for _, m in result.mentions if m.rule != "demonym"]


# ------------------------------------------------------------------ mentions
def test_extract_mentions_lexicon_aliases_and_spellings(read):
    got = _mentions(read("Kim Jong-un met Kim Jong Un's envoy; the NIS and South Korea’s spy agency agreed."))
    assert ("Kim Jong-un", "Kim Jong Un", "Person") in got
    assert ("Kim Jong Un", "Kim Jong Un", "Person") in got
    assert ("NIS", "National Intelligence Service", "Organization") in got
    assert ("South Korea’s spy agency", "National Intelligence Service", "Organization") in got


def test_extract_mentions_capital_is_state_unless_a_place(read):
    got = _mentions(read("Pyongyang decided to send troops. Putin landed in Pyongyang. Moscow's denial came fast."))
    assert ("Pyongyang", "North Korea", "Country") in got
    assert ("Pyongyang", "Pyongyang", "Place") in got
    assert ("Moscow", "Russia", "Country") in got


def test_extract_mentions_people_from_titles_and_roles(read):
    got = _mentions(read("Deputy Defence Minister Kim Seon Ho spoke. Beijing's Foreign Ministry spokesperson "
                         "Lin Jian agreed. Valeriy Ryabykh, editor of a magazine, disagreed."))
    assert ("Kim Seon Ho", "Kim Seon Ho", "Person") in got
    assert ("Lin Jian", "Lin Jian", "Person") in got
    assert ("Valeriy Ryabykh", "Valeriy Ryabykh", "Person") in got


def test_extract_mentions_short_name_resolves_only_when_unambiguous(read):
    got = _mentions(read("Defense Minister Kim Yong-hyun and Deputy Minister Kim Seon Ho met. Kim said nothing. "
                         "Editor Anna Petrova left. Petrova wrote later."))
    assert ("Petrova", "Anna Petrova", "Person") in got
    assert not any(text == "Kim" for text, _, _ in got)       # two people named Kim: never guessed


def test_extract_mentions_orgs_units_places_bases(read):
    got = _mentions(read("The 11th Airborne Brigade and the Special Buryat Battalion moved to the Kursk region "
                         "and the Sergeevka training ground, the National Security Office said."))
    assert ("11th Airborne Brigade", "11th Airborne Brigade", "MilitaryUnit") in got
    assert ("Special Buryat Battalion", "Special Buryat Battalion", "MilitaryUnit") in got
    assert ("Kursk region", "Kursk Oblast", "Place") in got
    assert ("Sergeevka training ground", "Sergeyevsky training ground", "MilitaryBase") in got
    assert ("National Security Office", "National Security Office", "Organization") in got


def test_extract_mentions_generic_forms_stop_at_noun_phrase(read):
    got = _mentions(read("Russian military bases grew. The Russian military denied it."))
    assert [g for g in got if g[1] == "Russian Armed Forces"] == [("Russian military", "Russian Armed Forces",
                                                                   "MilitaryUnit")]


def test_extract_mentions_ships_named_and_unnamed_with_operator(read):
    result = read("The landing ship Nikolai Vilkov sailed. Four landing ships and three frigates belonging to the "
                  "Russian Navy followed.")
    ships = {m.label: m.operator for _, m in result.mentions if m.type == "Ship"}
    assert ships == {"Nikolai Vilkov": None, "landing ship": "russian navy", "frigate": "russian navy"}


def test_extract_mentions_shouting_lines_give_no_acronyms(read):
    assert _mentions(read("JOIN US ON TELEGRAM")) == []


# ------------------------------------------------------------------ dates
@pytest.mark.parametrize("phrase, expected", [
    ("on Friday", "2024-10-18"), ("said Thursday", "2024-10-17"), ("on 8 October", "2024-10-08"),
    ("on Oct. 19", "2024-10-19"), ("on January 8, 2025", "2025-01-08"), ("in June", "2024-06"),
    ("last June", "2024-06"), ("in December", "2024-12"), ("in 2022", "2022"),
])
def test_extract_dates_points(read, phrase, expected):
    result = read(f"Putin met Kim {phrase}.")
    assert [e.time.date.iso for e in result.events] == [expected]


@pytest.mark.parametrize("phrase, begin, until", [
    ("from October 8 to 13", "2024-10-08", "2024-10-13"), ("since August", "2024-08", None),
    ("last week", "2024-10-07", "2024-10-13"), ("earlier this week", "2024-10-14", "2024-10-17"),
])
def test_extract_dates_spans(read, phrase, begin, until):
    [event] = read(f"North Korea transported troops to Russia {phrase}.").events
    assert event.time.begin.iso == begin and (event.time.until.iso if event.time.until else None) == until


def test_extract_dates_relative_need_publication_date(read):
    assert read("Putin met Kim on Friday.", published=None).events == ()
    assert [e.time.date.iso for e in read("Putin met Kim on 8 October 2024.", published=None).events] == ["2024-10-08"]


# ------------------------------------------------------------------ events
def test_extract_events_type_agent_place(read):
    [event] = read("Russian President Vladimir Putin made a visit to Pyongyang in June.").events
    assert (event.type, event.agent, event.places) == ("Meeting", "vladimir putin", ("pyongyang",))


def test_extract_events_linked_clause_shares_the_date(read):
    events = read("Putin made a rare visit to Pyongyang in June, during which the two countries signed a treaty.").events
    assert sorted(e.type for e in events) == ["Agreement", "Meeting"]


def test_extract_events_sending_arms_is_a_transfer(read):
    [event] = read("Since August, North Korea dispatched 13,000 containers of shells to Russia.").events
    assert event.type == "ArmsTransfer" and event.agent == "north korea"


def test_extract_events_undated_gives_no_event(read):
    assert read("North Korea sent troops to Russia.").events == ()


def test_extract_events_statement_speaker(read):
    [event] = read("The US State Department said Monday it could not confirm the reports.").events
    assert event.type == "Statement" and event.agent == "united states department of state"


# ------------------------------------------------------------------ claims
@pytest.mark.parametrize("text, value", [("1,500", 1500), ("some", None), ("eight million", 8_000_000),
                                          ("twenty-five", 25), ("1.5 million", 1_500_000), ("a dozen", None),
                                          ("three hundred and twenty", 320), ("two thousand five hundred", 2500)])
def test_extract_claims_parse_number(text, value):
    assert parse_number(text) == value


def _claims(result):
    return [(c.claimant, c.quantity, c.kind, c.hedge) for c in result.claims]


def test_extract_claims_according_to_and_hedge(read):
    assert _claims(read("According to the NIS, some 12,000 North Korean military personnel were sent.")) == [
        ("national intelligence service", 12000, "troops", "some")]


def test_extract_claims_speech_verb_subject_and_citing(read):
    assert _claims(read("Zelensky said North Korea was training up to 10,000 soldiers.")) == [
        ("volodymyr zelensky", 10000, "troops", "up to")]
    assert _claims(read("North Korea will send 12,000 troops, Yonhap reported, citing the NIS.")) == [
        ("national intelligence service", 12000, "troops", None)]


def test_extract_claims_previous_sentence_and_anonymous(read):
    result = read("The NIS said 1,500 troops arrived. They came on four landing ships. "
                  "Some sources say 13,000 containers of shells were sent.")
    assert _claims(result) == [("national intelligence service", 1500, "troops", None),
                               ("national intelligence service", 4, "landing ships", None),
                               (None, 13000, "containers", None)]


def test_extract_claims_fates_and_compound_nouns(read):
    result = read("Six North Korean servicemen were killed, the Kyiv Post reported. "
                  "North Korea sent 13,000 weapons containers, the NIS said.")
    assert [(c.quantity, c.kind) for c in result.claims] == [(6, "killed"), (13000, "containers")]


def test_extract_claims_not_counts(read):
    assert read("Calibres of 122-mm shells, a stop in 2024, 24 years ago and 5 percent are not claims.").claims == ()


def test_extract_claims_conflicting_sources_kept(read):
    result = read("The NIS said 12,000 troops were sent. Zelensky said 10,000 troops were sent.")
    assert _claims(result) == [("national intelligence service", 12000, "troops", None),
                               ("volodymyr zelensky", 10000, "troops", None)]


def test_extract_evidence_offsets_point_into_text(read):
    text = "First line.\nAccording to the NIS, 1,500 troops left on Friday."
    result = read(text)
    [claim] = result.claims
    assert text[claim.start:claim.end] == "1,500"
    for _, m in result.mentions:
        assert text[m.start:m.end] == m.text


def test_extract_dates_month_without_year_read_in_january_is_last_year(read):
    [e] = read("Putin met Kim in December.", published=dt.date(2025, 1, 10)).events
    assert e.time.date.iso == "2024-12"


def test_extract_publication_date_anchors_relative_dates(read):
    [e] = read("Putin met Kim on Friday.", published=dt.date(2024, 10, 22)).events
    assert e.time.date.iso == "2024-10-18"


# ------------------------------------------------------------------ rules found on unseen articles
def test_extract_title_with_object_before_name(read):
    assert ("Antony Blinken", "Antony Blinken", "Person") in _mentions(read("U.S. Secretary of State Antony Blinken spoke."))


def test_extract_relative_clause_and_apposition_name_people_and_bases(read):
    got = _mentions(read("Yu Yong-weon, who met the men, spoke. The ships sailed to Dunai, a military port near "
                         "Vladivostok, and to the villages of Plekhovo and Vorobzha."))
    assert ("Yu Yong-weon", "Yu Yong-weon", "Person") in got
    assert ("Dunai", "Dunai", "MilitaryBase") in got
    assert ("Plekhovo", "Plekhovo", "Place") in got and ("Vorobzha", "Vorobzha", "Place") in got


def test_extract_country_owned_generic_org_names_stay_apart(read):
    got = _mentions(read("South Korea's Central Office spoke, and Japan's Central Office replied."))
    assert ("South Korea's Central Office", "South Korea's Central Office", "Organization") in got
    assert ("Japan's Central Office", "Japan's Central Office", "Organization") in got


def test_extract_qualifying_country_is_mentioned_but_never_the_speaker(read):
    result = read("According to South Korea's spy agency, 1,500 troops left. The US State Department said Monday it "
                  "could not confirm it.")
    assert ("US", "United States", "Country") in _mentions(result)
    assert [c.claimant for c in result.claims] == ["national intelligence service"]
    assert [e.agent for e in result.events] == ["united states department of state"]


def test_extract_named_ships_in_a_list_and_named_again(read):
    result = read("Cargo ships such as the Angara and the Lady R called at Rajin. Later the Angara sailed home.")
    ships = [(m.text, m.label) for _, m in result.mentions if m.type == "Ship"]
    assert ("Angara", "Angara") in ships and ("Lady R", "Lady R") in ships
    assert sum(1 for text, _ in ships if text == "Angara") == 2


def test_extract_initials_name_the_organisation(read):
    result = read("The Royal United Services Institute published a study. RUSI counted at least 64 voyages.")
    assert [(c.claimant, c.quantity, c.kind) for c in result.claims] == [("royal united services institute", 64, "voyages")]


def test_extract_apposition_speaker_and_the_number_referring_back(read):
    result = read("At least 30 troops were killed, the agency, known as HUR, said. The Pentagon said earlier it had "
                  "10,000 troops. The Pentagon estimated that the number was closer to 12,000.")
    assert [(c.claimant, c.quantity, c.kind) for c in result.claims] == [
        ("main intelligence directorate", 30, "killed"), ("united states department of defense", 10000, "troops"),
        ("united states department of defense", 12000, "troops")]


@pytest.mark.parametrize("phrase, begin, until", [
    ("between Oct. 8 and 13", "2024-10-08", "2024-10-13"),
    ("over the weekend", "2024-10-12", "2024-10-13"),
    ("between August 2023 and February 2024", "2023-08", "2024-02"),
])
def test_extract_dates_more_spans(read, phrase, begin, until):
    [event] = read(f"Russian ships transported troops {phrase}.").events
    assert (event.time.begin.iso, event.time.until.iso) == (begin, until)


def test_extract_dateline_capital_is_the_city(read):
    got = _mentions(read("KYIV, Dec 16 - Russia attacked."))
    assert ("KYIV", "Kyiv", "Place") in got


def test_extract_capitalised_words_in_titles_are_not_triggers(read):
    assert read("ISW Russian Offensive Campaign Assessment, January 8, 2025").events == ()


def test_extract_pronoun_statement_continues_the_previous_event(read):
    events = read("President Yoon Suk Yeol convened a security meeting on Friday. He stated that all means must be used. "
                  "He went home.").events
    assert [(e.type, e.agent, e.time.date.iso) for e in events] == [
        ("Meeting", "yoon suk yeol", "2024-10-18"), ("Statement", "yoon suk yeol", "2024-10-18")]


def test_extract_person_coordinated_with_a_known_person(read):
    assert ("Andrii Sybiha", "Andrii Sybiha", "Person") in _mentions(read("Andrii Sybiha and Lloyd Austin met."))


def test_extract_city_inside_an_office_name(read):
    got = _mentions(read("The presidential office in Seoul said so."))
    assert ("presidential office in Seoul", "Office of the President of South Korea", "Organization") in got
    assert ("Seoul", "Seoul", "Place") in got
