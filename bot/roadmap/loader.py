"""Reading the roadmap from TOML and building items from plain values, with the same validation for both.

File layout (``bot/roadmap/data/roadmap.toml``)::

    title = "Дорожная карта внедрения целевой модели наставничества"   # optional

    [[sections]]
    number = 1
    title = "Нормативно-правовое регулирование внедрения ЦМН"

    [[items]]
    number = "1.1"                      # a string; the first part is the section
    content = "Утверждение состава рабочей группы по внедрению ЦМН"
    deadline = { month = "август", before_start = true }
    result = "Приказ директора"
    responsible = ["Администрация"]

Deadline forms (days are "ММ-ДД" as in ISO dates, or "ДД.ММ" as Russians write them; months are Russian names
or numbers 1–12):

    deadline = { to = "10-15" }                      # до 15.10
    deadline = { month = "сентябрь" }                # during September, due on 30.09
    deadline = { from = "09-01", to = "09-15" }      # 01.09–15.09
    deadline = { within = "year" }                   # в течение года (due 31.05 of Y+1); "period" likewise
    deadline = { months = ["декабрь", "май"] }       # at the end of each month
    deadline = { every = "quarter" }                 # 30.11, end of February, 31.05
    deadline = "в течение года"                      # or the Russian text a curator would type

``before_start = true`` (in the deadline table, or on the item) puts the deadline's January–August days in the
preparation before the year (August of Y rather than of Y+1); see `bot.roadmap.model`.

Every mistake is reported at load time, all of them at once, each line naming the file, the item and the field;
unknown keys are errors too (a typo like ``responsable`` would otherwise be silently ignored).
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import tomllib
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from bot.i18n import tr
from bot.roadmap.deadlines import parse_deadline_text
from bot.roadmap.model import (
    CONTENT_LIMIT,
    MONTHS_NOMINATIVE,
    NUMBER_RE,
    RESPONSIBLE_LIMIT,
    RESPONSIBLE_MAX,
    RESPONSIBLE_ROLES,
    RESULT_LIMIT,
    SECTION_TITLE_LIMIT,
    ByDate,
    DateRange,
    DeadlineSpec,
    InMonth,
    InMonths,
    MonthDay,
    Quarterly,
    Roadmap,
    RoadmapError,
    RoadmapItem,
    Section,
    Within,
    month_number,
)

DATA_DIR: Path = Path(__file__).resolve().parent / "data"
ROADMAP_FILE: Path = DATA_DIR / "roadmap.toml"

_TOP_KEYS = ("title", "sections", "items")
_SECTION_KEYS = ("number", "title")
_ITEM_KEYS = ("number", "content", "deadline", "result", "responsible", "before_start")
_DEADLINE_KEYS = ("to", "from", "month", "months", "within", "every", "before_start")

#: Other spellings of the usual roles (lower case) -> the canonical one.
_ROLE_SYNONYMS: dict[str, str] = {
    **{role.lower(): role for role in RESPONSIBLE_ROLES},
    "администрация учреждения": "Администрация",
    "куратор внедрения цмн": "Куратор",
    "куратор программы": "Куратор",
    "участники рабочей группы": "Рабочая группа",
    "участницы рабочей группы": "Рабочая группа",
    "члены рабочей группы": "Рабочая группа",
    "участники реализации цмн": "Участники ЦМН",
    "участники программы": "Участники ЦМН",
}


# --- the file ------------------------------------------------------------------------------------------------


def load_roadmap(path: str | Path | None = None) -> Roadmap:
    """The roadmap from `path`, or the packaged one (cached: it is immutable). RoadmapError lists every problem."""
    if path is None:
        return _packaged()
    return _load(Path(path))


@cache
def _packaged() -> Roadmap:
    return _load(ROADMAP_FILE)


def _load(path: Path) -> Roadmap:
    name = path.name
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RoadmapError(f"{name}: не удалось прочитать файл: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise RoadmapError(f"{name}: файл должен быть в кодировке UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise RoadmapError(f"{name}: ошибка синтаксиса TOML: {exc}") from None
    return roadmap_from_mapping(raw, source=name)


def roadmap_from_mapping(raw: Mapping[str, Any], *, source: str = "roadmap") -> Roadmap:
    """A roadmap from already parsed TOML (what `tomllib` returns)."""
    errors: list[str] = []

    def add(where: str | None, message: str) -> None:
        errors.append(f"{source}: {where}: {message}" if where else f"{source}: {message}")

    for problem in _unknown_keys(raw, _TOP_KEYS):
        add(None, problem)
    title = raw.get("title", Roadmap.title)
    if not isinstance(title, str) or not title.strip():
        add("title", "должно быть непустой строкой")
        title = Roadmap.title

    sections: list[Section] = []
    raw_sections = raw.get("sections")
    if not isinstance(raw_sections, list) or not raw_sections:
        add(None, "нет разделов: нужны таблицы [[sections]] с number и title")
        raw_sections = []
    for n, rs in enumerate(raw_sections, 1):
        where = f"раздел #{n}"
        if not isinstance(rs, dict):
            add(where, "должен быть таблицей [[sections]]")
            continue
        for problem in _unknown_keys(rs, _SECTION_KEYS):
            add(where, problem)
        number = rs.get("number")
        if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= 99:
            add(where, "number: номер раздела — целое число от 1 до 99")
            continue
        where = f"раздел {number}"
        if any(s.number == number for s in sections):
            add(where, "раздел с таким номером уже есть")
            continue
        try:
            stitle = _text(rs.get("title"), "Название раздела", SECTION_TITLE_LIMIT)
        except RoadmapError as exc:
            add(where, f"title: {exc}")
            continue
        sections.append(Section(number, stitle))
    section_numbers = {s.number for s in sections}

    items: list[RoadmapItem] = []
    raw_items = raw.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        add(None, "нет пунктов: нужны таблицы [[items]]")
        raw_items = []
    seen: set[str] = set()
    for n, ri in enumerate(raw_items, 1):
        where = f"пункт #{n}"
        if not isinstance(ri, dict):
            add(where, "должен быть таблицей [[items]]")
            continue
        if isinstance(ri.get("number"), str) and NUMBER_RE.match(ri["number"].strip()):
            where = f"пункт {ri['number'].strip()}"
        for problem in _unknown_keys(ri, _ITEM_KEYS):
            add(where, problem)
        item_errors = _item_from_mapping(ri, where, add)
        if item_errors is None:
            continue
        item = item_errors
        if item.number in seen:
            add(where, "number: пункт с таким номером уже есть")
            continue
        if item.section not in section_numbers:
            add(where, f"number: нет раздела {item.section} (разделы: {sorted(section_numbers)})")
            continue
        seen.add(item.number)
        items.append(item)

    if errors:
        raise RoadmapError(errors)
    return Roadmap(tuple(sections), tuple(items), title.strip())


def _item_from_mapping(ri: Mapping[str, Any], where: str, add: Any) -> RoadmapItem | None:
    """One [[items]] table; reports each bad field through `add` and returns None if any."""
    ok = True
    number: str | None = None
    raw_number = ri.get("number")
    if not isinstance(raw_number, str):
        hint = f' (в кавычках: number = "{raw_number}")' if isinstance(raw_number, int | float) else ""
        add(where, f"number: номер пункта — строка вроде «4.1»{hint}")
        ok = False
    else:
        try:
            number = normalize_number(raw_number)
        except RoadmapError as exc:
            add(where, f"number: {exc}")
            ok = False

    values: dict[str, Any] = {}
    for key, caption, limit in (
        ("content", "Содержание", CONTENT_LIMIT),
        ("result", "Ожидаемый результат", RESULT_LIMIT),
    ):
        try:
            values[key] = _text(ri.get(key), caption, limit)
        except RoadmapError as exc:
            add(where, f"{key}: {exc}")
            ok = False
    try:
        responsible = ri.get("responsible")
        if responsible is not None and not isinstance(responsible, str | list):
            raise RoadmapError('список ролей, например ["Куратор", "Администрация"]')
        values["responsible"] = normalize_responsible(responsible)
    except RoadmapError as exc:
        add(where, f"responsible: {exc}")
        ok = False

    item_flag = ri.get("before_start", False)
    if not isinstance(item_flag, bool):
        add(where, "before_start: true или false")
        ok = False
        item_flag = False
    try:
        spec = deadline_from_value(ri.get("deadline"))
        if item_flag:
            spec = _with_before_start(spec)
        values["deadline"] = spec
    except RoadmapError as exc:
        add(where, f"deadline: {exc}")
        ok = False

    if not ok or number is None:
        return None
    return RoadmapItem(
        number=number,
        section=int(number.split(".")[0]),
        content=values["content"],
        deadline=values["deadline"],
        result=values["result"],
        responsible=values["responsible"],
    )


def _unknown_keys(raw: Mapping[str, Any], allowed: tuple[str, ...]) -> list[str]:
    problems = []
    for key in raw:
        if key not in allowed:
            guess = difflib.get_close_matches(key, allowed, n=1)
            tip = f" (может быть, «{guess[0]}»?)" if guess else ""
            problems.append(f"неизвестный ключ «{key}»{tip}")
    return problems


# --- deadlines as values -------------------------------------------------------------------------------------


def deadline_from_value(raw: object, programme_year: int | None = None) -> DeadlineSpec:
    """A spec from a TOML/JSON table (see the module's doc), from the curator's Russian text, or as given."""
    if isinstance(raw, ByDate | InMonth | DateRange | Within | InMonths | Quarterly):
        return raw
    if isinstance(raw, str):
        return parse_deadline_text(raw, programme_year)
    if isinstance(raw, Mapping):
        return deadline_from_mapping(raw)
    if raw is None:
        raise RoadmapError("срок не указан")
    raise RoadmapError('срок — таблица вроде { month = "август" } или текст вроде "в течение года"')


def deadline_from_mapping(raw: Mapping[str, Any]) -> DeadlineSpec:
    """The TOML/JSON form of a spec -> the spec (the inverse of `deadline_to_mapping`)."""
    problems = _unknown_keys(raw, _DEADLINE_KEYS)
    if problems:
        raise RoadmapError("; ".join(problems))
    before_start = raw.get("before_start", False)
    if not isinstance(before_start, bool):
        raise RoadmapError("before_start: true или false")
    shape = frozenset(k for k in raw if k != "before_start")
    if shape == {"within"}:
        kind = raw["within"]
        if kind not in ("year", "period"):
            raise RoadmapError(f"within: «year» (в течение года) или «period» (весь период), а не «{kind}»")
        return _no_before_start(Within(kind), before_start)
    if shape == {"every"}:
        if raw["every"] != "quarter":
            raise RoadmapError(f"every: пока бывает только «quarter» (ежеквартально), а не «{raw['every']}»")
        return _no_before_start(Quarterly(), before_start)
    if shape == {"month"}:
        return InMonth(_month(raw["month"], "month"), before_start)
    if shape == {"months"}:
        months = raw["months"]
        if not isinstance(months, list) or not months:
            raise RoadmapError('months: список месяцев, например ["декабрь", "май"]')
        return InMonths(tuple(_month(m, "months") for m in months), before_start)
    if shape == {"to"}:
        return ByDate(_day(raw["to"], "to"), before_start)
    if shape == {"from", "to"}:
        return DateRange(_day(raw["from"], "from"), _day(raw["to"], "to"), before_start)
    if shape == {"from"}:
        raise RoadmapError('from без to: укажите и конец срока, например { from = "09-01", to = "09-15" }')
    raise RoadmapError(
        "укажите срок одним из способов: to; from и to; month; months; within; every"
        + (f" (сейчас: {', '.join(sorted(shape))})" if shape else "")
    )


def deadline_to_mapping(spec: DeadlineSpec) -> dict[str, Any]:
    """The TOML/JSON form of a spec, for storing the curator's own items."""
    out: dict[str, Any]
    match spec:
        case ByDate(day=day):
            out = {"to": day.iso}
        case InMonth(month=month):
            out = {"month": MONTHS_NOMINATIVE[month - 1]}
        case DateRange(start=first, end=last):
            out = {"from": first.iso, "to": last.iso}
        case Within(kind=kind):
            out = {"within": kind}
        case InMonths(months=months):
            out = {"months": [MONTHS_NOMINATIVE[m - 1] for m in months]}
        case Quarterly():
            out = {"every": "quarter"}
        case _:
            raise TypeError(f"not a deadline spec: {spec!r}")
    if getattr(spec, "before_start", False):
        out["before_start"] = True
    return out


def _month(raw: object, key: str) -> int:
    if isinstance(raw, int) and not isinstance(raw, bool) and 1 <= raw <= 12:
        return raw
    if isinstance(raw, str) and (m := month_number(raw)) is not None:
        return m
    raise RoadmapError(f"{key}: не понял месяц «{raw}»: пишите, например, «сентябрь» или 9")


def _day(raw: object, key: str) -> MonthDay:
    if not isinstance(raw, str):
        raise RoadmapError(f'{key}: дата — строка «ММ-ДД» (например, "09-15") или «ДД.ММ» ("15.09")')
    try:
        return MonthDay.parse(raw)
    except RoadmapError as exc:
        raise RoadmapError(f"{key}: {exc}") from None


def _no_before_start(spec: DeadlineSpec, before_start: bool) -> DeadlineSpec:
    if before_start:
        raise RoadmapError("before_start не применим к «в течение года» и «ежеквартально»")
    return spec


def _with_before_start(spec: DeadlineSpec) -> DeadlineSpec:
    if isinstance(spec, Within | Quarterly):
        return _no_before_start(spec, True)
    return dataclasses.replace(spec, before_start=True)


# --- the curator's own items ---------------------------------------------------------------------------------

_NUMBER_PREFIX = re.compile(r"^(?:п\.|пункт|№)\s*", re.IGNORECASE)


def normalize_number(text: str) -> str:
    """«4.7», «п. 4.7.», «4.07» -> «4.7»; RoadmapError with a Russian message for anything else."""
    cleaned = _NUMBER_PREFIX.sub("", text.strip()).strip().rstrip(".").strip()
    parts = cleaned.split(".")
    if all(p.isdigit() for p in parts):
        cleaned = ".".join(str(int(p)) for p in parts)
    if not NUMBER_RE.match(cleaned):
        raise RoadmapError(tr("roadmap-error-number", number=text.strip()))
    return cleaned


def normalize_responsible(raw: str | Iterable[str] | None) -> tuple[str, ...]:
    """Responsible roles from a list or from text «Администрация, куратор»: trimmed, the usual roles spelled
    canonically («куратор внедрения ЦМН» -> «Куратор»), repeats removed."""
    if raw is None:
        raise RoadmapError(tr("roadmap-error-no-responsible"))
    parts = re.split(r"[,;\n]", raw) if isinstance(raw, str) else list(raw)
    result: list[str] = []
    for part in parts:
        if not isinstance(part, str):
            raise RoadmapError(tr("roadmap-error-responsible-text"))
        name = " ".join(part.split()).strip(" .")
        if not name:
            continue
        name = _ROLE_SYNONYMS.get(name.lower().replace("ё", "е"), name)
        if len(name) > RESPONSIBLE_LIMIT:
            raise RoadmapError(tr("roadmap-error-responsible-long", limit=RESPONSIBLE_LIMIT))
        if name.lower() not in (r.lower() for r in result):
            result.append(name)
    if not result:
        raise RoadmapError(tr("roadmap-error-no-responsible"))
    if len(result) > RESPONSIBLE_MAX:
        raise RoadmapError(tr("roadmap-error-responsible-many", limit=RESPONSIBLE_MAX))
    return tuple(result)


def _text(raw: object, caption: str, limit: int) -> str:
    if raw is None:
        raise RoadmapError(tr("roadmap-error-empty", field=caption))
    if not isinstance(raw, str):
        raise RoadmapError(tr("roadmap-error-not-text", field=caption))
    text = " ".join(raw.split())
    if not text:
        raise RoadmapError(tr("roadmap-error-empty", field=caption))
    if len(text) > limit:
        raise RoadmapError(tr("roadmap-error-too-long-text", field=caption, n=len(text), limit=limit))
    return text


def make_item(
    number: str,
    section: int | None,
    content: str,
    deadline: DeadlineSpec | str | Mapping[str, Any],
    result: str,
    responsible: str | Iterable[str],
    *,
    programme_year: int | None = None,
) -> RoadmapItem:
    """An item the curator adds or edits, from plain values, validated like the file's items.

    `section` may be None (taken from the number); if given, the number must start with it. `deadline` is a spec,
    its table form or the curator's Russian text (`parse_deadline_text`, with `programme_year` if years may be
    typed). Raises RoadmapError whose text is a Russian message for the curator (the first problem found).
    Whether the section exists in the roadmap is checked by `Roadmap.with_item`.
    """
    number = normalize_number(number)
    first = int(number.split(".")[0])
    if section is not None and section != first:
        raise RoadmapError(tr("roadmap-error-wrong-section", number=number, section=section))
    content = _text(content, tr("roadmap-field-buttons-content"), CONTENT_LIMIT)
    try:
        spec = deadline_from_value(deadline, programme_year)
    except RoadmapError as exc:
        text = str(exc)
        raise RoadmapError(text if text[:1].isupper() else tr("roadmap-error-deadline", error=text)) from None
    return RoadmapItem(
        number=number,
        section=first,
        content=content,
        deadline=spec,
        result=_text(result, tr("roadmap-field-buttons-result"), RESULT_LIMIT),
        responsible=normalize_responsible(responsible),
    )
