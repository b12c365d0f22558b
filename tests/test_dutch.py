import json
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from seed import pristine_corpus

from ingest.index.chargrams import CharGramAnalyzer
from ingest.index.dutch import (
    DUTCH_STOPWORDS,
    QUERY_FILLER,
    CompoundSplitter,
    DutchAnalyzer,
    fold,
    words,
)

CORPUS = sorted(pristine_corpus().glob("*.txt"))

# A small, realistic vocabulary: counts as the index builder would pass them.
VOCAB = {
    "samenwerking": 40, "arbeidsmarkt": 12, "regio": 30, "werkgevers": 9, "klant": 3,
    "bestand": 2, "belang": 5, "rijk": 4, "waarde": 3, "ring": 2, "samen": 20, "werking": 3,
    "best": 2, "stuur": 2, "kpi": 3, "toevallig": 1,
}


@pytest.fixture(scope="module")
def corpus_texts():
    if not CORPUS:
        pytest.skip("no corpus/*.txt")
    return [p.read_text(encoding="utf-8") for p in CORPUS]


@pytest.fixture(scope="module")
def corpus_splitter(corpus_texts):
    return CompoundSplitter.from_texts(corpus_texts)


def stems(word):
    return DutchAnalyzer().index_tokens(word)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Één", "een"),
        ("geïnteresseerd", "geinteresseerd"),
        ("Financiële", "financiele"),
        ("regio’s", "regio's"),
        ("KPI‘s", "kpi's"),
        ("Noord‑Holland", "noord-holland"),  # non-breaking hyphen
        ("co\u00adcreatie", "cocreatie"),  # soft hyphen
        ("ĳsselmonde", "ijsselmonde"),
        ("", ""),
    ],
)
def test_fold(text, expected):
    assert fold(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("regio’s en KPI's", ["regio", "en", "kpi"]),
        ("35 arbeidsmarktregio’s", ["35", "arbeidsmarktregio"]),
        ("domein-overschrijdend", ["domein", "overschrijdend", "domeinoverschrijdend"]),
        ("Noord-Holland", ["noord", "holland", "noordholland"]),
        ("Triple Helix-samenwerking", ["triple", "helix", "samenwerking", "helixsamenwerking"]),
        ("zzp’ers, zo'n één", ["zzp", "zo", "een"]),
        ("arbeids- en zorgmarkt", ["arbeids", "en", "zorgmarkt"]),
        ("fase 2 van 3D (o.a.)", ["fase", "2", "van", "3d"]),  # single letters go
        ("werk_naam\r\nregel", ["werk", "naam", "regel"]),
        ("  --  ’ ", []),
    ],
)
def test_words(text, expected):
    assert words(text) == expected


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("samenwerkingsverband", ["samenwerking", "verband"]),  # linking s; "verband" is seed
        ("arbeidsmarktregio", ["arbeidsmarkt", "regio", "arbeid", "markt"]),
        ("werkgeversdienstverlening", ["werkgevers", "dienstverlening", "dienst", "verlening"]),
        ("klantenbestand", ["klant", "bestand"]),  # linking en
        ("gemeenteraad", ["gemeente", "raad"]),
        ("regios", ["regio"]),  # plural typed without apostrophe
        ("kpis", ["kpi"]),
        # non-compounds and nonsense splits that must not happen
        ("samenwerking", []),  # "samen" is a particle, not a part
        ("bestuur", []),  # best + uur: parts too short
        ("organisatie", []),
        ("belangrijk", []),  # rijk cannot end a compound
        ("waardering", []),  # waarde + ring
        ("arbeid", []),
        ("regio", []),
        ("toevalligheid", []),  # "toevallig" seen once, below min_count
        ("", []),
    ],
)
def test_split(word, parts):
    assert CompoundSplitter(VOCAB).split(word) == parts


def test_split_prefers_known_whole_parts_over_more_pieces():
    assert CompoundSplitter({"arbeid": 2, "markt": 2})._best_split("arbeidsmarkt") == [
        "arbeid", "markt"
    ]
    assert CompoundSplitter(VOCAB)._best_split("arbeidsmarktregio") == ["arbeidsmarkt", "regio"]


