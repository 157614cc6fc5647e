"""Reading questionnaires and the shared vocabulary from TOML, with strict validation.

The files are meant to be edited by the institution, so every mistake must be caught at load time with a
message that points at the file, the question and the field. Unknown keys are errors too: a typo such as
``max_lenght`` would otherwise silently fall back to a default.

Questionnaire file layout::

    id = "intake_mentor"
    title = "Анкета наставника"
    roles = ["mentor"]                 # who answers it: mentee_pupil, mentee_teacher, mentor, all
    audience = "adult"                 # whom the texts speak to: pupil («ты»), adult («вы»), any (neither)
    version = 1
    intro = "..."                      # optional

    [[questions]]
    id = "club"
    type = "single"                    # single | multi | scale | text | number
    text = "..."
    options_from = "clubs"             # or: options = [{ id = "a", label = "..." }, ...]

Vocabulary file layout (``vocabulary.toml``)::

    [vocabulary.request_topics]
    title = "..."
    options = [{ id = "profession", label = "Выбор профессии", short = "Профессия" }, ...]
    # short: the button text when the full label is long (summaries and exports keep the label);
    # details = true: choosing the option asks which one («Другое» → a follow-up text kept with the answer)

    [vocabulary.mentor_competencies]
    include = ["request_topics", "teacher_difficulties"]   # union, in this order, then own options
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from bot.questionnaires.model import (
    AUDIENCES,
    BUTTON_LABEL_LIMIT,
    DEFAULT_SCALE,
    OPTION_ID_RE,
    QUESTION_ID_RE,
    QUESTIONNAIRE_ID_RE,
    TEXT_MAX_LENGTH_LIMIT,
    VOICES,
    Option,
    Question,
    Questionnaire,
    QuestionnaireError,
    QuestionType,
    Vocabulary,
    VocabularyList,
)

DATA_DIR: Path = Path(__file__).resolve().parent / "data"
VOCABULARY_FILE = "vocabulary.toml"

TITLE_LIMIT = BUTTON_LABEL_LIMIT  # a questionnaire title may be shown on a button
QUESTION_TEXT_LIMIT = 1000
HINT_LIMIT = 500
INTRO_LIMIT = 3000  # the intro, a question and the keyboard must fit one 4096-char Telegram message
SHORT_LIMIT = 40
SCALE_MAX_STEPS = 11  # one button per value; 0..10 is the widest scale that still fits a phone screen
NUMBER_LIMIT = 999_999_999  # typed numbers are at most 9 digits (see answers.parse_text)

_TOP_REQUIRED = ("id", "title", "roles", "audience", "version", "questions")
_TOP_OPTIONAL = ("intro",)
_COMMON_KEYS = ("id", "type", "text", "required", "hint", "personal", "short")
_TYPE_KEYS: dict[QuestionType, tuple[str, ...]] = {
    QuestionType.SINGLE: ("options", "options_from"),
    QuestionType.MULTI: ("options", "options_from", "min_choices", "max_choices"),
    QuestionType.SCALE: ("min_value", "max_value"),
    QuestionType.NUMBER: ("min_value", "max_value"),
    QuestionType.TEXT: ("min_length", "max_length"),
}
_ALL_QUESTION_KEYS = tuple(dict.fromkeys(_COMMON_KEYS + sum(_TYPE_KEYS.values(), ())))
_OPTION_KEYS = ("id", "label", "short", "details")
SHORT_LABEL_LIMIT = 24  # a button two or three to a row
_VOCAB_KEYS = ("title", "options", "include")

_MISSING: Any = object()


class _Report:
    """Collects problems of one file; every line starts with the file name."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.errors: list[str] = []

    def add(self, where: str | None, message: str) -> None:
        self.errors.append(f"{self.source}: {where}: {message}" if where else f"{self.source}: {message}")

    def raise_if_any(self) -> None:
        if self.errors:
            raise QuestionnaireError(self.errors)


