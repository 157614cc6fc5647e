"""The curator's roadmap tracker: the shipped file, deadlines in a programme year, statuses, reminders, the
curator's own items and deadlines typed in Russian, and the control workbook of item 6.1."""

from __future__ import annotations

import calendar
import io
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest

from bot.roadmap import (
    RESPONSIBLE_ROLES,
    ByDate,
    DateRange,
    InMonth,
    InMonths,
    ItemState,
    MonthDay,
    Quarterly,
    Roadmap,
    RoadmapError,
    Within,
    checkpoints,
    deadline_from_mapping,
    deadline_to_mapping,
    describe_deadline,
    load_roadmap,
    make_item,
    parse_deadline_text,
    programme_year_of,
    reminder_years,
    reminders_due,
    roadmap_workbook,
    roadmap_year_of,
    section_progress,
    spec_text,
    status,
    window,
)
from bot.roadmap.export import ROADMAP_COLUMNS, SUMMARY_COLUMNS

Y = 2026
SEED_NUMBERS = [
    *(f"1.{n}" for n in range(1, 8)),
    *(f"2.{n}" for n in range(1, 5)),
    "3.1",
    *(f"4.{n}" for n in range(1, 7)),
    *(f"5.{n}" for n in range(1, 5)),
    "6.1.1",
]
AUGUST_ITEMS = [f"1.{n}" for n in range(1, 7)]
WITHIN_ITEMS = ["1.7", "2.3", "2.4", "3.1", "4.2", "4.3", "5.4"]
SEPTEMBER_RANGE_ITEMS = ["2.1", "2.2", "4.1", "4.4"]


@pytest.fixture(scope="module")
def roadmap() -> Roadmap:
    return load_roadmap()


def item(roadmap: Roadmap, number: str):
    found = roadmap.item(number)
    assert found is not None, number
    return found


def days(first: date, last: date):
    d = first
    while d <= last:
        yield d
        d += timedelta(days=1)


# --- the shipped file ----------------------------------------------------------------------------------------


def test_shipped_roadmap_has_every_seed_item(roadmap: Roadmap) -> None:
    assert [i.number for i in roadmap.items] == SEED_NUMBERS
    assert [s.number for s in roadmap.sections] == [1, 2, 3, 4, 5, 6]
    assert roadmap.section(1).title == "Нормативно-правовое регулирование внедрения ЦМН"
    assert roadmap.section(3).title == "Обучение наставников и кураторов"
    assert item(roadmap, "6.1.1").section == 6
    assert [i.number for i in roadmap.items_of(5)] == ["5.1", "5.2", "5.3", "5.4"]
    for i in roadmap.items:
        assert i.content and i.result and i.responsible
        assert set(i.responsible) <= set(RESPONSIBLE_ROLES), i.number
    assert item(roadmap, "1.1").result == "Приказ директора"
    assert item(roadmap, "1.4").result == "Дорожная карта"
    assert item(roadmap, "4.2").result.startswith("База наставляемых")
    assert item(roadmap, "1.7").responsible == ("Администрация", "Куратор")


def test_load_roadmap_from_a_path_equals_the_packaged_one(roadmap: Roadmap) -> None:
    path = Path(__file__).resolve().parents[1] / "bot" / "roadmap" / "data" / "roadmap.toml"
    assert load_roadmap(path) == roadmap
    assert load_roadmap() is roadmap  # cached


@pytest.mark.parametrize("year", [2021, 2026, 2027])
def test_august_items_land_in_august_of_the_programme_year(roadmap: Roadmap, year: int) -> None:
    for number in AUGUST_ITEMS:
        i = item(roadmap, number)
        assert i.deadline == InMonth(8, before_start=True)
        assert checkpoints(i, year) == [date(year, 8, 31)]
        assert window(i, year) == (date(year, 8, 1), date(year, 8, 31))
        assert describe_deadline(i, year) == f"август {year} (до 31.08.{year})"


