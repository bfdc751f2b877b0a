from kg.text import fold, name_key, split_sentences


def test_text_sentences_keep_offsets_and_abbreviations():
    text = "U.S. Defense Secretary Lloyd Austin spoke on Oct. 19. He left.\nHeadline without stop\n“Quoted.” Next one."
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == ["U.S. Defense Secretary Lloyd Austin spoke on Oct. 19.", "He left.",
                                           "Headline without stop", "“Quoted.”", "Next one."]
    assert all(text[s.start:s.end] == s.text for s in sentences)


def test_text_fold_keeps_length():
    for s in ["Kim Jong-un’s", "Zelenskýi — “x”", "ÅÄÖ"]:
        assert len(fold(s)) == len(s)


def test_text_name_key_spellings_meet():
    assert name_key("Kim Jong-un") == name_key("Kim Jong Un") == "kim jong un"
    assert name_key("the Kyiv Post") == name_key("Kyiv Post")
    assert name_key("NIS’s") == "nis"


def test_phrase_index_finds_the_longest_phrase_at_each_word_whatever_the_spacing():
    from kg.extract.phrases import PhraseIndex

    index = PhraseIndex(["kim jong", "kim jong un", "u.s.", "u. s. army", "korea"])
    text = "kim  jong un met u.s. and u.s. army men; kim jong left korea, kim"
    found = [(text[a:b], phrase) for a, b, phrase in index.find(text)]
    assert found == [("kim  jong un", "kim jong un"), ("u.s.", "u.s."), ("u.s. army", "u. s. army"),
                     ("kim jong", "kim jong"), ("korea", "korea")]
    assert index.find("jong un") == [] and not PhraseIndex([])
    # a later phrase with the same tokens replaces the earlier one
    assert PhraseIndex(["u.s.", "u. s."]).find("u.s.") == [(0, 4, "u. s.")]


def test_a_stop_glued_to_the_next_sentence_still_ends_one_but_not_inside_an_address():
    text = "Eritrea began withdrawing its forces on Friday.The Tigray People's Liberation Front said so. " \
           "Read it at www.Example.Com today."
    assert [s.text for s in split_sentences(text)] == [
        "Eritrea began withdrawing its forces on Friday.", "The Tigray People's Liberation Front said so.",
        "Read it at www.Example.Com today."]