def _type_name(value: object) -> str:
    return {
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "an array",
        dict: "a table",
    }.get(type(value), type(value).__name__)


def _unknown_keys(
    raw: dict[str, Any],
    allowed: Iterable[str],
    report: _Report,
    where: str | None,
    *,
    also: Iterable[str] = (),
    why: str = "is not allowed here",
) -> None:
    """Report keys outside ``allowed``; keys in ``also`` exist elsewhere but do not apply here (``why``)."""
    allowed = tuple(allowed)
    also = tuple(also)
    for key in raw:
        if key in allowed:
            continue
        if key in also:
            report.add(where, f'key "{key}" {why}')
            continue
        guess = difflib.get_close_matches(key, allowed, n=1)
        tip = f' (did you mean "{guess[0]}"?)' if guess else ""
        report.add(where, f'unknown key "{key}"{tip}')


def _get(
    raw: dict[str, Any],
    key: str,
    kind: type,
    report: _Report,
    where: str | None,
    default: Any = _MISSING,
) -> Any:
    """Typed field access; reports a missing required key or a wrong type and returns None then."""
    if key not in raw:
        if default is _MISSING:
            report.add(where, f'missing required key "{key}"')
            return None
        return default
    value = raw[key]
    ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
    if not ok:
        report.add(where, f'"{key}" must be {_type_name(kind())}, got {_type_name(value)}')
        return None
    return value


def _text_field(
    raw: dict[str, Any],
    key: str,
    report: _Report,
    where: str | None,
    limit: int,
    *,
    required: bool = True,
) -> str | None:
    value = _get(raw, key, str, report, where, _MISSING if required else None)
    if value is None:
        return None
    value = value.strip()
    if not value:
        report.add(where, f'"{key}" is empty')
        return None
    if len(value) > limit:
        report.add(where, f'"{key}" is {len(value)} chars, at most {limit} allowed')
        return None
    return value


def _parse_options(raw: Any, report: _Report, where: str) -> tuple[Option, ...] | None:
    if not isinstance(raw, list):
        report.add(where, f'"options" must be an array of {{ id, label }} tables, got {_type_name(raw)}')
        return None
    result: list[Option] = []
    failed = False
    for n, item in enumerate(raw, start=1):
        at = f"{where}: option #{n}"
        if not isinstance(item, dict):
            report.add(at, f"must be a table {{ id = ..., label = ... }}, got {_type_name(item)}")
            failed = True
            continue
        before = len(report.errors)
        oid = _get(item, "id", str, report, at)
        if oid is not None and not OPTION_ID_RE.match(oid):
            report.add(at, f'id "{oid}" must match {OPTION_ID_RE.pattern} (it goes into button data)')
            oid = None
        if oid is not None:
            at = f'{where}: option "{oid}"'
        _unknown_keys(item, _OPTION_KEYS, report, at)
        label = _text_field(item, "label", report, at, BUTTON_LABEL_LIMIT)
        short = _text_field(item, "short", report, at, SHORT_LABEL_LIMIT, required=False)
        details = _get(item, "details", bool, report, at, False)
        if len(report.errors) > before or oid is None or label is None:
            failed = True
            continue
        result.append(Option(oid, label, short, bool(details)))
    if failed:
        return None
    return tuple(result) if _check_option_set(result, report, where) else None


def _check_option_set(options: list[Option] | tuple[Option, ...], report: _Report, where: str) -> bool:
    """Option ids unique; labels unique ignoring case (a typed label must select exactly one option)."""
    ok = True
    seen_ids: set[str] = set()
    seen_labels: dict[str, str] = {}
    for opt in options:
        if opt.id in seen_ids:
            report.add(f'{where}: option "{opt.id}"', "duplicate id")
            ok = False
        seen_ids.add(opt.id)
        key = opt.label.casefold()
        if key in seen_labels and seen_labels[key] != opt.id:
            report.add(
                f'{where}: option "{opt.id}"',
                f'label "{opt.label}" duplicates the label of option "{seen_labels[key]}"',
            )
            ok = False
        seen_labels.setdefault(key, opt.id)
    return ok


