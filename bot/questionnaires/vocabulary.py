"""The shared vocabulary: option lists that several questionnaires use with the same ids.

Matching compares a mentee's requests with a mentor's competencies by option id, so both questions take their
options from here (``options_from = "..."`` in a questionnaire file) instead of listing their own. The mentor's
list ``mentor_competencies`` is declared in the data as the union (``include``) of the pupils' request topics
and the young teachers' difficulties, so every request id can meet a competency id.

The names below are the lists the code relies on; the option ids inside them are data and may be edited by
the institution (matching only compares ids, it never hard-codes them).
"""

from __future__ import annotations

from pathlib import Path

from bot.questionnaires.loader import DATA_DIR, VOCABULARY_FILE, read_vocabulary
from bot.questionnaires.model import Option, Vocabulary, VocabularyList

REQUEST_TOPICS = "request_topics"  # what a pupil mentee wants help with
TEACHER_DIFFICULTIES = "teacher_difficulties"  # what a young teacher finds hard
MENTOR_COMPETENCIES = "mentor_competencies"  # union of the two above: what a mentor can help with
CLUBS = "clubs"  # the institution's clubs (объединения)
WEEKDAYS = "weekdays"  # mon .. sun
FORMATS = "formats"  # individual / group / any
INTERESTS = "interests"  # pupils' interests

# Lists whose ids a mentee may request, each of which must be covered by MENTOR_COMPETENCIES.
MENTEE_REQUEST_LISTS: tuple[str, ...] = (REQUEST_TOPICS, TEACHER_DIFFICULTIES)
REQUIRED_LISTS: tuple[str, ...] = (
    REQUEST_TOPICS,
    TEACHER_DIFFICULTIES,
    MENTOR_COMPETENCIES,
    CLUBS,
    WEEKDAYS,
    FORMATS,
    INTERESTS,
)

WEEKDAY_IDS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def load_vocabulary(path: str | Path | None = None) -> Vocabulary:
    """Load and validate the vocabulary (default: the packaged ``data/vocabulary.toml``).

    ``path`` may be the file itself or a directory holding ``vocabulary.toml``.
    """
    if path is None:
        target = DATA_DIR / VOCABULARY_FILE
    else:
        target = Path(path)
        if target.is_dir():
            target = target / VOCABULARY_FILE
    return read_vocabulary(target)


def uncovered_requests(vocabulary: Vocabulary) -> frozenset[str]:
    """Request ids (pupils' topics and teachers' difficulties) that no mentor could name as a competency.

    Empty for a consistent vocabulary; the app may check this at start-up to catch an edited file.
    """
    requested: set[str] = set()
    for name in MENTEE_REQUEST_LISTS:
        if name in vocabulary:
            requested |= vocabulary.ids(name)
    offered = vocabulary.ids(MENTOR_COMPETENCIES) if MENTOR_COMPETENCIES in vocabulary else frozenset()
    return frozenset(requested - offered)


__all__ = [
    "CLUBS",
    "FORMATS",
    "INTERESTS",
    "MENTEE_REQUEST_LISTS",
    "MENTOR_COMPETENCIES",
    "REQUEST_TOPICS",
    "REQUIRED_LISTS",
    "TEACHER_DIFFICULTIES",
    "WEEKDAYS",
    "WEEKDAY_IDS",
    "Option",
    "Vocabulary",
    "VocabularyList",
    "load_vocabulary",
    "uncovered_requests",
]
