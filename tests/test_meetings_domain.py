"""The pure domain of stage meetings and reminders: stages, parsing, quiet hours, reminders, activity."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import AppError
from bot.i18n import Audience, tr
from bot.meetings import (
    CheckinAnswer,
    InvalidInput,
    QuietHours,
    Stage,
    StagePlan,
    StagePosition,
    agreed_answer,
    checkin_time,
    checkins_disagree,
    combine_local,
    current_position,
    current_stage,
    due,
    format_local,
    format_relative,
    next_daily_run,
    next_stage,
    parse_clock_time,
    parse_duration,
    parse_local_date,
    parse_offsets,
    parse_quiet_hours,
    progress,
    quiet_level,
    reminder_times,
    shift_out_of_quiet,
    stage_line,
    stage_of_next_meeting,
    validate_meeting_time,
)

MSK = ZoneInfo("Europe/Moscow")
BERLIN = ZoneInfo("Europe/Berlin")  # 2026: CET->CEST on Sun 29 March 01:00 UTC, back on Sun 25 October 01:00 UTC
NIGHT = QuietHours(time(21, 0), time(8, 0))
H = timedelta(hours=1)
M = timedelta(minutes=1)
D = timedelta(days=1)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def local(tz: ZoneInfo, *args: int, fold: int = 0) -> datetime:
    """A wall-clock reading in `tz` as a UTC instant."""
    return datetime(*args, tzinfo=tz, fold=fold).astimezone(UTC)


def wall(moment: datetime, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z")


# --- stages -----------------------------------------------------------------------------------------------


def test_stage_labels_in_russian() -> None:
    assert [s.label for s in Stage] == [
        "встреча-знакомство",
        "пробная встреча",
        "встреча-планирование",
        "совместная работа",
        "итоговая встреча",
    ]
    assert Stage("work") is Stage.WORK


def test_stages_go_in_order_with_work_repeated() -> None:
    plan = StagePlan(work_meetings=3)
    held: list[Stage] = []
    walked = []
    while (stage := next_stage(held, plan)) is not None:
        walked.append(stage)
        held.append(stage)
        assert len(walked) < 20
    assert walked == list(plan.sequence)
    assert walked == [Stage.INTRO, Stage.TRIAL, Stage.PLANNING, Stage.WORK, Stage.WORK, Stage.WORK, Stage.FINAL]
    assert progress(held, plan) == (7, 7)
    assert stage_of_next_meeting(held, plan) is None
    assert stage_line(None).startswith("Этап: все встречи пройдены")


def test_progress_and_positions_during_joint_work() -> None:
    held = [Stage.INTRO, Stage.TRIAL, Stage.PLANNING, Stage.WORK, Stage.WORK]
    assert next_stage(held) is Stage.WORK  # default plan: 6 joint-work meetings
    assert stage_of_next_meeting(held) == StagePosition(Stage.WORK, 3, 6)
    assert stage_line(stage_of_next_meeting(held)) == "Этап: совместная работа (3 из 6)"
    assert current_stage(held) is Stage.WORK
    assert stage_line(current_position(held)) == "Этап: совместная работа (2 из 6)"
    assert progress(held) == (5, 10)
    assert progress([]) == (0, 10)
    assert current_stage([]) is None and current_position([]) is None
    assert stage_line(stage_of_next_meeting([])) == "Этап: встреча-знакомство"


def test_skipped_stages_are_not_forced_back_and_extra_work_is_fine() -> None:
    plan = StagePlan(work_meetings=2)
    assert next_stage([Stage.INTRO, Stage.PLANNING], plan) is Stage.WORK
    assert progress([Stage.INTRO, Stage.PLANNING], plan) == (3, 6)
    three_work = [Stage.INTRO, Stage.TRIAL, Stage.PLANNING, Stage.WORK, Stage.WORK, Stage.WORK]
    assert next_stage(three_work, plan) is Stage.FINAL
    assert progress(three_work, plan) == (5, 6)
    assert current_position(three_work, plan) == StagePosition(Stage.WORK, 3, 3)
    assert next_stage([Stage.FINAL], plan) is None  # the final meeting ends the programme whatever came before
    assert next_stage(["intro", "trial"], plan) is Stage.PLANNING  # raw values from storage work too


@pytest.mark.parametrize("bad", [0, -1, 101])
def test_stage_plan_bounds(bad: int) -> None:
    with pytest.raises(ValueError, match="work_meetings"):
        StagePlan(work_meetings=bad)


# --- settings parsers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24h", 24 * H),
        ("1h", H),
        ("90m", 90 * M),
        ("2m", 2 * M),
        ("1d", D),
        ("1h30m", 90 * M),
        ("45s", timedelta(seconds=45)),
        (" 1H 30M ", 90 * M),
        ("1d2h3m4s", timedelta(days=1, hours=2, minutes=3, seconds=4)),
        ("0m", timedelta(0)),
    ],
)
def test_parse_duration(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty duration"),
        ("90", "has no unit"),
        ("1.5h", "is not a duration"),
        ("30m1h", "is not a duration"),
        ("-1h", "is not a duration"),
        ("1 час", "is not a duration"),
        ("h", "is not a duration"),
    ],
)
def test_parse_duration_errors_are_english_value_errors(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as info:
        parse_duration(text)
    assert not isinstance(info.value, AppError)


def test_parse_offsets() -> None:
    assert parse_offsets("24h,1h") == (24 * H, H)
    assert parse_offsets("1h, 24h, 1d, 60m,") == (24 * H, H)
    assert parse_offsets("") == ()
    assert parse_offsets("  ") == ()
    with pytest.raises(ValueError, match="must be positive"):
        parse_offsets("24h,0m")
    with pytest.raises(ValueError, match="is not a duration"):
        parse_offsets("24h,soon")


def test_parse_quiet_hours() -> None:
    assert parse_quiet_hours("21:00-08:00") == NIGHT
    assert parse_quiet_hours("22:30 – 7:15") == QuietHours(time(22, 30), time(7, 15))
    assert parse_quiet_hours("") is None
    assert parse_quiet_hours("off") is None
    assert str(NIGHT) == "21:00-08:00"
    for bad in ("21:00", "21-08", "25:00-08:00", "21:00-08:00-09:00", "09:00-09:00"):
        with pytest.raises(ValueError):
            parse_quiet_hours(bad)


def test_quiet_hours_contains_wrapping_and_not() -> None:
    assert NIGHT.contains(time(21, 0)) and NIGHT.contains(time(23, 59)) and NIGHT.contains(time(0, 0))
    assert NIGHT.contains(time(7, 59, 59))
    assert not NIGHT.contains(time(8, 0)) and not NIGHT.contains(time(20, 59)) and not NIGHT.contains(time(12))
    day_quiet = QuietHours(time(13, 0), time(15, 0))
    assert day_quiet.contains(time(13, 0)) and day_quiet.contains(time(14, 59))
    assert not day_quiet.contains(time(15, 0)) and not day_quiet.contains(time(12, 59))
    assert NIGHT.contains(datetime(2026, 9, 25, 22, 0, tzinfo=MSK))


def test_quiet_hours_end_after() -> None:
    assert NIGHT.end_after(datetime(2026, 9, 25, 22, 0)) == datetime(2026, 9, 26, 8, 0)
    assert NIGHT.end_after(datetime(2026, 9, 26, 3, 0)) == datetime(2026, 9, 26, 8, 0)
    assert NIGHT.end_after(datetime(2026, 9, 26, 12, 0)) == datetime(2026, 9, 26, 12, 0)  # not quiet
    aware = NIGHT.end_after(datetime(2026, 9, 25, 23, 0, tzinfo=MSK))
    assert aware == datetime(2026, 9, 26, 8, 0, tzinfo=MSK)
    assert NIGHT.start_before(datetime(2026, 9, 26, 3, 0)) == datetime(2026, 9, 25, 21, 0)


# --- chat input -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("16:30", time(16, 30)),
        ("16.30", time(16, 30)),
        ("16,30", time(16, 30)),
        ("1630", time(16, 30)),
        ("930", time(9, 30)),
        ("0930", time(9, 30)),
        ("9:05", time(9, 5)),
        ("9 30", time(9, 30)),
        (" 16 ", time(16, 0)),
        ("в 16:30", time(16, 30)),
        ("16ч30", time(16, 30)),
        ("16 ч 30 мин", time(16, 30)),
        ("18 часов", time(18, 0)),
        ("0:00", time(0, 0)),
        ("23:59", time(23, 59)),
    ],
)
def test_parse_clock_time(text: str, expected: time) -> None:
    assert parse_clock_time(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Не понимаю время. Напишите, например, 16:30"),
        ("завтра", "Не понимаю время. Напишите, например, 16:30"),
        ("9:5", "Не понимаю время. Напишите, например, 16:30"),
        ("16:30:00", "Не понимаю время. Напишите, например, 16:30"),
        ("12345", "Не понимаю время. Напишите, например, 16:30"),
        ("4 pm", "Не понимаю время. Напишите, например, 16:30"),
        ("24:00", "Такого времени не бывает"),
        ("16:60", "Такого времени не бывает"),
        ("2500", "Такого времени не бывает"),
    ],
)
def test_parse_clock_time_errors_are_russian(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_clock_time(text)
    assert isinstance(info.value, AppError)
    assert info.value.user_text.startswith(message)


TODAY = date(2026, 9, 7)


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("25.09", TODAY, date(2026, 9, 25)),
        ("25.09.2026", TODAY, date(2026, 9, 25)),
        ("25.09.26", TODAY, date(2026, 9, 25)),
        ("25/9", TODAY, date(2026, 9, 25)),
        ("25 сентября", TODAY, date(2026, 9, 25)),
        ("25 Сентября 2026 г.", TODAY, date(2026, 9, 25)),
        ("25 сент.", TODAY, date(2026, 9, 25)),
        ("1 мая", TODAY, date(2027, 5, 1)),
        ("2026-09-25", TODAY, date(2026, 9, 25)),
        ("07.09", TODAY, date(2026, 9, 7)),  # today itself
        ("06.09", TODAY, date(2027, 9, 6)),  # yesterday's date -> next year
        ("05.01", date(2026, 12, 30), date(2027, 1, 5)),
        ("29.02", TODAY, date(2028, 2, 29)),
        ("сегодня", TODAY, TODAY),
        ("завтра", TODAY, date(2026, 9, 8)),
        ("Послезавтра", date(2026, 12, 31), date(2027, 1, 2)),
        ("на завтра", TODAY, date(2026, 9, 8)),
    ],
)
def test_parse_local_date(text: str, today: date, expected: date) -> None:
    assert parse_local_date(text, today) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Не понимаю дату. Напишите, например, 25.09"),
        ("в пятницу", "Не понимаю дату"),
        ("25 ма", "Не понимаю дату"),
        ("25", "Не понимаю дату"),
        ("31.09", "Такой даты нет в календаре: 31.09"),
        ("30 февраля", "Такой даты нет в календаре: 30 февраля"),
        ("29.02.2027", "Такой даты нет в календаре: 29.02.2027"),
        ("12.13", "Такой даты нет в календаре"),
    ],
)
def test_parse_local_date_errors_are_russian(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_local_date(text, TODAY)
    assert info.value.user_text.startswith(message)


def test_combine_local_moscow_and_dst() -> None:
    assert combine_local(date(2026, 9, 25), time(16, 30), MSK) == utc(2026, 9, 25, 13, 30)
    assert combine_local(date(2026, 3, 28), time(16, 30), BERLIN) == utc(2026, 3, 28, 15, 30)  # CET
    assert combine_local(date(2026, 3, 30), time(16, 30), BERLIN) == utc(2026, 3, 30, 14, 30)  # CEST
    # 02:30 does not exist on 29 March in Berlin: shifted forward by the gap, to 03:30 CEST
    gap = combine_local(date(2026, 3, 29), time(2, 30), BERLIN)
    assert gap == utc(2026, 3, 29, 1, 30) and wall(gap, BERLIN) == "2026-03-29 03:30 CEST"
    # 02:30 happens twice on 25 October: the first one (CEST)
    assert combine_local(date(2026, 10, 25), time(2, 30), BERLIN) == utc(2026, 10, 25, 0, 30)


NOW = utc(2026, 9, 7, 9, 0)  # 12:00 in Moscow


def test_validate_meeting_time_bounds() -> None:
    validate_meeting_time(NOW + 15 * M, NOW, MSK)
    validate_meeting_time(NOW + 120 * D, NOW, MSK)
    with pytest.raises(InvalidInput, match="Это время уже прошло"):
        validate_meeting_time(NOW - H, NOW, MSK)
    with pytest.raises(InvalidInput, match="Это время уже прошло"):
        validate_meeting_time(NOW, NOW, MSK)
    with pytest.raises(InvalidInput, match=r"Слишком скоро.*через 15 минут"):
        validate_meeting_time(NOW + 14 * M, NOW, MSK)
    with pytest.raises(InvalidInput, match=r"Слишком далеко.*120 дней вперёд \(до 05.01.2027\)"):
        validate_meeting_time(NOW + 120 * D + M, NOW, MSK)
    with pytest.raises(InvalidInput, match=r"Слишком далеко.*на 7 дней вперёд \(до 14.09.2026\)"):
        validate_meeting_time(NOW + 8 * D, NOW, MSK, latest=7 * D)
    with pytest.raises(ValueError, match="naive"):
        validate_meeting_time(datetime(2026, 9, 8, 12), NOW, MSK)


def test_too_soon_names_the_earliest_time_on_the_institutions_clock() -> None:
    """«Слишком скоро…» says when the meeting may be: the first whole minute far enough ahead."""
    with pytest.raises(InvalidInput) as info:
        validate_meeting_time(utc(2026, 9, 7, 13, 35), utc(2026, 9, 7, 13, 30, 20), MSK)  # 16:30:20 in Moscow
    assert info.value.user_text == (
        "Слишком скоро: встречу можно назначить не раньше 16:46 (через 15 минут или позже), чтобы все успели узнать"
    )
    # Just before midnight the earliest time is on the next day: the date is named too.
    with pytest.raises(InvalidInput) as info:
        validate_meeting_time(utc(2026, 9, 7, 20, 55), utc(2026, 9, 7, 20, 50), MSK)
    assert "не раньше 08.09.2026 00:05" in info.value.user_text
    assert "UTC" not in info.value.user_text


def test_input_errors_speak_to_a_pupil_as_ty_and_to_an_adult_as_vy() -> None:
    with pytest.raises(InvalidInput) as info:
        parse_clock_time("4 pm")
    assert info.value.msg_id == "time-help"
    assert info.value.text(Audience.PUPIL) == "Не понимаю время. Напиши, например, 16:30"
    assert info.value.text(Audience.ADULT) == "Не понимаю время. Напишите, например, 16:30"
    with pytest.raises(InvalidInput) as info:
        validate_meeting_time(NOW - H, NOW, MSK)
    assert info.value.text(Audience.PUPIL) == "Это время уже прошло. Выбери день и время позже, чем сейчас"


# --- reminders ------------------------------------------------------------------------------------------


def test_reminders_at_right_local_times_in_moscow() -> None:
    start = local(MSK, 2026, 9, 25, 16, 30)
    plan = reminder_times(start, parse_offsets("24h,1h"), NIGHT, MSK)
    assert [(o, wall(t, MSK)) for o, t in plan] == [
        (24 * H, "2026-09-24 16:30 MSK"),
        (H, "2026-09-25 15:30 MSK"),
    ]


def test_morning_meeting_reminder_moves_to_end_of_quiet_hours() -> None:
    start = local(MSK, 2026, 9, 25, 8, 30)
    plan = reminder_times(start, [H, 24 * H], NIGHT, MSK)
    assert [(o, wall(t, MSK)) for o, t in plan] == [
        (24 * H, "2026-09-24 08:30 MSK"),  # the day before at 08:30 is not quiet
        (H, "2026-09-25 08:00 MSK"),  # 07:30 is quiet -> 08:00
    ]
    assert format_relative(start - plan[1][1]) == "через 30 минут"


def test_reminder_whose_quiet_period_covers_the_meeting_is_pulled_back_to_the_evening() -> None:
    start = local(MSK, 2026, 9, 25, 7, 45)  # the meeting itself is in quiet hours
    plan = reminder_times(start, [24 * H, H], NIGHT, MSK)
    assert [(o, wall(t, MSK)) for o, t in plan] == [
        (24 * H, "2026-09-24 08:00 MSK"),  # 07:45 the day before is quiet -> 08:00
        (H, "2026-09-24 20:59 MSK"),  # 06:45 is quiet and the night ends after 07:45 -> the last free minute
    ]
    # quiet hours ending exactly at the meeting start: a reminder at the start itself is useless -> the evening
    start = local(MSK, 2026, 9, 25, 8, 0)
    assert [wall(t, MSK) for _, t in reminder_times(start, [H], NIGHT, MSK)] == ["2026-09-24 20:59 MSK"]


def test_reminders_collapsing_into_one_moment_keep_the_larger_offset() -> None:
    start = local(MSK, 2026, 9, 25, 9, 0)
    plan = reminder_times(start, [3 * H, 2 * H, H, 30 * M], NIGHT, MSK)
    # 06:00 and 07:00 both move to 08:00; the 1h slot is 08:00 itself; 30 min before is 08:30
    assert [(o, wall(t, MSK)) for o, t in plan] == [(3 * H, "2026-09-25 08:00 MSK"), (30 * M, "2026-09-25 08:30 MSK")]
    # two pulled back to the same evening minute
    start = local(MSK, 2026, 9, 25, 7, 0)
    plan = reminder_times(start, [2 * H, H], NIGHT, MSK)
    assert [(o, wall(t, MSK)) for o, t in plan] == [(2 * H, "2026-09-24 20:59 MSK")]


def test_evening_meeting_with_reminders_on_both_sides_of_the_night() -> None:
    start = local(MSK, 2026, 9, 25, 22, 0)
    plan = reminder_times(start, [24 * H, H], NIGHT, MSK)
    assert [(o, wall(t, MSK)) for o, t in plan] == [
        (24 * H, "2026-09-25 08:00 MSK"),  # 22:00 the day before -> the morning
        (H, "2026-09-25 20:59 MSK"),  # 21:00 is quiet until tomorrow 08:00, after the meeting -> pulled back
    ]


def test_quiet_hours_off_and_not_before() -> None:
    start = local(MSK, 2026, 9, 25, 7, 45)
    plan = reminder_times(start, [H, 24 * H, H], None, MSK)
    assert plan == [(24 * H, start - 24 * H), (H, start - H)]
    assert reminder_times(start, [], NIGHT, MSK) == []
    # scheduled 40 minutes before: no "1 hour before" reminder, no "24 hours before" either
    assert reminder_times(start, [24 * H, H, 30 * M], None, MSK, not_before=start - 40 * M) == [
        (30 * M, start - 30 * M)
    ]
    # scheduled at 22:00 the evening before: the 1h reminder would be pulled back into the past -> dropped
    assert reminder_times(start, [H], NIGHT, MSK, not_before=local(MSK, 2026, 9, 24, 22, 0)) == []
    with pytest.raises(ValueError, match="positive"):
        reminder_times(start, [timedelta(0)], None, MSK)
    with pytest.raises(ValueError, match="naive"):
        reminder_times(datetime(2026, 9, 25, 8), [H], None, MSK)


def test_reminders_across_dst_in_berlin() -> None:
    # offsets are exact durations: 24 h before Sunday 10:00 CEST is Saturday 09:00 CET
    start = local(BERLIN, 2026, 3, 29, 10, 0)
    assert [wall(t, BERLIN) for _, t in reminder_times(start, [24 * H], NIGHT, BERLIN)] == ["2026-03-28 09:00 CET"]
    start = local(BERLIN, 2026, 10, 25, 10, 0)
    assert [wall(t, BERLIN) for _, t in reminder_times(start, [24 * H], NIGHT, BERLIN)] == ["2026-10-24 11:00 CEST"]
    # quiet hours follow the wall clock on the DST day: 07:30 CEST is quiet -> 08:00 CEST
    start = local(BERLIN, 2026, 3, 29, 8, 30)
    plan = reminder_times(start, [H], NIGHT, BERLIN)
    assert [wall(t, BERLIN) for _, t in plan] == ["2026-03-29 08:00 CEST"]
    assert plan[0][1] == utc(2026, 3, 29, 6, 0)
    start = local(BERLIN, 2026, 10, 25, 8, 30)
    assert [wall(t, BERLIN) for _, t in reminder_times(start, [H], NIGHT, BERLIN)] == ["2026-10-25 08:00 CET"]


def test_shift_out_of_quiet_across_dst_gap_and_fold() -> None:
    late_night = QuietHours(time(22, 0), time(2, 30))
    # the end 02:30 does not exist on 29 March: shifted forward by the gap, 03:30 CEST
    moved = shift_out_of_quiet(local(BERLIN, 2026, 3, 29, 1, 45), late_night, BERLIN)
    assert wall(moved, BERLIN) == "2026-03-29 03:30 CEST"
    # on 25 October 02:00-03:00 happens twice; in the second pass the end is the second 02:45, never earlier
    until_245 = QuietHours(time(21, 0), time(2, 45))
    second_pass = local(BERLIN, 2026, 10, 25, 2, 30, fold=1)
    assert second_pass == utc(2026, 10, 25, 1, 30)
    moved = shift_out_of_quiet(second_pass, until_245, BERLIN)
    assert moved == utc(2026, 10, 25, 1, 45) and wall(moved, BERLIN) == "2026-10-25 02:45 CET"
    first_pass = local(BERLIN, 2026, 10, 25, 2, 30)
    assert shift_out_of_quiet(first_pass, until_245, BERLIN) == utc(2026, 10, 25, 0, 45)  # 02:45 CEST
    # quiet 02:15-02:00 leaves 15 free minutes a day; on 29 March they fall into the gap -> the next night's end
    almost_always = QuietHours(time(2, 15), time(2, 0))
    moved = shift_out_of_quiet(local(BERLIN, 2026, 3, 28, 3, 0), almost_always, BERLIN)
    assert wall(moved, BERLIN) == "2026-03-30 02:00 CEST"
    # not quiet / no quiet hours: unchanged
    noon = local(BERLIN, 2026, 3, 29, 12, 0)
    assert shift_out_of_quiet(noon, NIGHT, BERLIN) == noon
    assert shift_out_of_quiet(local(BERLIN, 2026, 3, 29, 23, 0), None, BERLIN) == local(BERLIN, 2026, 3, 29, 23, 0)


def test_due_with_grace() -> None:
    planned = utc(2026, 9, 25, 5, 0)
    grace = 2 * H
    assert due(planned, planned - timedelta(seconds=1), grace) == "wait"
    assert due(planned, planned, grace) == "send"
    assert due(planned, planned + 90 * M, grace) == "send"  # came due while the bot was down
    assert due(planned, planned + grace, grace) == "send"
    assert due(planned, planned + grace + timedelta(seconds=1), grace) == "missed"
    assert due(planned, planned + 5 * M, timedelta(0)) == "missed"


def test_checkin_time() -> None:
    start = local(MSK, 2026, 9, 25, 16, 0)
    assert checkin_time(start, 2 * H, NIGHT, MSK) == start + 2 * H
    late = local(MSK, 2026, 9, 25, 19, 0)
    assert wall(checkin_time(late, 2 * H + 30 * M, NIGHT, MSK), MSK) == "2026-09-26 08:00 MSK"
    assert checkin_time(late, 2 * H + 30 * M, None, MSK) == late + 150 * M
    with pytest.raises(ValueError):
        checkin_time(start, -H, NIGHT, MSK)


def test_format_local() -> None:
    """One format for every time a participant sees: ДД.ММ.ГГГГ ЧЧ:ММ on the institution's clock."""
    assert format_local(local(MSK, 2026, 9, 28, 16, 30), MSK) == "28.09.2026 16:30"
    assert format_local(utc(2026, 9, 25, 13, 30), MSK) == "25.09.2026 16:30"
    assert format_local(utc(2027, 1, 3, 21, 5), MSK) == "04.01.2027 00:05"
    assert format_local(utc(2026, 3, 29, 1, 30), BERLIN) == "29.03.2026 03:30"


