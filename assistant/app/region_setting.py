"""The app's region setting ("Uw regio" under Instellingen): kept with the conversation and passed
with every question; a region named in a question still wins."""

from __future__ import annotations

from assistant.present.markdown import md_text

REGION_LABEL = "Uw regio"
REGION_INFO = ("Uw gemeente, arbeidsmarktregio of provincie. Elk antwoord krijgt dan een deel "
               "'In uw regio'. Een regio die u in de vraag noemt (\"Ik ben raadslid in Drenthe\") gaat voor.")
REGION_PLACEHOLDER = "Bijvoorbeeld: Zwolle, Twente of Drenthe"


def region_status(assistant, text: str | None) -> str:
    """What the setting now means, in one Dutch line."""
    name = " ".join((text or "").split())
    if not name:
        return "Geen regio ingesteld."
    regions = getattr(assistant, "regions", None)
    if regions is None:
        return f"Regio ingesteld: **{md_text(name)}**."
    profile = regions.profile(name)
    if not profile.known:
        return (f"**{md_text(name)}** staat niet in corpus/regios.toml; Regiowijzer zoekt dan alleen op "
                f"de naam. Voeg de gemeente toe aan dat bestand voor een vergelijking met de provincie.")
    about = f" ({md_text(profile.omschrijving)})" if profile.omschrijving else ""
    return f"Regio ingesteld: **{md_text(profile.naam)}**{about}."
