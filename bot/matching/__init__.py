"""Matching mentees with mentors (roadmap item 4.4): pure Python, no messenger, no SQL.

`match` is the optimal solver; `greedy_match` and `stable_match` are baselines with the same signature.
They and `score_matrix` / `score_pair` are imported on first access: they need numpy and scipy (about 80 MiB of
RSS), which an idle bot should not hold. The model and the profiles are plain Python.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from bot.matching.model import (
    AGE_PREFERENCES,
    Constraints,
    MatchingError,
    MatchResult,
    MenteeProfile,
    MentorProfile,
    ProposedPair,
    Reason,
    Unmatched,
    Weights,
)

if TYPE_CHECKING:
    from bot.matching.baselines import greedy_match, stable_match
    from bot.matching.scoring import score_matrix, score_pair
    from bot.matching.solver import match

_LAZY = {
    "greedy_match": "bot.matching.baselines",
    "stable_match": "bot.matching.baselines",
    "score_matrix": "bot.matching.scoring",
    "score_pair": "bot.matching.scoring",
    "match": "bot.matching.solver",
}

__all__ = [
    "AGE_PREFERENCES",
    "Constraints",
    "MatchResult",
    "MatchingError",
    "MenteeProfile",
    "MentorProfile",
    "ProposedPair",
    "Reason",
    "Unmatched",
    "Weights",
    "greedy_match",
    "match",
    "score_matrix",
    "score_pair",
    "stable_match",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
