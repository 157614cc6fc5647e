"""Matching mentees with mentors (roadmap item 4.4): pure Python, no messenger, no SQL.

`match` is the optimal solver; `greedy_match` and `stable_match` are baselines with the same signature.
"""

from bot.matching.baselines import greedy_match, stable_match
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
from bot.matching.scoring import score_matrix, score_pair
from bot.matching.solver import match

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