def test_september_ranges_and_the_control_period(roadmap: Roadmap) -> None:
    for number in SEPTEMBER_RANGE_ITEMS:
        i = item(roadmap, number)
        assert window(i, Y) == (date(Y, 9, 1), date(Y, 9, 15))
        assert checkpoints(i, Y) == [date(Y, 9, 15)]
        assert describe_deadline(i, Y) == "01.09–15.09.2026"
    control = item(roadmap, "6.1.1")
    assert window(control, Y) == (date(Y, 9, 1), date(Y + 1, 5, 31))
    assert describe_deadline(control, Y) == "01.09.2026–31.05.2027"
    assert window(item(roadmap, "4.5"), Y) == (date(Y, 9, 1), date(Y, 9, 30))
    assert checkpoints(item(roadmap, "4.6"), Y) == [date(Y + 1, 5, 31)]
    assert checkpoints(item(roadmap, "5.3"), Y) == [date(Y, 12, 31)]


def test_monitoring_checkpoints(roadmap: Roadmap) -> None:
    quality = item(roadmap, "5.2")
    assert checkpoints(quality, Y) == [date(Y, 12, 31), date(Y + 1, 5, 31)]
    assert window(quality, Y) == (date(Y, 12, 1), date(Y + 1, 5, 31))
    assert describe_deadline(quality, Y) == "декабрь 2026 и май 2027"
    accounting = item(roadmap, "5.1")
    assert checkpoints(accounting, Y) == [date(Y, 11, 30), date(Y + 1, 2, 28), date(Y + 1, 5, 31)]
    assert checkpoints(accounting, 2027) == [date(2027, 11, 30), date(2028, 2, 29), date(2028, 5, 31)]
    assert describe_deadline(accounting, Y) == "ежеквартально: 30.11.2026, 28.02.2027, 31.05.2027"


def test_within_year_items(roadmap: Roadmap) -> None:
    for number in WITHIN_ITEMS:
        i = item(roadmap, number)
        assert checkpoints(i, Y) == [date(Y + 1, 5, 31)]
        assert window(i, Y) == (date(Y, 9, 1), date(Y + 1, 5, 31))
    assert describe_deadline(item(roadmap, "1.7"), Y) == "в течение года (до 31.05.2027)"
    assert describe_deadline(item(roadmap, "2.4"), Y) == "в течение всего периода реализации (до 31.05.2027)"


def test_within_year_items_are_never_overdue_before_the_end_of_may(roadmap: Roadmap) -> None:
    for number in WITHIN_ITEMS:
        i = item(roadmap, number)
        assert status(i, Y, date(Y, 8, 31), None) == "planned"
        for today in days(date(Y, 9, 1), date(Y + 1, 5, 31)):
            assert status(i, Y, today, None) == "in_progress", (number, today)
        assert status(i, Y, date(Y + 1, 6, 1), None) == "overdue"
        assert status(i, Y, date(Y + 1, 6, 1), date(Y + 1, 5, 31)) == "done"


def test_the_same_file_gives_dates_one_year_apart(roadmap: Roadmap) -> None:
    def last_of_february(d: date) -> bool:
        return d.month == 2 and d.day == calendar.monthrange(d.year, 2)[1]

    for i in roadmap.items:
        this, following = checkpoints(i, 2026), checkpoints(i, 2027)
        assert len(this) == len(following)
        for a, b in zip(this, following, strict=True):
            assert b.year == a.year + 1
            assert (b.month, b.day) == (a.month, a.day) or (last_of_february(a) and last_of_february(b))
        start_a, _ = window(i, 2026)
        start_b, _ = window(i, 2027)
        assert start_a is not None and start_b == start_a.replace(year=start_a.year + 1)
        assert describe_deadline(i, 2027) == describe_deadline(i, 2026).replace("2027", "2028").replace(
            "2026", "2027"
        ).replace("28.02.2028", "29.02.2028")


# --- the programme year --------------------------------------------------------------------------------------


def test_programme_year_of() -> None:
    assert programme_year_of(date(2026, 8, 31)) == 2025
    assert programme_year_of(date(2026, 9, 1)) == 2026
    assert programme_year_of(date(2026, 12, 31)) == 2026
    assert programme_year_of(date(2027, 1, 1)) == 2026
    assert programme_year_of(date(2027, 5, 31)) == 2026