@pytest.mark.parametrize(
    ("n", "hours", "minutes", "days"),
    [
        (1, "через 1 час", "через 1 минуту", None),
        (2, "через 2 часа", "через 2 минуты", "через 2 дня"),
        (5, "через 5 часов", "через 5 минут", "через 5 дней"),
        (11, "через 11 часов", "через 11 минут", "через 11 дней"),
        (21, "через 21 час", "через 21 минуту", "через 21 день"),
        (22, "через 22 часа", "через 22 минуты", "через 22 дня"),
        (25, "через 25 часов", "через 25 минут", "через 25 дней"),
    ],
)
def test_format_relative_plurals(n: int, hours: str, minutes: str, days: str | None) -> None:
    assert format_relative(n * H) == hours
    assert format_relative(n * M) == minutes
    if days is not None:
        assert format_relative(n * D) == days


def test_format_relative_mixed_and_edges() -> None:
    assert format_relative(24 * H) == "через 24 часа"
    assert format_relative(D) == "через 24 часа"  # under two days, hours read better
    assert format_relative(90 * M) == "через 1 час 30 минут"
    assert format_relative(3 * D + 2 * H + 5 * M) == "через 3 дня 2 часа 5 минут"
    assert format_relative(timedelta(seconds=45)) == "через 45 секунд"
    assert format_relative(timedelta(minutes=59, seconds=59)) == "через 1 час"
    assert format_relative(timedelta(0)) == "сейчас"
    with pytest.raises(ValueError):
        format_relative(-M)
    assert [tr("duration-part", n=n, unit="day") for n in (0, 101, 111, 112, 1004)] == [
        "0 дней",
        "101 день",
        "111 дней",
        "112 дней",
        "1004 дня",
    ]


