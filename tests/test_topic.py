"""The templates' {onderwerp} gets the question's topic only as a well-formed noun phrase, and
every template reads as grammatical Dutch for any question: no doubled words, no bare proper noun
after a preposition, no clause, verb or particle where the noun phrase should be."""

from __future__ import annotations

import re

import pytest

from assistant.compose.modes import fill
from assistant.compose.topic import DEFAULT_TOPIC, question_topic
from ingest.index.corpusdata import load_routekaart

# Asked the way users ask: how, what, why, with places and names, long and short, odd casing.
QUESTIONS = [
    'Hoe kan de gemeenteraad grip houden op regionale samenwerking?',
    'Wat is weefsel?',
    'Wat is dat kwadrantenmodel?',
    'Ik ben raadslid in Drenthe. Hoe pakken we de aansluiting van onderwijs op de arbeidsmarkt aan '
    'in onze regio?',
    'Hoe werken de wethouders samen aan het Kempenpaspoort?',
    'Wat kan Brainport ons leren over de triple helix?',
    'Hoe betrek ik werkgevers bij de regionale arbeidsmarkt?',
    'Hoe pakken we het tekort aan technisch personeel aan?',
    'Welke rol heeft de provincie in de arbeidsmarktregio?',
    'Hoe organiseren we werkgeversdienstverlening in de regio?',
    'Waarom lukt regionale samenwerking vaak niet?',
    'Hoe zorg ik dat de raad op tijd betrokken wordt bij regionale besluiten?',
    'Wat moet ik als nieuw raadslid weten over de arbeidsmarktregio Groningen?',
    'Hoe brengen we een opgave in kaart?',
    'Welke feiten en cijfers heb je nodig voor een regionale agenda?',
    'Hoe krijgen we mensen met een afstand tot de arbeidsmarkt aan het werk?',
    'Wat doet een werkbedrijf?',
    'Hoe maken we een attractieve agenda?',
    'Hoe houden we het mkb betrokken bij de samenwerking?',
    'Hoe verdeel je de kosten tussen gemeenten in een regio?',
    'Wat is de rol van het UWV in de regio?',
    'Hoe pak je laaggeletterdheid regionaal aan?',
    'Wat betekent de responsieve overheid?',
    'Hoe zorgen we voor democratische legitimiteit bij regionale samenwerking?',
    'Hoe evalueren we een regionale samenwerking?',
    'Geef een voorbeeld van een goede samenwerking met het onderwijs.',
    "Welke regio's zijn onderzocht?",
    'Wie is eigenaar van de opgave in een regio?',
    'Hoe bouw je vertrouwen op tussen partners?',
    'Wat kunnen we leren van Twente?',
    'Hoe gaan we om met de krapte in de zorg?',
    'Hoe versterken we de samenwerking met het bedrijfsleven in Zuid-Limburg?',
    'Wat is een Triple Helix-samenwerking?',
    'Hoe werkt de regionale werkgeversservicepunt?',
    'Hoe houden we jongeren in de regio?',
    'Hoe krijgen statushouders sneller werk?',
    'Wat doet de gemeente als werkgever voor mensen met een beperking?',
    'Hoe maken we afspraken over scholing van werkzoekenden?',
    'Hoe pakken we de energietransitie op de arbeidsmarkt aan?',
    'Wat is de rol van de raad bij de arbeidsmarktregio?',
    'Welke partijen horen aan tafel bij een regionale aanpak van jeugdwerkloosheid?',
    'Hoe communiceren we over de resultaten van de samenwerking?',
    'Wat als een gemeente niet mee wil doen?',
    'Hoe zet je een leven lang ontwikkelen op de agenda?',
    "Hoeveel arbeidsmarktregio's zijn er?",
    'Hoe werkt het Regionaal Werkbedrijf Rijk van Nijmegen?',
    'Wat is een leerwerkakkoord?',
    'Hoe betrekken we het mbo bij de regionale arbeidsmarkt?',
    'Hoe zorg ik voor goede informatievoorziening aan de raad over de regio?',
    'Wat is de rol van de wethouder bij regionale samenwerking?',
    'Hoe verbinden we economie en sociaal domein in de regio?',
    'Hoe kan de raad sturen op regionale afspraken over werk?',
    'Hoe pakken we de onderkant van de arbeidsmarkt aan?',
    'Hoe gaan we om met verschillende belangen van gemeenten?',
    'Wat is het verschil tussen structuur en weefsel?',
    'Hoe maken we de regio aantrekkelijk voor talent?',
    'Hoe helpen we werkgevers met personeelstekorten in de techniek?',
    'Welke lessen zijn er uit Agrifood Capital?',
    'Hoe zorgen we dat inwoners merken dat de samenwerking iets oplevert?',
    'Hoe kunnen we samen met het onderwijs omscholing organiseren?',
    'Wat moet de raad weten over het Kempenpaspoort?',
    'Hoe zorgen we dat Brainport ook werkt voor mensen in de bijstand?',
    'Kun je uitleggen wat de netwerkende overheid is?',
    'Hoe vinden we de juiste partners voor een regionaal leerwerkloket?',
    'Wat kunnen we als raad doen aan de mismatch op de arbeidsmarkt?',
    'Hoe richten we een regionaal werkgeversservicepunt in?',
    'wat is een attractieve agenda',
    'HOE PAKKEN WE DE KRAPTE AAN?',
    'En wat betekent dat voor de raad?',
    'Geef een voorbeeld.',
]
ROUTEKAART = load_routekaart()
TEMPLATES = [t for s in ROUTEKAART.stappen for t in (*s.gespreksvragen, *s.raadsvragen)
             if "{onderwerp}" in t] + [o.instructie for o in ROUTEKAART.oefeningen
                                         if "{onderwerp}" in o.instructie]
