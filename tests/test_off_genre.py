"""A real feed also carries sport, business and entertainment: no military events or troop counts
invented there, while the same words in a conflict sentence still make them. Sentences written
after those of a real outlet's off-genre articles (benchmarks/real_corpus.py --sample)."""
import pytest


@pytest.mark.parametrize("text", [
    "The former striker, who moved to City in 2003, has battled back into the first team.",
    "Figures show that 26 billion texts were sent in total in 2004.",
    "The first airliners will be delivered to Japan Airlines in April 2008.",
    "The song became her first UK hit in April 2004.",
    "There were 70 gun crime deaths in England between June 2003 and 2004.",
    "The company launched its new phone on Monday.",
])
def test_no_military_event_in_off_genre_sentences(read, text):
    assert read(text).events == ()


@pytest.mark.parametrize("text, kind", [
    ("Russia sent 3,000 troops to the border on Monday.", "Deployment"),
    ("The army moved two brigades to the front on Monday.", "Deployment"),
    ("Iran delivered drones to Russia in August.", "ArmsTransfer"),
    ("Rebels launched rockets at the base on Monday.", "Attack"),
    ("The two countries fought a six-week war in 2020.", "Attack"),
    ("Kyiv reported the death of six officers in Donetsk on 4 October.", "Attack"),
])
def test_the_same_triggers_still_make_events_in_conflict_sentences(read, text, kind):
    assert [e.type for e in read(text).events] == [kind]


@pytest.mark.parametrize("text", [
    "Women can expect to live until 85, men until 78.",               # an age, then "men"
    "The award is chosen by BBC Four viewers.",                       # a number word in a name
    "They will meet League One leaders Luton.",
    "Teams play on the weekend of 8/9 January.",                      # a date range
])
def test_no_count_from_ages_names_and_dates(read, text):
    assert read(text).claims == ()


def test_a_count_stops_at_the_comma(read):
    claims = read("Rebels seized 3 towns, 12 vehicles and 400 prisoners.").claims
    assert [(c.quantity, c.kind) for c in claims] == [(3, "towns"), (12, "vehicles"), (400, "captured")]


# ------------------------------------------------------------------ mechanisms from the news-dev conflicts
def test_a_source_described_before_its_name(read):
    r = read("According to the conflict tracking organization Armed Conflict Location and Event Data (ACLED), "
             "around 1,700 people were killed in Niger in 2024.")
    assert [(c.quantity, c.claimant) for c in r.claims] == [(1700, "armed conflict location and event data")]


def test_the_initials_in_brackets_join_a_name_across_and(read):
    r = read("Researchers at the Armed Conflict Location and Event Data (ACLED) said so.")
    assert "Armed Conflict Location and Event Data" in [m.text for _, m in r.mentions]


def test_statistics_from_a_source(read):
    r = read("Since 2014, 11,235 airstrikes have been conducted in Syria, according to statistics from the "
             "Department of Defense.")
    assert [c.claimant for c in r.claims] == ["united states department of defense"]


def test_they_said_is_the_last_body_quoted(read):
    r = read("The United Nations said 122 fighters were in the country. They said the remaining 83 operatives "
             "were from its combat units.")
    assert [(c.quantity, c.claimant) for c in r.claims][-1] == (83, "united nations")


@pytest.mark.parametrize("text", [
    "North Korea fired several cruise missiles into the Yellow Sea on Wednesday.",
    "North Korea on Sunday tested its longest-range ballistic missile to date.",
    "North Korea launched a ballistic missile on Friday in what Seoul called a test.",
])
def test_a_missile_test_is_training_not_an_attack(read, text):
    assert [e.type for e in read(text).events] == ["Training"]


def test_a_missile_fired_at_a_target_stays_an_attack(read):
    assert [e.type for e in read("Russia fired missiles at Kyiv on Monday.").events] == ["Attack"]


def test_an_investigation_found_is_its_claim(read):
    r = read("Between 9,000 and 11,000 people were killed in the battle, an Associated Press (AP) investigation "
             "has found.")
    assert {c.claimant for c in r.claims} == {"associated press"}


def test_a_trigger_naming_a_record_is_no_event_and_the_report_is_a_statement(read):
    events = read("Human Rights Watch released a report on Sept. 24 that analyzed two airstrikes outside Raqqa.").events
    assert [(e.type, e.agent) for e in events] == [("Statement", "human rights watch")]
    assert read("An airstrike report on Thursday listed the raids.").events == ()


def test_the_passive_by_names_the_attacker_and_a_speaker_is_not_one(read):
    by = read("Air strikes were conducted by Russia on Monday near Idlib.").events
    assert [(e.type, e.agent) for e in by] == [("Attack", "russia")]
    said = read("The Pentagon said air strikes hit Raqqa on Monday.").events
    assert [(e.type, e.agent) for e in said] == [("Attack", None)]


def test_a_ship_named_before_its_class(read):
    r = read("On the night of 13 September, the Russians lost the Minsk landing ship and the Rostov submarine "
             "in occupied Sevastopol to a successful Ukrainian missile attack.")
    ships = [(m.label, m.type) for _, m in r.mentions if m.type == "Ship"]
    assert ships == [("Minsk", "Ship"), ("Rostov", "Ship")]
    assert [e.type for e in r.events] == ["Attack"]        # dated by the phrase that opens the sentence
    # a demonym or an operator's initials before the class say whose ship, not which
    assert [m.label for _, m in read("The Russian landing ship and the PCG vessel were seen.").mentions
            if m.type == "Ship"] == ["landing ship", "vessel"]


def test_the_name_that_closes_an_apposition_speaks(read):
    r = read("The Russians relocated three large landing ships, spokesman of the Ukrainian Naval Forces, "
             "Dmytro Pletenchuk, said on Ukrainian television.")
    assert [(c.quantity, c.claimant) for c in r.claims] == [(3, "dmytro pletenchuk")]


def test_initials_in_brackets_inside_a_name_and_a_day_before_the_verb(read):
    r = read("The Iraqi Counter-Terrorism (CT) Service on Saturday announced its mission was complete, "
             "retaking 57 neighborhoods.")
    assert "Iraqi Counter-Terrorism Service" in [m.label for _, m in r.mentions]
    assert [(c.quantity, c.claimant) for c in r.claims] == [(57, "iraqi counter terrorism service")]


@pytest.mark.parametrize("text, counts", [
    ("The attack had killed 59 people, with one reporting 138 wounded.", [(59, "people"), (138, "injured")]),
    ("Shelling killed four people and wounded some 16 in just one night due to the rockets.",
     [(4, "people"), (16, "injured")]),
])
def test_one_as_a_pronoun_or_a_length_of_time_counts_nothing(read, text, counts):
    assert [(c.quantity, c.kind) for c in read(text).claims] == counts