# --------------------------------------------------------------------------------------------- vocabulary


def _parse_vocabulary(data: dict[str, Any], report: _Report) -> Vocabulary:
    _unknown_keys(data, ("vocabulary",), report, None)
    section = _get(data, "vocabulary", dict, report, None, {})
    if section is None:
        return Vocabulary()
    raw_lists: dict[str, dict[str, Any]] = {}
    for name, body in section.items():
        where = f'vocabulary "{name}"'
        if not QUESTIONNAIRE_ID_RE.match(name):
            report.add(where, f"name must match {QUESTIONNAIRE_ID_RE.pattern}")
            continue
        if not isinstance(body, dict):
            report.add(where, f"must be a table, got {_type_name(body)}")
            continue
        _unknown_keys(body, _VOCAB_KEYS, report, where)
        if "options" not in body and "include" not in body:
            report.add(where, 'needs "options", "include" or both')
        raw_lists[name] = body

    resolved: dict[str, VocabularyList | None] = {}

    def resolve(name: str, chain: tuple[str, ...]) -> VocabularyList | None:
        if name in resolved:
            return resolved[name]
        body = raw_lists[name]
        where = f'vocabulary "{name}"'
        title = _text_field(body, "title", report, where, TITLE_LIMIT, required=False) or name
        merged: list[Option] = []
        origin: dict[str, tuple[str, str]] = {}  # option id -> (label, list it came from)
        ok = True
        includes = _get(body, "include", list, report, where, [])
        for inc in includes or ():
            if not isinstance(inc, str) or inc not in raw_lists:
                known = ", ".join(sorted(raw_lists))
                report.add(where, f'include "{inc}" is not a vocabulary list (known: {known})')
                ok = False
                continue
            if inc in chain or inc == name:
                report.add(where, f'include "{inc}" makes a cycle: {" -> ".join((*chain, name, inc))}')
                ok = False
                continue
            sub = resolve(inc, (*chain, name))
            if sub is None:
                ok = False
                continue
            for opt in sub.options:
                if opt.id in origin:
                    label, src = origin[opt.id]
                    if label != opt.label:
                        report.add(
                            where,
                            f'option "{opt.id}" is "{label}" in "{src}" but "{opt.label}" in "{inc}"',
                        )
                        ok = False
                    continue
                origin[opt.id] = (opt.label, inc)
                merged.append(opt)
        if "options" in body:
            own = _parse_options(body["options"], report, where)
            if own is None:
                ok = False
            else:
                merged.extend(own)
        if ok and merged and not _check_option_set(merged, report, where):
            ok = False
        result = VocabularyList(name, title, tuple(merged)) if ok else None
        resolved[name] = result
        return result

    lists = [resolve(name, ()) for name in raw_lists]
    return Vocabulary(tuple(v for v in lists if v is not None))


def _read_toml(path: Path, report: _Report) -> dict[str, Any] | None:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        report.add(None, f"cannot read the file: {exc.strerror or exc}")
        return None
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        report.add(None, f"not UTF-8 text (byte {exc.start})")
    except tomllib.TOMLDecodeError as exc:
        report.add(None, f"invalid TOML: {exc}")
    return None


def read_vocabulary(path: str | Path) -> Vocabulary:
    """Load and validate a vocabulary file; QuestionnaireError on any problem."""
    path = Path(path)
    report = _Report(path.name)
    data = _read_toml(path, report)
    vocabulary = _parse_vocabulary(data, report) if data is not None else Vocabulary()
    report.raise_if_any()
    return vocabulary


def _vocabulary_near(directory: Path) -> Vocabulary:
    """The vocabulary next to the questionnaires, or the packaged one if the directory has none."""
    candidate = directory / VOCABULARY_FILE
    return read_vocabulary(candidate if candidate.is_file() else DATA_DIR / VOCABULARY_FILE)


