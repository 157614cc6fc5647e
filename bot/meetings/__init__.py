"""Stage meetings and reminders (roadmap item 4.5): pure Python, no messenger, no SQL, no clock.

Times are timezone-aware UTC datetimes; the institution's zone comes in as a `ZoneInfo`; `now` is passed in.
"""

from bot.meetings.activity import (
    CheckinAnswer,
    QuietLevel,
    agreed_answer,
    checkins_disagree,
    next_daily_run,
    quiet_level,
)
from bot.meetings.reminders import (
    Due,
    checkin_time,
    due,
    format_local,
    format_relative,
    reminder_times,
    shift_out_of_quiet,
)
from bot.meetings.stages import (
    DEFAULT_PLAN,
    Stage,
    StagePlan,
    StagePosition,
    current_position,
    current_stage,
    next_stage,
    progress,
    stage_line,
    stage_of_next_meeting,
)
from bot.meetings.timeparse import (
    InvalidInput,
    QuietHours,
    combine_local,
    duration_words,
    format_day,
    parse_clock_time,
    parse_duration,
    parse_local_date,
    parse_offsets,
    parse_quiet_hours,
    validate_meeting_time,
)

__all__ = [
    "DEFAULT_PLAN",
    "CheckinAnswer",
    "Due",
    "InvalidInput",
    "QuietHours",
    "QuietLevel",
    "Stage",
    "StagePlan",
    "StagePosition",
    "agreed_answer",
    "checkin_time",
    "checkins_disagree",
    "combine_local",
    "current_position",
    "current_stage",
    "due",
    "duration_words",
    "format_day",
    "format_local",
    "format_relative",
    "next_daily_run",
    "next_stage",
    "parse_clock_time",
    "parse_duration",
    "parse_local_date",
    "parse_offsets",
    "parse_quiet_hours",
    "progress",
    "quiet_level",
    "reminder_times",
    "shift_out_of_quiet",
    "stage_line",
    "stage_of_next_meeting",
    "validate_meeting_time",
]