# --- activity -------------------------------------------------------------------------------------------


def test_checkins() -> None:
    held, moved = CheckinAnswer.HELD, CheckinAnswer.MOVED
    assert not checkins_disagree({})
    assert not checkins_disagree({"mentor": held})
    assert not checkins_disagree({"mentor": held, "mentee": held, 42: None})
    assert checkins_disagree({"mentor": held, "mentee": moved})
    assert checkins_disagree({101: held, 102: held, 103: CheckinAnswer.NOT_HELD})
    assert agreed_answer({"mentor": held, "mentee": held}) is held
    assert agreed_answer({"mentor": held, "mentee": moved}) is None
    assert agreed_answer({"mentor": None}) is None
    assert CheckinAnswer("not_held").label == "Не состоялась"


@pytest.mark.parametrize(
    ("elapsed_days", "expected"),
    [(13, "ok"), (14, "nudge_mentor"), (20, "nudge_mentor"), (21, "alert_curator"), (60, "alert_curator")],
)
def test_quiet_level_boundaries(elapsed_days: int, expected: str) -> None:
    n = 14
    started = utc(2026, 9, 20, 9, 0)
    assert quiet_level(None, started, started + elapsed_days * D, n) == expected
    last = started + 30 * D
    assert quiet_level(last, started, last + elapsed_days * D, n) == expected
    # a held meeting before the pair was (re)formed does not count: the pair's start does
    assert quiet_level(started - 40 * D, started, started + elapsed_days * D, n) == expected