# ------------------------------------------------------------------------------------------ questionnaires


def _parse_question(raw: Any, n: int, report: _Report, vocabulary: Callable[[], Vocabulary]) -> Question | None:
    where = f"question #{n}"
    if not isinstance(raw, dict):
        report.add(where, f"must be a table ([[questions]]), got {_type_name(raw)}")
        return None
    before = len(report.errors)

    qid = raw.get("id")
    if isinstance(qid, str) and QUESTION_ID_RE.match(qid):
        where = f'question "{qid}"'
    else:
        if "id" not in raw:
            report.add(where, 'missing required key "id"')
        else:
            report.add(where, f"id {qid!r} must be a string matching {QUESTION_ID_RE.pattern}")
        qid = None

    qtype: QuestionType | None = None
    type_raw = _get(raw, "type", str, report, where)
    if type_raw is not None:
        try:
            qtype = QuestionType(type_raw)
        except ValueError:
            known = ", ".join(t.value for t in QuestionType)
            report.add(where, f'type "{type_raw}" is unknown (expected one of: {known})')

    if qtype is None:
        _unknown_keys(raw, _ALL_QUESTION_KEYS, report, where)
    else:
        _unknown_keys(
            raw,
            _COMMON_KEYS + _TYPE_KEYS[qtype],
            report,
            where,
            also=_ALL_QUESTION_KEYS,
            why=f"is not allowed for a {qtype.value} question",
        )

    text = _text_field(raw, "text", report, where, QUESTION_TEXT_LIMIT)
    required = _get(raw, "required", bool, report, where, True)
    hint = _text_field(raw, "hint", report, where, HINT_LIMIT, required=False)
    short = _text_field(raw, "short", report, where, SHORT_LIMIT, required=False)
    personal = _get(raw, "personal", bool, report, where, False)
    if qtype is QuestionType.TEXT and raw.get("personal") is False:
        report.add(where, "personal = false is not allowed: free-text answers are always shown to curators only")

    # Type-specific checks need a valid type; they run even after other errors so all are reported at once.
    fields = _check_type_fields(raw, qtype, report, where, vocabulary) if qtype is not None else None
    if fields is None or len(report.errors) > before:
        return None
    assert qid is not None and text is not None and qtype is not None
    return Question(
        id=qid,
        type=qtype,
        text=text,
        required=required,
        hint=hint,
        personal=personal,
        short=short,
        **fields,
    )


