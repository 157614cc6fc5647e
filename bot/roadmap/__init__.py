"""The curator's roadmap tracker («дорожная карта внедрения ЦМН»): pure Python, no messenger, no SQL, no clock.

- `load_roadmap` — the roadmap from TOML (the packaged `data/roadmap.toml` by default), strictly validated;
- deadlines are relative to the programme year Y (1 September Y – 31 August Y+1): `checkpoints`, `window`,
  `status`, `describe_deadline`, `reminders_due`, `section_progress` turn them into dates for a year;
- the curator's own items: `make_item`, `parse_deadline_text`, `Roadmap.with_item`;
  `deadline_to_mapping` / `deadline_from_mapping` store a spec as JSON;
- `roadmap_workbook` — the control material of item 6.1 (XLSX bytes).
"""

from __future__ import annotations

from bot.roadmap.deadlines import (
    STATUS_LABELS,
    STATUSES,
    Checkpoint,
    ReminderKind,
    Status,
    checkpoints,
    describe_deadline,
    next_checkpoint,
    parse_deadline_text,
    periods,
    programme_end,
    programme_label,
    programme_start,
    programme_year_of,
    reminder_years,
    reminders_due,
    roadmap_year_of,
    section_progress,
    spec_text,
    status,
    window,
)
from bot.roadmap.export import roadmap_workbook
from bot.roadmap.loader import (
    deadline_from_mapping,
    deadline_from_value,
    deadline_to_mapping,
    load_roadmap,
    make_item,
    normalize_number,
    normalize_responsible,
)
from bot.roadmap.model import (
    RESPONSIBLE_ROLES,
    ByDate,
    DateRange,
    DeadlineSpec,
    InMonth,
    InMonths,
    ItemState,
    MonthDay,
    Quarterly,
    Roadmap,
    RoadmapError,
    RoadmapItem,
    Section,
    Within,
)

__all__ = [
    "RESPONSIBLE_ROLES",
    "STATUSES",
    "STATUS_LABELS",
    "ByDate",
    "Checkpoint",
    "DateRange",
    "DeadlineSpec",
    "InMonth",
    "InMonths",
    "ItemState",
    "MonthDay",
    "Quarterly",
    "ReminderKind",
    "Roadmap",
    "RoadmapError",
    "RoadmapItem",
    "Section",
    "Status",
    "Within",
    "checkpoints",
    "deadline_from_mapping",
    "deadline_from_value",
    "deadline_to_mapping",
    "describe_deadline",
    "load_roadmap",
    "make_item",
    "next_checkpoint",
    "normalize_number",
    "normalize_responsible",
    "parse_deadline_text",
    "periods",
    "programme_end",
    "programme_label",
    "programme_start",
    "programme_year_of",
    "reminder_years",
    "reminders_due",
    "roadmap_workbook",
    "roadmap_year_of",
    "section_progress",
    "spec_text",
    "status",
    "window",
]
