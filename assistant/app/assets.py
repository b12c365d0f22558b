"""The app's own JavaScript and CSS, kept apart from the layout in `assistant.app.ui`."""

# A click on [n] in the chat brings source n into view; registered once on the document.
CITATION_JS = """
if (!window.__rwCitations) {
  window.__rwCitations = true;
  document.addEventListener('click', (event) => {
    const link = event.target.closest && event.target.closest('a[href^="#bron-"]');
    if (!link) return;
    event.preventDefault();
    event.stopPropagation();
    const card = document.getElementById(decodeURIComponent(link.getAttribute('href').slice(1)));
    if (!card) return;
    for (let el = card.parentElement; el; el = el.parentElement) {
      if (el.tagName === 'DETAILS') el.open = true;  // sources of an earlier answer are folded
    }
    document.querySelectorAll('.rw-source.rw-active').forEach((el) => el.classList.remove('rw-active'));
    card.classList.add('rw-active');
    card.scrollIntoView({behavior: 'smooth', block: 'start'});
    card.focus({preventScroll: true});
  }, true);
}
"""
ROUTE_JS = """
element.addEventListener('click', (event) => {
  const button = event.target.closest('[data-step]');
  if (button) trigger('click', {step: Number(button.dataset.step)});
});
"""
SOURCES_CSS = """
.rw-sources h3 { font-size: 1rem; margin: 0 0 .5rem; }
.rw-source { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: .6rem .8rem;
  margin-bottom: .6rem; scroll-margin-top: 1rem; }
.rw-source.rw-active, .rw-source:focus { outline: 3px solid var(--color-accent); }
.rw-source h4 { margin: 0 0 .25rem; font-size: .95rem; }
.rw-meta { font-size: .8rem; color: var(--body-text-color-subdued); margin: 0 0 .4rem; }
.rw-passage { white-space: pre-wrap; font-size: .9rem; margin: 0; }
mark.rw-cited { background: #fff3a3; color: #1a1a1a; padding: 0 .1em; }
.rw-neighbour summary { cursor: pointer; font-size: .85rem; margin-top: .4rem; }
.rw-empty { color: var(--body-text-color-subdued); }
.rw-earlier > summary { cursor: pointer; font-weight: 600; margin: .6rem 0 .4rem; }
"""
ROUTE_CSS = """
.rw-route ol { list-style: none; padding: 0; margin: 0; }
.rw-route li.rw-step { display: grid; grid-template-columns: minmax(0, 11fr) minmax(0, 9fr);
  gap: .5rem; align-items: center; margin-bottom: .3rem; }
.rw-route ul { list-style: none; margin: 0; padding: 0; font-size: .75rem; line-height: 1.25;
  color: var(--body-text-color-subdued); }
.rw-step-btn { width: 100%; text-align: left; padding: .25rem .5rem; border-radius: 6px; cursor: pointer;
  border: 1px solid var(--border-color-primary); background: var(--background-fill-secondary);
  color: var(--body-text-color); font-weight: 600; font-size: .85rem; }
.rw-step-btn:hover, .rw-step-btn:focus-visible { outline: 2px solid var(--color-accent); }
.rw-covered > .rw-step-btn { background: var(--color-accent-soft); border-color: var(--color-accent); }
.rw-focus > .rw-step-btn { outline: 2px solid var(--color-accent); }
.rw-ww.rw-covered { font-weight: 600; color: var(--body-text-color); }
.rw-mark { margin-left: .3rem; color: var(--color-accent); }
.rw-sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
"""
# Layout only; launch() passes it to Gradio (Gradio 6 takes css/theme at launch, not in Blocks).
APP_CSS = """
#rw-side { position: sticky; top: .5rem; max-height: calc(100vh - 1rem); overflow-y: auto;
  flex-wrap: nowrap; }
#rw-side > * { flex-shrink: 0; }
#rw-title h2 { margin: 0; }
@media (max-width: 760px) { #rw-side { position: static; max-height: none; } }
"""
# A new answer opens at its top: when a new reply appears in the chat, its first line is kept at
# the top of the chat while the reply fills in (the Chatbot's own autoscroll, to the bottom, is off),
# so the reader starts at "Kort antwoord", not at "Bronnen:". Scrolling or clicking in the chat
# hands control back to the reader. Registered once on the document (launch(js=...)).
CHAT_TOP_JS = """
(() => {
  if (window.__rwChatTop) return;
  window.__rwChatTop = true;
  const CLEAR = 30;  // below the chat's floating "Gesprek" label
  let seen = 0, pinned = null;
  const release = () => { pinned = null; };
  const place = () => {
    const log = document.querySelector('#rw-chat [role="log"]');
    if (!log) return;
    if (!log.__rwListens) {
      log.__rwListens = true;
      for (const type of ['wheel', 'touchstart', 'pointerdown', 'keydown']) {
        log.addEventListener(type, release, {passive: true});
      }
    }
    const replies = log.querySelectorAll('.message-row.bot-row');
    if (replies.length < seen) seen = 0;  // a new conversation
    if (replies.length > seen) { seen = replies.length; pinned = replies.length - 1; }
    const reply = pinned === null ? null : replies[pinned];
    if (!reply) return;
    const offset = reply.getBoundingClientRect().top - log.getBoundingClientRect().top - CLEAR;
    if (Math.abs(offset) > 1) log.scrollTop += offset;
  };
  new MutationObserver(place).observe(document.body, {childList: true, subtree: true,
                                                      characterData: true});
})();
"""


def app_theme():
    """Gradio's default look with whole fonts: its bundled Source Sans Pro 'SemiBold' (600) file
    holds only a handful of letters, so in bold text (headings, buttons) a capital B came from the
    bundled file and the other letters from the fallback font. Declaring only 400 and 700 makes
    every bold run use the complete Bold file."""
    import gradio as gr
    from gradio.themes.utils import fonts

    return gr.themes.Default(
        font=(fonts.LocalFont("Source Sans Pro", weights=(400, 700)), "ui-sans-serif", "system-ui",
              "sans-serif"),
        font_mono=(fonts.LocalFont("IBM Plex Mono", weights=(400, 700)), "ui-monospace", "Consolas",
                   "monospace"))