def _check_type_fields(
    raw: dict[str, Any],
    qtype: QuestionType,
    report: _Report,
    where: str,
    vocabulary: Callable[[], Vocabulary],
) -> dict[str, Any] | None:
    """Validate the fields that depend on the type; return them as Question keyword arguments."""
    before = len(report.errors)
    out: dict[str, Any] = {}

    if qtype in (QuestionType.SINGLE, QuestionType.MULTI):
        options: tuple[Option, ...] | None = None
        if "options" in raw and "options_from" in raw:
            report.add(where, 'give either "options" or "options_from", not both')
        elif "options_from" in raw:
            name = _get(raw, "options_from", str, report, where)
            if name is not None:
                vocab = vocabulary()
                if name in vocab:
                    options = vocab.options(name)
                    out["options_from"] = name
                else:
                    known = ", ".join(vocab.names) or "none"
                    report.add(where, f'options_from "{name}" is not a vocabulary list (known: {known})')
        elif "options" in raw:
            options = _parse_options(raw["options"], report, where)
        else:
            report.add(where, f'a {qtype.value} question needs "options" or "options_from"')
        if options is not None:
            if len(options) < 2:
                report.add(where, f"options: a {qtype.value} question needs at least 2 options, got {len(options)}")
            out["options"] = options

        if qtype is QuestionType.MULTI and options is not None and any(o.details for o in options):
            report.add(where, "details = true is for single questions only (a follow-up text after one choice)")
        if qtype is QuestionType.MULTI:
            lo = _get(raw, "min_choices", int, report, where, 1)
            hi = _get(raw, "max_choices", int, report, where, None)
            count = len(options) if options is not None else None
            if lo is not None and lo < 1:
                report.add(where, f"min_choices {lo} must be at least 1 (an optional question can be skipped)")
            if hi is not None and hi < 1:
                report.add(where, f"max_choices {hi} must be at least 1")
            if lo is not None and hi is not None and lo > hi:
                report.add(where, f"multi min_choices {lo} > max_choices {hi}")
            if count is not None:
                if lo is not None and lo > count:
                    report.add(where, f"min_choices {lo} > number of options {count}")
                if hi is not None and hi > count:
                    report.add(where, f"max_choices {hi} > number of options {count}")
            out["min_choices"] = lo
            out["max_choices"] = hi

    elif qtype in (QuestionType.SCALE, QuestionType.NUMBER):
        lo = _get(raw, "min_value", int, report, where, None)
        hi = _get(raw, "max_value", int, report, where, None)
        for key, value in (("min_value", lo), ("max_value", hi)):
            if value is not None and abs(value) > NUMBER_LIMIT:
                report.add(where, f"{key} {value} is out of range (at most {NUMBER_LIMIT} by absolute value)")
        if qtype is QuestionType.SCALE:
            lo = DEFAULT_SCALE[0] if "min_value" not in raw else lo
            hi = DEFAULT_SCALE[1] if "max_value" not in raw else hi
        if lo is not None and hi is not None:
            if lo > hi:
                report.add(where, f"{qtype.value} min_value {lo} > max_value {hi}")
            elif qtype is QuestionType.SCALE and lo == hi:
                report.add(where, f"scale min_value {lo} = max_value {hi}: a scale needs at least two values")
            elif qtype is QuestionType.SCALE and hi - lo + 1 > SCALE_MAX_STEPS:
                report.add(
                    where,
                    f"scale min_value {lo} .. max_value {hi} has {hi - lo + 1} values, "
                    f"at most {SCALE_MAX_STEPS} fit as buttons",
                )
        out["min_value"] = lo
        out["max_value"] = hi

    elif qtype is QuestionType.TEXT:
        lo = _get(raw, "min_length", int, report, where, 1)
        hi = _get(raw, "max_length", int, report, where, 300)
        if lo is not None and lo < 1:
            report.add(where, f"min_length {lo} must be at least 1")
        if hi is not None and hi > TEXT_MAX_LENGTH_LIMIT:
            report.add(where, f"max_length {hi} > {TEXT_MAX_LENGTH_LIMIT} (the longest text answer allowed)")
        if lo is not None and hi is not None and lo > hi:
            report.add(where, f"text min_length {lo} > max_length {hi}")
        out["min_length"] = lo
        out["max_length"] = hi

    return out if len(report.errors) == before else None