DETERMINERS = r"(?:de|het|een|onze|deze|dit)"
PREPOSITIONS = r"(?:rond|bij|aan|van|met|over|op|in|tussen|voor|naar|uit)"
PARTICLES = {"aan", "op", "uit", "mee", "af", "in", "toe", "om", "bij", "voor", "met", "van",
             "samen", "terug", "over", "tussen", "door"}
VERBS_AFTER_A_NOUN = re.compile(r"\b(?:maken|organiseren|leren|aanpakken|brengen|zetten|krijgen|doen"
                                r"|houden|versterken|betrekken|aantrekkelijk|regionaal|lokaal|samen"
                                r"|in kaart|op de agenda)\b", re.IGNORECASE)


def problems(text: str, topic: str) -> list[str]:
    """What a rule can see is wrong with a filled template."""
    found = []
    if re.search(r"(?i)\b(\w+) \1\b", text):
        found.append("een woord twee keer achter elkaar")
    if re.search(rf"(?i)\b{PREPOSITIONS} {PREPOSITIONS}\b", text):
        found.append("twee voorzetsels achter elkaar")
    if re.search(rf"(?i)\b{DETERMINERS} {DETERMINERS}\b", text):
        found.append("twee lidwoorden achter elkaar")
    if topic[:1].isupper():
        found.append("een kale eigennaam als onderwerp")
    words = topic.lower().split()
    if words[-1] in PARTICLES or re.fullmatch(DETERMINERS, words[-1]):
        found.append("het onderwerp eindigt op een los voorzetsel of lidwoord")
    if re.search(r"[?!.,;:]", topic) or {"dat", "als", "omdat", "of", "hoe"} & set(words):
        found.append("een bijzin of leesteken in het onderwerp")
    if VERBS_AFTER_A_NOUN.search(topic):
        found.append("een werkwoord of bepaling in het onderwerp")
    if re.search(r"(?i)\bregionale \w*regio", text):
        found.append("'regionale … regio' dubbelop")
    if len(topic.split()) > 7:
        found.append("een onderwerp van meer dan zeven woorden")
    return found


def test_there_are_enough_questions_and_templates():
    assert len(set(QUESTIONS)) >= 50 and len(TEMPLATES) >= 20


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_template_reads_well_for_every_question(template):
    wrong = {}
    for question in QUESTIONS:
        topic = question_topic(question)
        found = problems(fill(template, topic), topic)
        if found:
            wrong[question] = (fill(template, topic), found)
    assert not wrong, wrong


def test_most_questions_give_their_own_topic_the_rest_the_neutral_wording():
    topics = [question_topic(q) for q in QUESTIONS]
    own = [t for t in topics if t != DEFAULT_TOPIC]
    assert len(own) >= len(QUESTIONS) / 3  # the rules do not simply always say "deze opgave"
    assert all(t.lower() in q.lower().replace("dat ", "het ")
               for t, q in zip(topics, QUESTIONS, strict=True) if t != DEFAULT_TOPIC)


@pytest.mark.parametrize("question, topic", [
    ("Wat is weefsel?", "weefsel"),
    ("Wat is een leerwerkakkoord?", "een leerwerkakkoord"),  # the article stays
    ("Wat is dat kwadrantenmodel?", "het kwadrantenmodel"),  # "dat" agrees with a het-word
    ("Wat kan Brainport ons leren over de triple helix?", "de triple helix"),
    ("Hoe maak ik een attractieve agenda?", "een attractieve agenda"),
    ("Hoe pakken we het tekort aan technisch personeel aan?", "het tekort aan technisch personeel"),
    ("Ik ben raadslid in Drenthe. Hoe pakken we de aansluiting van onderwijs op de arbeidsmarkt "
     "aan in onze regio?", "de aansluiting van onderwijs op de arbeidsmarkt"),
    ("Hoe pak je laaggeletterdheid regionaal aan?", "laaggeletterdheid"),  # the adverb goes
    ("Wat moet ik weten over de arbeidsmarktregio Groningen?", "de arbeidsmarktregio Groningen"),
    ("Ik schrijf een notitie over het gebrek aan technici. Hoe maak je daar een zaak van?",
     "het gebrek aan technici"),  # the topic was named in the sentence before
    # the neutral wording where no noun phrase can be taken safely
    ("Waarom is regionale samenwerking lastig?", DEFAULT_TOPIC),
    ("Hoe bouw je vertrouwen op tussen partners in de regio?", DEFAULT_TOPIC),
    ("Hoe werken de wethouders samen aan Kempenpaspoort?", DEFAULT_TOPIC),  # a bare name
    ("Hoe brengen we een opgave in kaart?", DEFAULT_TOPIC),  # an idiom, not a topic
    ("Hoe zet je een leven lang ontwikkelen op de agenda?", DEFAULT_TOPIC),
    ("Hoe maken we de regio aantrekkelijk voor talent?", DEFAULT_TOPIC),
    ("Wat kunnen we leren van Twente?", DEFAULT_TOPIC),  # the verb comes after a modal
    ("Hoe houdt de gemeenteraad grip op regionale samenwerking?", DEFAULT_TOPIC),
    ("", DEFAULT_TOPIC),
])
def test_question_topic(question, topic):
    assert question_topic(question) == topic
