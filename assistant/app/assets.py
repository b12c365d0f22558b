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
    if (window.matchMedia('(max-width: 760px)').matches) {
      // A phone: the source opens over the answer, with a way back, instead of a long jump down.
      let dialog = document.getElementById('rw-source-dialog');
      if (!dialog) {
        dialog = document.createElement('dialog');
        dialog.id = 'rw-source-dialog';
        dialog.setAttribute('aria-label', 'Bron');
        dialog.innerHTML = '<button type="button" class="rw-back">← Terug naar het antwoord</button>' +
                           '<div class="rw-dialog-body"></div>';
        dialog.querySelector('.rw-back').addEventListener('click', () => dialog.close());
        dialog.addEventListener('click', (e) => { if (e.target === dialog) dialog.close(); });
        dialog.addEventListener('close', () => {
          if (dialog.__rwFrom && dialog.__rwFrom.isConnected) dialog.__rwFrom.focus({preventScroll: true});
        });
        document.body.appendChild(dialog);
      }
      const copy = card.cloneNode(true);
      copy.removeAttribute('id');
      copy.querySelectorAll('[id]').forEach((el) => el.removeAttribute('id'));
      const body = dialog.querySelector('.rw-dialog-body');
      body.replaceChildren(copy);
      dialog.__rwFrom = link;
      if (!dialog.open) dialog.showModal();
      body.scrollTop = 0;
      dialog.querySelector('.rw-back').focus();
      return;
    }
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
/* the source opened over the answer on a phone (CITATION_JS) */
#rw-source-dialog { width: calc(100vw - 1.5rem); max-width: 40rem; max-height: calc(100vh - 2rem);
  padding: 0; border: 1px solid var(--border-color-primary); border-radius: 10px;
  background: var(--background-fill-primary); color: var(--body-text-color); }
#rw-source-dialog::backdrop { background: rgba(0, 0, 0, .45); }
#rw-source-dialog .rw-back { position: sticky; top: 0; width: 100%; text-align: left; font-weight: 600;
  padding: .7rem .9rem; border: 0; border-bottom: 1px solid var(--border-color-primary);
  background: var(--background-fill-secondary); color: var(--body-text-color); cursor: pointer; }
#rw-source-dialog .rw-dialog-body { padding: .6rem; overflow-y: auto; max-height: calc(100vh - 6rem); }
#rw-source-dialog { font-family: var(--font); font-size: .95rem; }
#rw-source-dialog .rw-source { margin: 0; border: 0; padding: .2rem; }
#rw-source-dialog h4 { margin: 0 0 .3rem; font-size: 1rem; }
#rw-source-dialog .rw-meta { font-size: .8rem; color: var(--body-text-color-subdued); margin: 0 0 .5rem; }
#rw-source-dialog summary { cursor: pointer; font-size: .85rem; margin-top: .4rem; }
/* a phone: the question box above the fold (a shorter chat, no subtitle) */
@media (max-width: 760px) {
  #rw-title p { display: none; }
  #rw-chat { height: max(240px, calc(100svh - 430px)) !important; min-height: 240px !important; }
  #rw-mode label { padding: .25rem .5rem; }
}
#rw-source-dialog .rw-passage { white-space: pre-wrap; font-size: .95rem; }
#rw-source-dialog mark.rw-cited { background: #fff3a3; color: #1a1a1a; }
/* document titles and file names in the app's own font, not a typewriter one */
#rw-documents table, #rw-documents td, #rw-documents th, #rw-documents span,
#rw-sources h4, #rw-remove-choice input { font-family: var(--font) !important; }
#rw-documents td { white-space: normal; overflow-wrap: anywhere; }
/* the chat's copy button fully inside the message, and the scroll-down button out of the text */
#rw-chat .message-buttons-right, #rw-chat .message-buttons-left { overflow: visible; }
#rw-chat .message-row .message-buttons { padding-bottom: 2px; }
#rw-chat .scroll-down-button-container { right: .4rem; left: auto; bottom: .5rem; transform: none;
  opacity: .85; }
/* a gutter on the right for that button: messages and their buttons stay left of it */
#rw-chat .message-row, #rw-chat .message-buttons-right { margin-right: 2.2rem; }
"""
# A new answer opens at its top: when a new reply appears in the chat, its first line is kept at
# the top of the chat while the reply fills in (the Chatbot's own autoscroll, to the bottom, is off),
# so the reader starts at "Kort antwoord", not at "Bronnen:". Scrolling or clicking in the chat
# hands control back to the reader. Registered once on the document (launch(js=...)).
CHAT_TOP_JS = """
(() => {
  if (window.__rwChatTop) return;
  window.__rwChatTop = true;
  const CLEAR = 4;  // the chat shows no floating label (show_label=False)
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