def _parse_questionnaire(
    data: dict[str, Any], report: _Report, vocabulary: Callable[[], Vocabulary]
) -> Questionnaire | None:
    _unknown_keys(data, _TOP_REQUIRED + _TOP_OPTIONAL, report, None)
    before = len(report.errors)

    qn_id = _get(data, "id", str, report, None)
    if qn_id is not None and not QUESTIONNAIRE_ID_RE.match(qn_id):
        report.add(None, f'id "{qn_id}" must match {QUESTIONNAIRE_ID_RE.pattern}')
    title = _text_field(data, "title", report, None, TITLE_LIMIT)
    intro = _get(data, "intro", str, report, None, "")
    if intro is not None:
        intro = intro.strip()
        if len(intro) > INTRO_LIMIT:
            report.add(None, f'"intro" is {len(intro)} chars, at most {INTRO_LIMIT} allowed')

    version = _get(data, "version", int, report, None)
    if version is not None and version < 1:
        report.add(None, f'"version" must be at least 1, got {version}')

    roles = _get(data, "roles", list, report, None)
    if roles is not None:
        if not roles:
            report.add(None, '"roles" is empty')
        for role in roles:
            if role not in AUDIENCES:
                report.add(None, f'role "{role}" is unknown (expected some of: {", ".join(AUDIENCES)})')
        if len(set(map(str, roles))) != len(roles):
            report.add(None, '"roles" lists a role twice')

    audience = data.get("audience")
    if isinstance(audience, list):
        report.add(
            None,
            '"audience" now says whom the texts speak to ("pupil", "adult" or "any"); '
            'the list of roles goes to "roles"',
        )
    else:
        audience = _get(data, "audience", str, report, None)
        if audience is not None and audience not in VOICES:
            report.add(None, f'audience "{audience}" is unknown (expected one of: {", ".join(VOICES)})')

    raw_questions = _get(data, "questions", list, report, None)
    questions: list[Question] = []
    if raw_questions is not None:
        if not raw_questions:
            report.add(None, '"questions" is empty')
        first_seen: dict[str, int] = {}
        for n, raw_q in enumerate(raw_questions, start=1):
            q = _parse_question(raw_q, n, report, vocabulary)
            qid = raw_q.get("id") if isinstance(raw_q, dict) else None
            if isinstance(qid, str):
                if qid in first_seen:
                    report.add(f'question "{qid}"', f"duplicate id (also question #{first_seen[qid]})")
                    continue
                first_seen[qid] = n
            if q is not None:
                questions.append(q)

    if len(report.errors) > before:
        return None
    return Questionnaire(
        id=qn_id,
        title=title,
        roles=tuple(roles),
        version=version,
        intro=intro,
        questions=tuple(questions),
        audience=audience,
    )


def _load_one(path: Path, vocabulary: Callable[[], Vocabulary], report: _Report) -> Questionnaire | None:
    data = _read_toml(path, report)
    if data is None:
        return None
    return _parse_questionnaire(data, report, vocabulary)


def _lazy(factory: Callable[[], Vocabulary]) -> Callable[[], Vocabulary]:
    """Load the vocabulary only if some question uses ``options_from``."""
    cache: list[Vocabulary] = []

    def get() -> Vocabulary:
        if not cache:
            cache.append(factory())
        return cache[0]

    return get


def load_questionnaire(path: str | Path, vocabulary: Vocabulary | None = None) -> Questionnaire:
    """Load and validate one questionnaire file.

    ``options_from`` is resolved against ``vocabulary`` if given, else against ``vocabulary.toml`` in the same
    directory, else against the packaged vocabulary. Raises QuestionnaireError listing every problem found.
    """
    path = Path(path)
    report = _Report(path.name)
    get_vocab = (lambda: vocabulary) if vocabulary is not None else _lazy(lambda: _vocabulary_near(path.parent))
    result = _load_one(path, get_vocab, report)
    report.raise_if_any()
    assert result is not None
    return result


def load_directory(path: str | Path | None = None) -> dict[str, Questionnaire]:
    """Load every ``*.toml`` questionnaire of a directory (default: the packaged ``data/``), keyed by id.

    ``vocabulary.toml`` in that directory is the shared vocabulary (the packaged one if absent). Problems of
    all files are collected and raised together as one QuestionnaireError.
    """
    directory = DATA_DIR if path is None else Path(path)
    if not directory.is_dir():
        raise QuestionnaireError(f"{directory}: not a directory")
    vocabulary = _vocabulary_near(directory)
    errors: list[str] = []
    result: dict[str, Questionnaire] = {}
    source_of: dict[str, str] = {}
    for file in sorted(directory.glob("*.toml")):
        if file.name == VOCABULARY_FILE:
            continue
        report = _Report(file.name)
        qn = _load_one(file, lambda: vocabulary, report)
        errors.extend(report.errors)
        if qn is None:
            continue
        if qn.id in result:
            errors.append(f'{file.name}: id "{qn.id}" is already used by {source_of[qn.id]}')
            continue
        result[qn.id] = qn
        source_of[qn.id] = file.name
    if errors:
        raise QuestionnaireError(errors)
    return result