def test_in_august_the_curator_works_on_the_coming_year() -> None:
    assert roadmap_year_of(date(2026, 7, 31)) == 2025
    assert roadmap_year_of(date(2026, 8, 1)) == 2026
    assert roadmap_year_of(date(2026, 8, 31)) == 2026
    assert roadmap_year_of(date(2026, 9, 1)) == 2026
    assert roadmap_year_of(date(2027, 3, 1)) == 2026
    assert roadmap_year_of(date(2026, 6, 1), preparation_month=6) == 2026
    assert reminder_years(date(2026, 9, 1)) == (2025, 2026, 2027)


# --- statuses ------------------------------------------------------------------------------------------------


def test_status_of_a_range_on_boundary_days(roadmap: Roadmap) -> None:
    survey = item(roadmap, "4.1")
    assert status(survey, Y, date(Y, 8, 31), None) == "planned"
    assert status(survey, Y, date(Y, 9, 1), None) == "in_progress"
    assert status(survey, Y, date(Y, 9, 15), None) == "in_progress"
    assert status(survey, Y, date(Y, 9, 16), None) == "overdue"
    assert status(survey, Y, date(Y, 9, 16), date(Y, 9, 20)) == "done"
    assert status(survey, Y, date(Y, 9, 10), date(Y, 9, 9)) == "done"
    assert status(survey, Y, date(Y, 9, 16), date(Y, 9, 9), reopened=True) == "overdue"
    assert status(survey, Y, date(Y, 9, 10), date(Y, 9, 9), reopened=True) == "in_progress"


def test_status_of_an_august_item(roadmap: Roadmap) -> None:
    order = item(roadmap, "1.1")
    assert status(order, Y, date(Y, 7, 31), None) == "planned"
    assert status(order, Y, date(Y, 8, 1), None) == "in_progress"
    assert status(order, Y, date(Y, 8, 31), None) == "in_progress"
    assert status(order, Y, date(Y, 9, 1), None) == "overdue"
    assert status(order, Y, date(Y, 9, 1), date(Y, 8, 15)) == "done"
    assert status(order, Y, date(Y, 7, 1), date(Y, 6, 20)) == "done"  # done early still counts


def test_status_of_an_item_with_two_checkpoints(roadmap: Roadmap) -> None:
    quality = item(roadmap, "5.2")
    assert status(quality, Y, date(Y, 11, 30), None) == "planned"
    assert status(quality, Y, date(Y, 12, 1), None) == "in_progress"
    assert status(quality, Y, date(Y, 12, 31), None) == "in_progress"
    assert status(quality, Y, date(Y + 1, 1, 1), None) == "overdue"
    # Done in December: done until May opens, then due again, overdue once May has passed.
    dec = date(Y, 12, 20)
    assert status(quality, Y, dec, dec) == "done"
    assert status(quality, Y, date(Y + 1, 4, 30), dec) == "done"
    assert status(quality, Y, date(Y + 1, 5, 1), dec) == "in_progress"
    assert status(quality, Y, date(Y + 1, 5, 31), dec) == "in_progress"
    assert status(quality, Y, date(Y + 1, 6, 1), dec) == "overdue"
    # Done late for December (in January): December is covered, May is not.
    assert status(quality, Y, date(Y + 1, 1, 10), date(Y + 1, 1, 5)) == "done"
    assert status(quality, Y, date(Y + 1, 6, 1), date(Y + 1, 1, 5)) == "overdue"
    # Done in May covers both.
    assert status(quality, Y, date(Y + 1, 8, 1), date(Y + 1, 5, 20)) == "done"
    assert status(quality, Y, date(Y + 1, 5, 25), dec, reopened=True) == "overdue"


