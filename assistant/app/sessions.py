"""Keeping each browser session's state in Gradio bounded.

Gradio (6.31) keeps a session's own copy of every component an event updated. When such a copy
is made (an update, a skipped output) and the component then takes part in another event (as an
input, or with a plain value), the copy is stored a second time under its own new id, and that
entry is never used or removed again: ~0.5 MB per answer grew this way (tests/test_app_memory.py measures it).
Nothing refers to those ids (the page knows only the ids of the app as built), so `forget_copies`
drops them at the start of each event.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def forget_copies(app, session_hash: str | None) -> int:
    """Drop the entries of this session's component config whose ids the app does not have;
    returns how many went. A no-op (0) where Gradio keeps its state differently."""
    if app is None or session_hash is None:
        return 0
    try:
        session = app.state_holder.session_data.get(session_hash)
        if session is None:
            return 0
        known = app.blocks
        config = session.blocks_config
        extra = [key for key in list(config.blocks) if key not in known]
        if extra:
            # New dicts, assigned at once: a reader iterating the old ones is not disturbed.
            config.blocks = {k: v for k, v in list(config.blocks.items()) if k in known}
            session.config_values = {k: v for k, v in list(session.config_values.items())
                                     if k in known}
        return len(extra)
    except Exception:  # Gradio's internals changed: leave them alone
        log.debug("sessiestatus van Gradio niet opgeruimd", exc_info=True)
        return 0
