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