def test_status_of_a_quarterly_item(roadmap: Roadmap) -> None:
    accounting = item(roadmap, "5.1")
    assert status(accounting, Y, date(Y, 8, 31), None) == "planned"
    assert status(accounting, Y, date(Y, 9, 1), None) == "in_progress"
    assert status(accounting, Y, date(Y, 12, 1), None) == "overdue"
    october = date(Y, 10, 10)
    assert status(accounting, Y, date(Y, 11, 30), october) == "done"
    assert status(accounting, Y, date(Y, 12, 1), october) == "in_progress"
    assert status(accounting, Y, date(Y + 1, 2, 28), october) == "in_progress"
    assert status(accounting, Y, date(Y + 1, 3, 1), october) == "overdue"
    assert status(accounting, Y, date(Y + 1, 3, 1), date(Y + 1, 2, 27)) == "in_progress"
    assert status(accounting, Y, date(Y + 1, 6, 1), date(Y + 1, 5, 30)) == "done"


def test_status_of_a_date_without_a_start() -> None:
    spec = ByDate(MonthDay(10, 15))
    assert window(spec, Y) == (None, date(Y, 10, 15))
    assert status(spec, Y, date(Y, 8, 31), None) == "planned"
    assert status(spec, Y, date(Y, 9, 1), None) == "in_progress"
    assert status(spec, Y, date(Y, 10, 15), None) == "in_progress"
    assert status(spec, Y, date(Y, 10, 16), None) == "overdue"
    early = ByDate(MonthDay(8, 20), before_start=True)
    assert checkpoints(early, Y) == [date(Y, 8, 20)]
    assert status(early, Y, date(Y, 7, 31), None) == "planned"
    assert status(early, Y, date(Y, 8, 1), None) == "in_progress"
    assert describe_deadline(early, Y) == "до 20.08.2026"


def test_section_progress(roadmap: Roadmap) -> None:
    today = date(Y, 9, 10)
    done = {"1.1": date(Y, 8, 10), "1.2": date(Y, 8, 10), "4.1": date(Y, 9, 9)}
    progress = dict((s.number, counts) for s, counts in section_progress(roadmap, Y, today, done))
    assert list(progress) == [1, 2, 3, 4, 5, 6]
    assert progress[1] == {"done": 2, "in_progress": 1, "overdue": 4, "planned": 0}
    assert progress[4] == {"done": 1, "in_progress": 4, "overdue": 0, "planned": 1}
    assert progress[5] == {"done": 0, "in_progress": 2, "overdue": 0, "planned": 2}
    assert sum(sum(c.values()) for c in progress.values()) == len(SEED_NUMBERS)


# --- reminders -----------------------------------------------------------------------------------------------


def test_reminders_on_exact_days(roadmap: Roadmap) -> None:
    due = reminders_due(roadmap.items, Y, date(Y, 9, 12), {}, 3)
    assert [(i.number, d, kind) for i, d, kind in due] == [(n, date(Y, 9, 15), "soon") for n in SEPTEMBER_RANGE_ITEMS]
    assert reminders_due(roadmap.items, Y, date(Y, 9, 11), {}, 3) == []
    assert reminders_due(roadmap.items, Y, date(Y, 9, 13), {}, 3) == []
    late = reminders_due(roadmap.items, Y, date(Y, 9, 16), {"4.1": date(Y, 9, 14)}, 3)
    assert [(i.number, d, kind) for i, d, kind in late] == [
        (n, date(Y, 9, 15), "overdue") for n in ("2.1", "2.2", "4.4")
    ]
    august = reminders_due(roadmap.items, Y, date(Y, 9, 1), {}, 0)
    assert [(i.number, kind) for i, _, kind in august] == [(n, "overdue") for n in AUGUST_ITEMS]
    # 5.2 done in December is reminded of again before the May checkpoint.
    may = reminders_due(roadmap.items, Y, date(Y + 1, 5, 24), {"5.2": date(Y, 12, 20)}, 7)
    assert ("5.2", date(Y + 1, 5, 31), "soon") in [(i.number, d, k) for i, d, k in may]
    with pytest.raises(ValueError):
        reminders_due(roadmap.items, Y, date(Y, 9, 1), {}, -1)