def test_split_result_is_a_copy():
    splitter = CompoundSplitter(VOCAB)
    splitter.split("gemeenteraad").append("x")
    assert splitter.split("gemeenteraad") == ["gemeente", "raad"]


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("samenwerkingsverband", ["samenwerking", "verband"]),
        ("onderwijsinstellingen", ["onderwijs", "instellingen"]),
        ("uitvoeringsorganisaties", ["uitvoering", "organisaties"]),
        ("rijksoverheid", ["rijk", "overheid"]),
        ("verschillende", []),  # not verschil + "lende" (a hyphenation leftover)
        ("gemeentelijke", []),
        ("belangrijke", []),
        ("onderwijs", []),
        ("overheid", []),
        ("regionalisering", []),
    ],
)
def test_split_with_corpus_vocabulary(corpus_splitter, word, parts):
    assert corpus_splitter.split(word) == parts


@pytest.mark.parametrize(
    "forms",
    [
        ("gemeente", "gemeenten", "gemeentes"),
        ("samenwerking", "samenwerkingen"),
        ("werkgever", "werkgevers"),
        ("regio", "regio's", "regio’s"),
        ("onderwijsinstelling", "onderwijsinstellingen"),
        ("financiële", "financiele"),
        ("geïnteresseerd", "geinteresseerd"),
        ("organisatie", "organisaties"),
        ("bedrijf", "bedrijven"),
        ("klein", "kleine"),
        ("belangrijk", "belangrijke"),
        ("werken", "gewerkt"),
        ("KPI", "KPI's"),
    ],
)
def test_inflections_share_a_stem(forms):
    assert len({tuple(stems(f)) for f in forms}) == 1


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("gemeente", "mening"),  # Snowball alone gives "meen" for both
        ("gebied", "bieden"),  # Snowball alone gives "bied" for both
        ("wet", "weet"),
        ("raad", "rad"),
        ("regio", "regie"),
        ("werk", "werkgever"),
    ],
)
def test_different_words_keep_different_stems(a, b):
    assert stems(a) != stems(b)


def test_index_tokens_drop_stopwords_add_parts_and_stem():
    analyzer = DutchAnalyzer(CompoundSplitter(VOCAB))
    text = "De samenwerkingen in de arbeidsmarktregio’s zijn domein-overschrijdend."
    assert analyzer.index_tokens(text) == [
        "samenwerk", "arbeidsmarktregio", "arbeidsmark", "regio", "arbeid", "mark",
        "domein", "overschrijd", "domeinoverschrijd",
    ]


def test_index_tokens_keep_term_frequency_but_not_expansion_duplicates():
    analyzer = DutchAnalyzer(CompoundSplitter(VOCAB))
    assert analyzer.index_tokens("regio regio") == ["regio", "regio"]
    # helix-samenwerking -> helix, samenwerking, helixsamenwerking (whose parts repeat those)
    assert analyzer.index_tokens("Helix-samenwerking") == ["helix", "samenwerk", "helixsamenwerk"]


def test_query_tokens_drop_filler():
    analyzer = DutchAnalyzer(CompoundSplitter(VOCAB))
    query = "Ik ben net raadslid, wat zeggen de bronnen eigenlijk over samenwerkingsverband?"
    assert analyzer.query_tokens(query) == [
        "raadslid", "samenwerkingsverband", "samenwerk", "verband"
    ]
    assert analyzer.query_tokens("Geef graag uitleg: hoe werkt het?") == ["werk"]
    assert analyzer.query_tokens("Wat?") == []
    # filler words are content in documents ("informatie"), so only queries lose them
    assert analyzer.index_tokens("informatie") != []


def test_stopword_lists():
    assert {"de", "het", "een", "en", "van", "zijn", "worden", "zouden", "onze"} <= DUTCH_STOPWORDS
    assert {"graag", "vertel", "uitleg", "bronnen", "eigenlijk"} <= QUERY_FILLER
    content = {"regio", "gemeente", "samen", "werk", "raad", "wet", "raadslid"}
    assert not content & (DUTCH_STOPWORDS | QUERY_FILLER)
    assert all(w == fold(w) for w in DUTCH_STOPWORDS | QUERY_FILLER)


def test_without_stemming_or_splitting():
    analyzer = DutchAnalyzer(stem=False)
    assert analyzer.index_tokens("De arbeidsmarktregio’s") == ["arbeidsmarktregio"]


