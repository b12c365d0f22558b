from ingest.index.sentences import split_sentences


def test_splits_on_sentence_ends():
    assert split_sentences("Werk is kwetsbaar. Er kan te weinig werk zijn! Wat doet de gemeente?") == [
        "Werk is kwetsbaar.", "Er kan te weinig werk zijn!", "Wat doet de gemeente?"]


def test_keeps_abbreviations_initials_and_page_references_inside_a_sentence():
    text = ("Dr. Milo Schoenmaker is voorzitter. Zie o.a. de routekaart (p. 180). "
            "J. van Zanen schreef het voorwoord.")
    assert split_sentences(text) == [
        "Dr. Milo Schoenmaker is voorzitter.", "Zie o.a. de routekaart (p. 180).",
        "J. van Zanen schreef het voorwoord."]


def test_quote_closing_after_period_stays_with_its_sentence():
    assert split_sentences("‘Maar vanzelf gaat het niet altijd.’ Daarna volgt meer.") == [
        "‘Maar vanzelf gaat het niet altijd.’", "Daarna volgt meer."]


def test_empty_and_lowercase_continuations():
    assert split_sentences("   ") == []
    assert split_sentences("Het kost 3.5 miljoen. en dat is veel") == [
        "Het kost 3.5 miljoen. en dat is veel"]