def test_every_checkpoint_is_reminded_once_soon_and_once_overdue(roadmap: Roadmap) -> None:
    seen: list[tuple[str, date, str]] = []
    for today in days(date(Y, 7, 1), date(Y + 1, 6, 30)):
        seen += [(i.number, d, k) for i, d, k in reminders_due(roadmap.items, Y, today, {}, 5)]
    expected = {(i.number, d, k) for i in roadmap.items for d in checkpoints(i, Y) for k in ("soon", "overdue")}
    assert len(seen) == len(set(seen)) == len(expected)
    assert set(seen) == expected


# --- deadlines typed by the curator --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "spec"),
    [
        ("до 15.10", ByDate(MonthDay(10, 15))),
        ("15.10", ByDate(MonthDay(10, 15))),
        ("к 15 октября", ByDate(MonthDay(10, 15))),
        ("  До 5.3.  ", ByDate(MonthDay(3, 5))),
        ("октябрь", InMonth(10)),
        ("в октябре", InMonth(10)),
        ("до конца октября", InMonth(10)),
        ("01.09–15.09", DateRange(MonthDay(9, 1), MonthDay(9, 15))),
        ("01.09 - 15.09", DateRange(MonthDay(9, 1), MonthDay(9, 15))),
        ("с 01.09 по 31.05", DateRange(MonthDay(9, 1), MonthDay(5, 31))),
        ("с 1 по 15 сентября", DateRange(MonthDay(9, 1), MonthDay(9, 15))),
        ("сентябрь — октябрь", DateRange(MonthDay(9, 1), MonthDay(10, 31))),
        ("декабрь и май", InMonths((12, 5))),
        ("май, декабрь", InMonths((12, 5))),
        ("ежеквартально", Quarterly()),
        ("в течение года", Within("year")),
        ("В течении года", Within("year")),
        ("в течение всего периода реализации", Within("period")),
        ("август (до начала учебного года)", InMonth(8, before_start=True)),
    ],
)
def test_parse_deadline_text(text: str, spec: object) -> None:
    assert parse_deadline_text(text) == spec


def test_parse_deadline_text_with_years() -> None:
    assert parse_deadline_text("15.08.2026", Y) == ByDate(MonthDay(8, 15), before_start=True)
    assert parse_deadline_text("до 15.10.2026", Y) == ByDate(MonthDay(10, 15))
    assert parse_deadline_text("май 2027", Y) == InMonth(5)
    with pytest.raises(RoadmapError, match="без года"):
        parse_deadline_text("15.10.2026")
    with pytest.raises(RoadmapError, match="не входит в 2026/2027 учебный год"):
        parse_deadline_text("10.09.2027", Y)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31.02", "Такой даты нет в календаре: 31.02"),
        ("31.04", "Такой даты нет в календаре: 31.04"),
        ("15.13", "Такой даты нет в календаре: 15.13"),
        ("завтра", "Не понял срок"),
        ("", "Не понял срок"),
        ("до 15.10 или 20.10", "Не понял срок"),
        ("15.05–15.09", "Начало срока позже конца"),
        ("декабрь и декабрь", "Месяц повторяется"),
        ("ежеквартально (до начала года)", "только к срокам с января по август"),
        ("октябрь (до начала учебного года)", "только к срокам с января по август"),
    ],
)
def test_parse_deadline_text_rejects(text: str, message: str) -> None:
    with pytest.raises(RoadmapError) as caught:
        parse_deadline_text(text)
    assert message in caught.value.user_text


def test_spec_text_and_mapping_round_trip(roadmap: Roadmap) -> None:
    for i in roadmap.items:
        assert deadline_from_mapping(deadline_to_mapping(i.deadline)) == i.deadline
        assert parse_deadline_text(spec_text(i.deadline)) == i.deadline
    assert deadline_to_mapping(item(roadmap, "1.1").deadline) == {"month": "август", "before_start": True}
    assert deadline_to_mapping(item(roadmap, "4.1").deadline) == {"from": "09-01", "to": "09-15"}
    assert deadline_from_mapping({"from": "01.09", "to": "15.09"}) == DateRange(MonthDay(9, 1), MonthDay(9, 15))


# --- the curator's own items ---------------------------------------------------------------------------------