def test_quiet_level_just_before_the_boundary() -> None:
    started = utc(2026, 9, 20, 9, 0)
    assert quiet_level(None, started, started + 14 * D - timedelta(seconds=1), 14) == "ok"
    assert quiet_level(None, started, started + 21 * D - timedelta(seconds=1), 14) == "nudge_mentor"
    with pytest.raises(ValueError):
        quiet_level(None, started, started, 0)


def test_next_daily_run() -> None:
    nine = time(9, 0)
    assert next_daily_run(utc(2026, 9, 25, 5, 0), nine, MSK) == utc(2026, 9, 25, 6, 0)
    assert next_daily_run(utc(2026, 9, 25, 6, 0), nine, MSK) == utc(2026, 9, 26, 6, 0)  # just ran -> tomorrow
    assert next_daily_run(utc(2026, 9, 25, 22, 0), nine, MSK) == utc(2026, 9, 26, 6, 0)  # 01:00 local
    # Berlin: 09:00 CET on Saturday, then 09:00 CEST on Sunday (23 hours later)
    assert next_daily_run(utc(2026, 3, 27, 9, 0), nine, BERLIN) == utc(2026, 3, 28, 8, 0)
    assert next_daily_run(utc(2026, 3, 28, 8, 0), nine, BERLIN) == utc(2026, 3, 29, 7, 0)
    # a run time inside the gap is shifted forward; inside the fold it runs once
    assert wall(next_daily_run(utc(2026, 3, 28, 23, 0), time(2, 30), BERLIN), BERLIN) == "2026-03-29 03:30 CEST"
    first = next_daily_run(utc(2026, 10, 24, 23, 0), time(2, 30), BERLIN)
    assert first == utc(2026, 10, 25, 0, 30)
    assert next_daily_run(first, time(2, 30), BERLIN) == utc(2026, 10, 26, 1, 30)


