"""Input components that hand the handlers what a client sent, unchecked, so the handlers can
answer a wrong mode or filter with the same Dutch messages as the CLI (`assistant.service`).

Gradio's own Radio, CheckboxGroup and Dropdown refuse a value outside their choices with an
English error before the handler runs, and their choices are those of the page when it was
built, not of the index now (a document added by a CLI ingest would be refused). They look
and behave the same in the browser (`is_template` keeps the frontend component).
"""

from __future__ import annotations

import gradio as gr


class ModeRadio(gr.Radio):
    is_template = True

    def preprocess(self, payload):
        return payload


class FilterCheckboxes(gr.CheckboxGroup):
    is_template = True

    def preprocess(self, payload):
        return payload


class FilterDropdown(gr.Dropdown):
    is_template = True

    def preprocess(self, payload):
        return payload