def test_make_item(roadmap: Roadmap) -> None:
    new = make_item(
        "п. 4.7.",
        4,
        "  Встреча   с родителями наставляемых ",
        "до 15.10",
        "Протокол встречи",
        "куратор внедрения ЦМН, участники рабочей группы; Куратор",
    )
    assert new.number == "4.7" and new.section == 4
    assert new.content == "Встреча с родителями наставляемых"
    assert new.deadline == ByDate(MonthDay(10, 15))
    assert new.responsible == ("Куратор", "Рабочая группа")
    extended = roadmap.with_item(new)
    assert [i.number for i in extended.items_of(4)][-1] == "4.7"
    assert extended.without_item("4.7") == roadmap
    same_from_table = make_item("4.7", None, "Встреча", {"to": "10-15"}, "Протокол", ["Методист"])
    assert same_from_table.deadline == new.deadline and same_from_table.responsible == ("Методист",)
    assert make_item("4.10", 4, "x", "май", "y", ["Куратор"]).sort_key > new.sort_key


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"deadline": "31.02"}, "Такой даты нет в календаре: 31.02"),
        ({"deadline": "когда-нибудь"}, "Не понял срок"),
        ({"deadline": {"from": "09-01"}}, "Срок: from без to"),
        ({"number": "4"}, "Номер пункта «4» не подходит"),
        ({"number": "4.x"}, "Номер пункта «4.x» не подходит"),
        ({"number": "5.1", "section": 4}, "Пункт 5.1 не из раздела 4"),
        ({"content": "   "}, "Содержание: не заполнено"),
        ({"content": "я" * 2000}, "Содержание: слишком длинно"),
        ({"result": ""}, "Ожидаемый результат: не заполнено"),
        ({"responsible": " , ; "}, "Укажите ответственных"),
    ],
)
def test_make_item_rejects(kwargs: dict[str, object], message: str) -> None:
    values: dict[str, object] = {
        "number": "4.7",
        "section": 4,
        "content": "Встреча с родителями",
        "deadline": "октябрь",
        "result": "Протокол",
        "responsible": "Куратор",
    }
    values.update(kwargs)
    with pytest.raises(RoadmapError) as caught:
        make_item(**values)  # type: ignore[arg-type]
    assert message in caught.value.user_text


def test_roadmap_refuses_an_item_of_an_unknown_section(roadmap: Roadmap) -> None:
    stray = make_item("7.1", None, "Что-то", "май", "Отчёт", "Куратор")
    with pytest.raises(RoadmapError, match="нет раздела 7"):
        roadmap.with_item(stray)


def test_broken_file_reports_every_problem_with_item_and_field(tmp_path: Path) -> None:
    path = tmp_path / "roadmap.toml"
    path.write_text(
        """
[[sections]]
number = 1
title = "Раздел"

[[items]]
number = "1.1"
content = "Первый"
deadline = { to = "02-31" }
result = "Приказ"
responsable = ["Куратор"]

[[items]]
number = "1.1"
content = "Второй"
deadline = { month = "август", before_start = true }
result = "Приказ"
responsible = ["Куратор"]

[[items]]
number = "1.1"
content = "Повтор"
deadline = { within = "year" }
result = "Приказ"
responsible = ["Куратор"]

[[items]]
number = 2.1
content = "Без раздела"
deadline = { every = "month" }
result = "Отчёт"
responsible = ["Куратор"]

[[items]]
number = "3.1"
content = "Без раздела"
deadline = { from = "05-01", to = "09-15" }
result = "Отчёт"
responsible = "Куратор"
""",
        encoding="utf-8",
    )
    with pytest.raises(RoadmapError) as caught:
        load_roadmap(path)
    text = caught.value.user_text
    assert "roadmap.toml: пункт 1.1: неизвестный ключ «responsable» (может быть, «responsible»?)" in text
    assert "roadmap.toml: пункт 1.1: deadline: to: такой даты нет: 31.02" in text
    assert "roadmap.toml: пункт 1.1: number: пункт с таким номером уже есть" in text
    assert 'number: номер пункта — строка вроде «4.1» (в кавычках: number = "2.1")' in text
    assert "every: пока бывает только «quarter»" in text
    assert "roadmap.toml: пункт 3.1: deadline: начало 01.05 позже конца 15.09" in text
    assert len(caught.value.errors) >= 6


