"""Answer composition: evidence in, a cited Answer out (see assistant.compose.answer for the contract)."""

from assistant.compose.abstain import ABSTAIN_BELOW
from assistant.compose.checks import check_citations
from assistant.compose.evidence import Evidence, gather_evidence
from assistant.compose.extractive import ComposeOptions, compose_extractive

__all__ = ["ABSTAIN_BELOW", "ComposeOptions", "Evidence", "check_citations", "compose_extractive",
           "gather_evidence"]
