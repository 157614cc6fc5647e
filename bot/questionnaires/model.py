"""Immutable description of a questionnaire: questions, their options and bounds.

Questionnaires are data (TOML files under ``data/``, see ``loader.py``); these classes are what the rest of
the bot sees. Nothing here does I/O or knows about the messenger.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from functools import cached_property

# Role ids a questionnaire can be addressed to; "all" means every participant.
AUDIENCES: tuple[str, ...] = ("mentee_pupil", "mentee_teacher", "mentor", "all")
# Whom a questionnaire's texts speak to: "pupil" says «ты», "adult" says «вы», "any" is worded so that it
# needs neither (a questionnaire that pupils and adults both answer).
VOICES: tuple[str, ...] = ("pupil", "adult", "any")

# Ids go into Telegram callback data (at most 64 bytes), hence short ASCII.
QUESTIONNAIRE_ID_RE = re.compile(r"^[a-z0-9_]{1,32}$")
QUESTION_ID_RE = re.compile(r"^[a-z0-9_]{1,24}$")
OPTION_ID_RE = re.compile(r"^[a-z0-9_]{1,16}$")

DEFAULT_SCALE: tuple[int, int] = (1, 10)
TEXT_MAX_LENGTH_LIMIT = 1000
BUTTON_LABEL_LIMIT = 64  # Telegram's limit for an inline button text
NUMBER_BUTTONS_LIMIT = 6  # a number question with at most this many values is answered with buttons too


class QuestionnaireError(ValueError):
    """A questionnaire or vocabulary file is broken.

    The message is meant for whoever edits the files (the curator or an administrator): each line names the
    file, the question and the field. All problems found in one pass are reported together, so a curator can
    fix a file in one go; they are also available one by one in ``errors``.
    """

    def __init__(self, errors: str | list[str] | tuple[str, ...]) -> None:
        self.errors: tuple[str, ...] = (errors,) if isinstance(errors, str) else tuple(errors)
        super().__init__("\n".join(self.errors))


class QuestionType(StrEnum):
    SINGLE = "single"
    MULTI = "multi"
    SCALE = "scale"
    TEXT = "text"
    NUMBER = "number"


@dataclass(frozen=True)
class Option:
    id: str
    label: str  # the full wording: summaries, exports, reports
    short: str | None = None  # a shorter button text, for long lists shown several buttons to a row
    details: bool = False  # choosing it asks a follow-up text («Другое» → which one?)

    @property
    def button(self) -> str:
        return self.short or self.label


@dataclass(frozen=True)
class Question:
    id: str
    type: QuestionType
    text: str
    required: bool = True
    options: tuple[Option, ...] = ()
    min_value: int | None = None
    max_value: int | None = None
    min_length: int = 1
    max_length: int = 300
    min_choices: int = 1
    max_choices: int | None = None
    hint: str | None = None
    personal: bool = False
    # Name of the vocabulary list the options came from (``options_from`` in the file), so that other
    # modules (matching, reports) can find e.g. "the question holding request topics" without knowing ids.
    options_from: str | None = None
    # Short caption for summaries, exports and report columns («Возраст» instead of «Сколько тебе лет?»).
    short: str | None = None

    def __post_init__(self) -> None:
        # Frozen: normalise through object.__setattr__ (the dataclass is still immutable to callers).
        object.__setattr__(self, "type", QuestionType(self.type))
        object.__setattr__(self, "options", tuple(self.options))
        if self.type is QuestionType.SCALE:
            if self.min_value is None:
                object.__setattr__(self, "min_value", DEFAULT_SCALE[0])
            if self.max_value is None:
                object.__setattr__(self, "max_value", DEFAULT_SCALE[1])
        if self.type is QuestionType.TEXT:
            # 152-ФЗ rule of the project: free-text answers are seen by the curator only, whatever the file says.
            object.__setattr__(self, "personal", True)

    def option(self, option_id: str) -> Option | None:
        for opt in self.options:
            if opt.id == option_id:
                return opt
        return None

    @property
    def option_ids(self) -> tuple[str, ...]:
        return tuple(opt.id for opt in self.options)

    @property
    def caption(self) -> str:
        """Short name for summaries and exports: ``short`` if given, else the question text."""
        return self.short or self.text

    @property
    def has_options(self) -> bool:
        return self.type in (QuestionType.SINGLE, QuestionType.MULTI)

    @property
    def details_key(self) -> str:
        """Where the follow-up text of an option with ``details`` is kept, next to the answer itself."""
        return details_key(self.id)

    @property
    def has_buttons(self) -> bool:
        """Answered with buttons: choices, scales and numbers whose range fits a row of buttons."""
        if self.type is QuestionType.NUMBER:
            lo, hi = self.min_value, self.max_value
            return lo is not None and hi is not None and hi - lo < NUMBER_BUTTONS_LIMIT
        return self.type is not QuestionType.TEXT


def details_key(question_id: str) -> str:
    """The answer key of a follow-up text; a dot never occurs in a question id, so it never clashes."""
    return f"{question_id}.details"


@dataclass(frozen=True)
class Questionnaire:
    id: str
    title: str
    roles: tuple[str, ...]  # who answers it (role ids, see AUDIENCES)
    version: int
    intro: str
    questions: tuple[Question, ...] = field(default=())
    audience: str = "any"  # whom its texts speak to (see VOICES)

    def __post_init__(self) -> None:
        object.__setattr__(self, "roles", tuple(self.roles))
        object.__setattr__(self, "questions", tuple(self.questions))

    @cached_property
    def _positions(self) -> dict[str, int]:
        # cached_property writes straight into __dict__, which a frozen dataclass allows.
        return {q.id: i for i, q in enumerate(self.questions)}

    def question(self, qid: str) -> Question:
        """The question with this id; KeyError if there is none."""
        return self.questions[self.index(qid)]

    def index(self, qid: str) -> int:
        """0-based position of the question; KeyError if there is none."""
        try:
            return self._positions[qid]
        except KeyError:
            raise KeyError(f"questionnaire {self.id!r} has no question {qid!r}") from None

    def has_question(self, qid: str) -> bool:
        return qid in self._positions

    def is_for(self, role: str) -> bool:
        """Whether a participant with this role id should answer the questionnaire."""
        return role in self.roles or "all" in self.roles

    def questions_from(self, vocabulary: str) -> tuple[Question, ...]:
        """Questions whose options come from the named vocabulary list (e.g. ``request_topics``)."""
        return tuple(q for q in self.questions if q.options_from == vocabulary)

    @cached_property
    def content_hash(self) -> str:
        """SHA-256 (hex) of everything in the questionnaire, options and their labels included.

        Stored next to answers, it tells which wording a person actually answered, even if a curator edited
        the file without bumping ``version``.
        """
        payload = json.dumps(asdict(self), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class VocabularyList:
    """A named, shared list of options (e.g. request topics) that several questions refer to."""

    name: str
    title: str
    options: tuple[Option, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "options", tuple(self.options))

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(opt.id for opt in self.options)

    def label(self, option_id: str) -> str | None:
        for opt in self.options:
            if opt.id == option_id:
                return opt.label
        return None


@dataclass(frozen=True)
class Vocabulary:
    """All shared option lists, by name, with ``include`` already resolved."""

    lists: tuple[VocabularyList, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "lists", tuple(self.lists))

    @cached_property
    def _by_name(self) -> dict[str, VocabularyList]:
        return {v.name: v for v in self.lists}

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(v.name for v in self.lists)

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def __getitem__(self, name: str) -> VocabularyList:
        return self._by_name[name]

    def get(self, name: str) -> VocabularyList | None:
        return self._by_name.get(name)

    def options(self, name: str) -> tuple[Option, ...]:
        return self[name].options

    def ids(self, name: str) -> frozenset[str]:
        return self[name].ids

    def label(self, name: str, option_id: str) -> str | None:
        return self[name].label(option_id)