def test_broken_toml_syntax(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[[items]\nnumber = ", encoding="utf-8")
    with pytest.raises(RoadmapError, match=r"bad\.toml: ошибка синтаксиса TOML"):
        load_roadmap(path)


# --- the control workbook (6.1) ------------------------------------------------------------------------------


def test_workbook(roadmap: Roadmap) -> None:
    today = date(Y, 9, 20)
    states = {
        "1.1": ItemState(date(Y, 8, 10), "Приказ № 45", ("prikaz_45.pdf", "sostav_rg.docx")),
        "4.1": ItemState(date(Y, 9, 14), "=SUM(A1)", ()),
        "1.2": ItemState(date(Y, 8, 12), None, (), reopened=True),
    }
    data = roadmap_workbook(
        roadmap, Y, today, states, organization="МБУ ДО «Станция юных техников»", generated=datetime(Y, 9, 20, 9)
    )
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Дорожная карта", "Сводка"]
    ws = wb["Дорожная карта"]
    assert "2026/2027" in ws["A1"].value
    header = next(r for r in range(1, 10) if ws.cell(row=r, column=1).value == "№")
    assert [ws.cell(row=header, column=c).value for c in range(1, 10)] == list(ROADMAP_COLUMNS)
    assert ws.cell(row=header, column=1).font.b
    assert ws.freeze_panes == f"A{header + 1}"

    first = header + 1
    assert ws.cell(row=first, column=1).value == "1. Нормативно-правовое регулирование внедрения ЦМН"
    assert ws.cell(row=first, column=1).font.b
    assert f"A{first}:I{first}" in {str(r) for r in ws.merged_cells.ranges}

    rows = {ws.cell(row=r, column=1).value: r for r in range(first, ws.max_row + 1)}
    assert str(ws.merged_cells.ranges).count(":I") == 6  # one separator per section
    r11 = rows["1.1"]
    assert ws.cell(row=r11, column=3).value == "август 2026 (до 31.08.2026)"
    assert ws.cell(row=r11, column=6).value == "выполнено"
    done_cell = ws.cell(row=r11, column=7)
    assert isinstance(done_cell.value, datetime) and done_cell.value.date() == date(Y, 8, 10)
    assert done_cell.number_format == "DD.MM.YYYY"
    assert ws.cell(row=r11, column=8).value == "Приказ № 45"
    assert ws.cell(row=r11, column=9).value == "prikaz_45.pdf\nsostav_rg.docx"
    assert ws.cell(row=rows["1.2"], column=6).value == "просрочено"  # reopened
    assert ws.cell(row=rows["1.3"], column=6).value == "просрочено"
    assert ws.cell(row=rows["4.1"], column=8).value == "=SUM(A1)"
    assert ws.cell(row=rows["4.1"], column=8).data_type == "s"
    assert ws.cell(row=rows["6.1.1"], column=5).value == "Администрация\nКуратор\nРабочая группа"
    assert ws.cell(row=rows["4.6"], column=6).value == "запланировано"
    assert ws.column_dimensions["B"].width >= 30

    summary = wb["Сводка"]
    sheader = next(r for r in range(1, 10) if summary.cell(row=r, column=1).value == "Раздел")
    assert [summary.cell(row=sheader, column=c).value for c in range(1, 7)] == list(SUMMARY_COLUMNS)
    total = sheader + 7
    assert summary.cell(row=total, column=1).value == "Итого"
    assert summary.cell(row=total, column=2).value == len(SEED_NUMBERS)
    assert summary.cell(row=total, column=3).value == 2  # 1.1 and 4.1


def test_half_a_year_is_not_read_as_the_whole_year() -> None:
    import pytest

    from bot.roadmap import RoadmapError, parse_deadline_text

    assert parse_deadline_text("в течение учебного года") == parse_deadline_text("в течение года")
    with pytest.raises(RoadmapError):
        parse_deadline_text("в течение полугода")
