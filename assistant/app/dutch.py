"""Dutch on every Gradio widget, whatever language the browser asks for.

Gradio translates its own texts ("Drop File Here", "Clear") by the browser's language. Our
translations are handed to it for every language it ships (`launch(i18n=...)`); written as flat
keys ("upload_text.drop_file"), they take precedence over its nested built-in ones. A few labels
Gradio writes in English without a translation key (screen-reader labels, tooltips) are relabelled
in the page by `RELABEL_JS`.
"""

from __future__ import annotations

import json

# The languages Gradio 6 ships translations for (its frontend's lang/*.json); a browser asking for
# another language gets Gradio's English, which the "en" entry covers.
GRADIO_LOCALES = ("ar", "ca", "ckb", "de", "en", "es", "et", "eu", "fa", "fi", "fr", "he", "hi", "ja",
                  "ko", "lt", "nb", "nl", "pl", "pt", "pt-BR", "ro", "ru", "sv", "ta", "th", "tr", "uk",
                  "ur", "uz", "zh-CN", "zh-TW")

# Gradio's translation keys for what this app shows, in Dutch.
GRADIO_NL: dict[str, str] = {
    "upload_text.drop_file": "Sleep een bestand hierheen",
    "upload_text.click_to_upload": "klik om te uploaden",
    "upload_text.drop_csv": "Sleep een CSV-bestand hierheen",
    "upload_text.paste_clipboard": "Plakken vanaf het klembord",
    "common.or": "of",
    "common.clear": "Wissen",
    "common.download": "Downloaden",
    "common.download_all": "Alles downloaden",
    "common.edit": "Bewerken",
    "common.empty": "Leeg",
    "common.error": "Fout",
    "common.loading": "Bezig met laden",
    "common.remove": "Verwijderen",
    "common.submit": "Versturen",
    "common.undo": "Ongedaan maken",
    "common.settings": "Instellingen",
    "common.language": "Taal",
    "common.progress": "Voortgang",
    "common.built_with": "gemaakt met",
    "common.built_with_gradio": "Gemaakt met Gradio",
    "chatbot.copy_message": "Bericht kopiëren",
    "chatbot.copied_message": "Bericht gekopieerd",
    "chatbot.clear": "Gesprek wissen",
    "chatbot.edit": "Bewerken",
    "chatbot.retry": "Opnieuw",
    "chatbot.undo": "Ongedaan maken",
    "chatbot.submit": "Versturen",
    "chatbot.cancel": "Annuleren",
    "chatbot.like": "Nuttig",
    "chatbot.dislike": "Niet nuttig",
    "chatbot.complete": "Klaar",
    "chat_interface.conversation": "Gesprek",
    "checkbox.checkbox": "Selectievakje",
    "checkbox.checkbox_group": "Groep selectievakjes",
    "dropdown.dropdown": "Keuzelijst",
    "radio.radio": "Keuzerondje",
    "file.uploading": "Bezig met uploaden…",
    "dataframe.sort_column": "Kolom sorteren",
    "dataframe.sort_ascending": "Oplopend sorteren",
    "dataframe.sort_descending": "Aflopend sorteren",
    "dataframe.clear_sort": "Sortering wissen",
    "dataframe.filter": "Filteren",
    "dataframe.clear_filter": "Filters wissen",
    "blocks.lost_connection": "De verbinding is verbroken; opnieuw verbinden…",
    "blocks.waiting_for_inputs": "Even wachten tot het bestand is geüpload; probeer het dan opnieuw.",
    "blocks.connection_can_break": "Op een telefoon kan de verbinding wegvallen als dit tabblad niet "
                                   "actief is of het toestel in slaap valt.",
    "errors.use_via_api": "Gebruik via de API",
    "login.login": "Inloggen",
    "login.username": "Gebruikersnaam",
    "login.password": "Wachtwoord",
    "login.enable_cookies": "Sta cookies toe om in te loggen (in een incognitovenster kan dat "
                            "uit staan).",
    "login.incorrect_credentials": "Onjuiste gebruikersnaam of wachtwoord.",
    "status.queue_position": "In de wachtrij: {position} van {size}",
}

# Labels Gradio writes in English with no translation key (screen readers and tooltips).
GRADIO_HARDCODED_NL: dict[str, str] = {
    "Click to upload or drop files": "Klik om te uploaden of sleep een bestand hierheen",
    "File upload": "Bestand uploaden",
    "chatbot conversation": "Gesprek",
    "More tabs": "Meer tabbladen",
    "Open cell menu": "Celmenu openen",
    "Table actions": "Tabelacties",
    "Copy table data": "Tabel kopiëren",
    "Copied to clipboard": "Gekopieerd",
    "Fullscreen": "Volledig scherm",
    "Exit fullscreen mode": "Volledig scherm verlaten",
    "Copy": "Kopiëren",
    "Copied!": "Gekopieerd",
    "Clear": "Wissen",
    "Loading...": "Bezig met laden…",
    "Scroll down": "Naar beneden scrollen",
}
MESSAGE_PREFIXES_NL = {"user's message: ": "Vraag: ", "bot's message: ": "Antwoord: ",
                       "Select example ": "Voorbeeldvraag "}


def gradio_i18n():
    """Our Dutch for Gradio's own texts, for every language it could pick from the browser."""
    import gradio as gr

    return gr.I18n(**{locale: dict(GRADIO_NL) for locale in GRADIO_LOCALES})


# Runs once on page load (launch(js=...)): relabels what Gradio keeps writing in English.
RELABEL_JS = """
(() => {
  if (window.__rwDutch) return;
  window.__rwDutch = true;
  // the page is Dutch whatever language the browser asks for (Gradio may set its own)
  const root = document.documentElement;
  const dutch = () => { if (root.lang !== 'nl') root.lang = 'nl'; };
  dutch();
  new MutationObserver(dutch).observe(root, {attributes: true, attributeFilter: ['lang']});
  const words = __WORDS__;
  const prefixes = __PREFIXES__;
  const fix = (el) => {
    for (const attr of ['aria-label', 'title']) {
      const value = el.getAttribute && el.getAttribute(attr);
      if (!value) continue;
      if (words[value]) { el.setAttribute(attr, words[value]); continue; }
      for (const [english, dutch] of Object.entries(prefixes)) {
        if (value.startsWith(english)) el.setAttribute(attr, dutch + value.slice(english.length));
      }
    }
  };
  const sweep = (root) => {
    fix(root);
    root.querySelectorAll && root.querySelectorAll('[aria-label], [title]').forEach(fix);
  };
  sweep(document.body);
  new MutationObserver((changes) => changes.forEach((c) => {
    if (c.type === 'attributes') fix(c.target);
    c.addedNodes && c.addedNodes.forEach((n) => n.nodeType === 1 && sweep(n));
  })).observe(document.body, {subtree: true, childList: true, attributes: true,
                              attributeFilter: ['aria-label', 'title']});
})();
""".replace("__WORDS__", json.dumps(GRADIO_HARDCODED_NL, ensure_ascii=False)).replace(
    "__PREFIXES__", json.dumps(MESSAGE_PREFIXES_NL, ensure_ascii=False))