# --- properties -----------------------------------------------------------------------------------------

ZONES = st.sampled_from(
    [MSK, BERLIN, ZoneInfo("America/New_York"), ZoneInfo("Australia/Lord_Howe"), ZoneInfo("Asia/Kolkata")]
)
MOMENTS = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC))
CLOCKS = st.builds(time, st.integers(0, 23), st.integers(0, 59))
QUIETS = st.one_of(
    st.none(),
    st.tuples(CLOCKS, CLOCKS).filter(lambda pair: pair[0] != pair[1]).map(lambda pair: QuietHours(*pair)),
    st.just(NIGHT),
)
OFFSETS = st.lists(st.integers(1, 3 * 24 * 60).map(lambda minutes: timedelta(minutes=minutes)), max_size=6)


@settings(max_examples=400, deadline=None)
@given(start=MOMENTS, offsets=OFFSETS, quiet=QUIETS, tz=ZONES)
def test_property_reminders_never_quiet_never_late_and_sorted(
    start: datetime, offsets: list[timedelta], quiet: QuietHours | None, tz: ZoneInfo
) -> None:
    plan = reminder_times(start, offsets, quiet, tz)
    times = [t for _, t in plan]
    kept = [o for o, _ in plan]
    assert times == sorted(times) and len(set(times)) == len(times)
    assert kept == sorted(set(kept), reverse=True) and set(kept) <= set(offsets)
    for offset, send_at in plan:
        assert send_at.tzinfo is not None and send_at < start
        if quiet is not None:
            assert not quiet.is_quiet(send_at, tz), (wall(send_at, tz), str(quiet))
        if quiet is None or not quiet.is_quiet(start - offset, tz):
            assert send_at == start - offset  # a slot outside quiet hours is never moved
    if quiet is None:
        assert plan == [(o, start - o) for o in sorted(set(offsets), reverse=True)]


@settings(max_examples=300, deadline=None)
@given(moment=MOMENTS, quiet=QUIETS, tz=ZONES)
def test_property_shift_out_of_quiet(moment: datetime, quiet: QuietHours | None, tz: ZoneInfo) -> None:
    moved = shift_out_of_quiet(moment, quiet, tz)
    # a day at most, two when a DST gap swallows a short free window (see the test above)
    assert moved >= moment and moved - moment <= 50 * H
    if quiet is not None:
        assert not quiet.is_quiet(moved, tz)
        assert shift_out_of_quiet(moved, quiet, tz) == moved
        if not quiet.is_quiet(moment, tz):
            assert moved == moment


@settings(max_examples=300, deadline=None)
@given(now=MOMENTS, at=CLOCKS, tz=ZONES)
def test_property_next_daily_run(now: datetime, at: time, tz: ZoneInfo) -> None:
    run = next_daily_run(now, at, tz)
    assert now < run <= now + 26 * H
    assert run == combine_local(run.astimezone(tz).date(), at, tz) or run == combine_local(
        run.astimezone(tz).date() - D, at, tz
    )  # a gap time is shifted forward, possibly past midnight (Lord_Howe shifts by 30 minutes)