def test_config_round_trip_gives_identical_tokens(corpus_texts, corpus_splitter):
    analyzer = DutchAnalyzer(corpus_splitter)
    config = analyzer.to_config()
    # saved and loaded as JSON, as the lexical index does
    saved = json.loads(json.dumps(config)), json.loads(json.dumps(corpus_splitter.vocabulary))
    reloaded = DutchAnalyzer.from_config(*saved)
    assert reloaded.to_config() == config
    for text in corpus_texts:
        assert reloaded.index_tokens(text) == analyzer.index_tokens(text)
    plain = DutchAnalyzer(stem=False)
    assert DutchAnalyzer.from_config(plain.to_config()).to_config() == plain.to_config()


def test_config_mismatch_is_refused():
    config = DutchAnalyzer(CompoundSplitter(VOCAB)).to_config()
    with pytest.raises(ValueError, match="vocabulary"):
        DutchAnalyzer.from_config(config)
    with pytest.raises(ValueError, match="splitter"):
        DutchAnalyzer.from_config(config, {**VOCAB, "nieuw": 5})
    with pytest.raises(ValueError, match="stopwords"):
        DutchAnalyzer.from_config({**config, "stopwords": "0" * 16}, VOCAB)
    with pytest.raises(ValueError, match="stemmer_probe"):
        DutchAnalyzer.from_config({**config, "stemmer_probe": "0" * 16}, VOCAB)


def test_corpus_query_meets_split_compounds(corpus_splitter):
    analyzer = DutchAnalyzer(corpus_splitter)
    query = set(analyzer.query_tokens("samenwerkingsverband arbeidsmarktregio"))
    text = set(analyzer.index_tokens("samenwerking in de arbeidsmarkt regio"))
    assert {"samenwerk", "arbeidsmark", "regio"} <= query & text
    werkgevers = set(analyzer.query_tokens("werkgeversdienstverlening"))
    assert werkgevers & set(analyzer.index_tokens("dienstverlening aan werkgevers")) >= {
        "werkver", "dienstverleen"
    }


def test_whole_corpus_is_tokenised_quickly(corpus_texts):
    start = time.perf_counter()
    analyzer = DutchAnalyzer(CompoundSplitter.from_texts(corpus_texts))
    tokens = [analyzer.index_tokens(text) for text in corpus_texts]
    assert sum(map(len, tokens)) > 5000
    assert time.perf_counter() - start < 3.0


PROPERTY_ANALYZER = DutchAnalyzer(CompoundSplitter(VOCAB))


DUTCHISH = st.text(alphabet=st.sampled_from("aeiousnrtgkldmw-'’ éëïĳ\u00ad0\n"), max_size=60)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), DUTCHISH))
def test_tokens_are_never_empty_strings(text):
    for tokens in (PROPERTY_ANALYZER.index_tokens(text), PROPERTY_ANALYZER.query_tokens(text)):
        assert all(isinstance(t, str) and t for t in tokens)


# --- character grams (the fuzzy field) -----------------------------------------------------------


def test_char_grams_join_word_forms_the_stemmer_keeps_apart():
    grams = CharGramAnalyzer()
    stemmer = DutchAnalyzer()
    assert not set(stemmer.query_tokens("technici")) & set(stemmer.index_tokens("technisch personeel"))
    shared = set(grams.query_tokens("technici")) & set(grams.index_tokens("technisch personeel"))
    assert {"#tec", "tech", "echn", "chni"} <= shared
    assert "#tec" in grams.index_tokens("Technísche") and "che#" in grams.index_tokens("Technísche")


def test_char_grams_skip_stopwords_short_words_and_question_filler():
    grams = CharGramAnalyzer()
    assert grams.index_tokens("de en het is van") == []
    assert grams.index_tokens("KPI cao") == []  # under four letters: too short to say much
    assert grams.query_tokens("Welke informatie geven de bronnen?") == []
    assert grams.index_tokens("regio's") == grams.index_tokens("regio")


def test_char_gram_config_round_trips_and_refuses_another_setting():
    config = CharGramAnalyzer().to_config()
    assert CharGramAnalyzer.from_config(config).to_config() == config
    with pytest.raises(ValueError, match="rebuild"):
        CharGramAnalyzer.from_config({**config, "min_word": 3})
