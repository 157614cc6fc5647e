"""The curator's summary and export, from aggregates to text lines and sheets (pure: no SQL, no messenger)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any

from bot.clock import parse_iso
from bot.i18n import tr
from bot.meetings import CheckinAnswer, Stage
from bot.monitoring import MIN_GROUP
from bot.programme import FORM_LABELS, ROLE_LABELS, Form, Role
from bot.questionnaires import Question, Questionnaire, format_value
from bot.reports.export_xlsx import Column, SheetData

#: Meeting statuses as the «Встречи» sheet names them (`export-meeting-status-<status>`).
MEETING_STATUSES = ("planned", "held", "not_held", "cancelled")
#: A pair's answer about its fit, as the «Ответы» sheet names it (`export-fit-<answer>`).
FIT_ANSWERS = ("yes", "unsure", "no")


def _meeting_status(status: str) -> str:
    return tr(f"export-meeting-status-{status}") if status in MEETING_STATUSES else status


def _fit_answer(answer: str) -> str:
    return tr(f"export-fit-{answer}") if answer in FIT_ANSWERS else answer


def item_labels(questionnaires: Mapping[str, Questionnaire], ids: Sequence[str]) -> dict[str, str]:
    """Question id → short caption, from the monitoring questionnaires that have it."""
    labels: dict[str, str] = {}
    for questionnaire_id in ids:
        questionnaire = questionnaires.get(questionnaire_id)
        if questionnaire is None:
            continue
        for question in questionnaire.questions:
            labels.setdefault(question.id, question.caption)
    return labels


@dataclass(frozen=True)
class QualityPeriod:
    """The quality figures of one monitoring period: `items` are (caption, mean or None if hidden, n)."""

    label: str
    campaigns: int
    items: list[tuple[str, float | None, int]]


def period_label(start: date) -> str:
    return tr("summary-period-month", month=start.month, year=str(start.year))


def stage_counts(furthest: Sequence[str | None]) -> dict[str, int]:
    """Pairs by the stage they are at (the furthest held; «ещё не встречались» before the first)."""
    not_yet = tr("export-stage-none")
    counts = {not_yet: 0, **{stage.label: 0 for stage in Stage}}
    for stage in furthest:
        counts[Stage(stage).label if stage else not_yet] += 1
    return counts


def visible(n: int) -> bool:
    return n >= MIN_GROUP


def _local(value: str | None, tz: tzinfo) -> datetime | None:
    return parse_iso(value).astimezone(tz).replace(tzinfo=None) if value else None


def _question(
    question_id: str, questionnaire: Questionnaire | None, questionnaires: Mapping[str, Questionnaire]
) -> Question | None:
    """The question as the person was asked it; else the same id in any questionnaire (an answer kept from an
    earlier version of a campaign's set), so the «Ответы» sheet shows a question, not its id."""
    question_id = question_id.partition(".")[0]  # «club.details»: the «which one?» text after «club»
    if questionnaire is not None and questionnaire.has_question(question_id):
        return questionnaire.question(question_id)
    for other in questionnaires.values():
        if other.has_question(question_id):
            return other.question(question_id)
    return None


def _answer_text(value: str | None, question: Question | None) -> str:
    if value is None:
        return ""
    loaded = json.loads(value)
    return format_value(question, loaded) if question is not None else str(loaded)


def _checkin_rows(checkins: Sequence[Mapping[str, Any]], names: Mapping[int, str], tz: tzinfo) -> list[list[object]]:
    """A check-in as questions and answers: held?, how useful, what was done or why not; a pair's fit."""
    rows: list[list[object]] = []
    for c in checkins:
        pid = c["participant_id"]
        when = _local(c["at"], tz)
        if c["kind"] == "fit":
            title = tr("export-fit-title", pair=c["pair_id"])
            questions = [(tr("export-fit-question"), _fit_answer(c["answer"]))]
        else:
            starts = _local(c["starts_at"], tz)
            when_text = f"{starts:%d.%m.%Y %H:%M}" if starts else ""
            title = tr("export-checkin-title", stage=Stage(c["stage"]).label, when=when_text, pair=c["pair_id"])
            answer = CheckinAnswer(c["answer"])
            questions = [(tr("export-checkin-held"), answer.label)]
            if c["usefulness"] is not None:
                questions.append((tr("export-checkin-useful"), tr("export-checkin-useful-value", n=c["usefulness"])))
            if c["note"]:
                why = answer is CheckinAnswer.NOT_HELD
                questions.append((tr("export-checkin-why" if why else "export-checkin-what"), c["note"]))
        rows += [[f"P-{pid:05d}", names.get(pid, ""), title, q, a, when] for q, a in questions]
    return rows


def export_sheets(
    *,
    people: Sequence[Mapping[str, Any]],
    names: Mapping[int, str],
    pairs: Sequence[Mapping[str, Any]],
    meetings: Sequence[Mapping[str, Any]],
    answers: Sequence[Mapping[str, Any]],
    campaign_questionnaires: Mapping[str, str],
    checkins: Sequence[Mapping[str, Any]] = (),
    monitoring: Sequence[tuple[str, str, float | None, int]],
    municipal: Sequence[tuple[str, int | None, float | None, int | None]],
    questionnaires: Mapping[str, Questionnaire],
    tz: tzinfo,
) -> list[SheetData]:
    """All sheets of /export. `campaign_questionnaires` maps a response key («c12») to its questionnaire id;
    `checkins` are the answers about meetings and pairs' fit (`ReportRepo.all_checkins`)."""

    def person(pid: int | None) -> str:
        return names.get(pid, f"P-{pid:05d}") if pid else tr("pair-withdrawn")

    mentees = [p for p in people if p["role"] != Role.MENTOR.value]
    mentors = [p for p in people if p["role"] == Role.MENTOR.value]
    base = [
        Column(tr("export-column-pseudonym")),
        Column(tr("export-column-name")),
        Column(tr("export-column-role")),
        Column(tr("export-column-form")),
        Column(tr("export-column-joined"), "date"),
        Column(tr("export-column-consent"), "datetime"),
        Column(tr("export-column-survey-done"), "datetime"),
    ]

    def base_row(p: Mapping[str, Any]) -> list[object]:
        return [
            f"P-{p['id']:05d}",
            names.get(p["id"], ""),
            ROLE_LABELS[Role(p["role"])],
            FORM_LABELS[Form(p["form"])],
            _local(p["joined_at"], tz).date() if p["joined_at"] else None,
            _local(p["consent_at"], tz),
            _local(p["survey_done_at"], tz),
        ]

    accounting_columns = [
        *base,
        Column(tr("export-column-pair-number"), "int"),
        Column(tr("export-column-meetings-held"), "int"),
        Column(tr("export-column-surveys-done"), "int"),
    ]
    accounting = [[*base_row(p), p["pair_id"], p["held"], p["surveys"]] for p in people]
    pair_rows = [
        [p["id"], FORM_LABELS[Form(p["form"])], person(p["mentor_id"]), ", ".join(person(m) for m in p["mentees"]),
         _local(p["confirmed_at"], tz), p["size"]]
        for p in pairs
    ]  # fmt: skip
    meeting_rows = [
        [m["pair_id"], Stage(m["stage"]).label, _local(m["starts_at"], tz), m["place"], m["topic"] or "",
         _meeting_status(m["status"]), m["checkins"], m["usefulness"]]
        for m in meetings
    ]  # fmt: skip
    answer_rows = []
    for a in answers:
        key = a["questionnaire_id"]
        questionnaire = questionnaires.get(a.get("asked") or campaign_questionnaires.get(key, key))
        question = _question(a["question_id"], questionnaire, questionnaires)
        answer_rows.append(
            [
                f"P-{a['participant_id']:05d}",
                names.get(a["participant_id"], ""),
                a["title"] or (questionnaire.title if questionnaire else key),
                question.text if question is not None else a["question_id"],
                _answer_text(a["value"], question),
                _local(a["answered_at"], tz),
            ]
        )
    answer_rows += _checkin_rows(checkins, names, tz)
    answer_rows.sort(key=lambda row: row[0])  # stable: each person's answers together, in their order
    return [
        SheetData(tr("export-sheet-mentees"), base, [base_row(p) for p in mentees], print_columns=2),
        SheetData(tr("export-sheet-mentors"), base, [base_row(p) for p in mentors], print_columns=2),
        SheetData(
            tr("export-sheet-pairs"),
            [
                Column(tr("export-column-number"), "int"),
                Column(tr("export-column-form")),
                Column(tr("export-column-mentor")),
                Column(tr("export-column-mentees")),
                Column(tr("export-column-confirmed"), "datetime"),
                Column(tr("export-column-mentee-count"), "int"),
            ],
            pair_rows,
            print_columns=1,
        ),
        SheetData(
            tr("export-sheet-meetings"),
            [
                Column(tr("export-column-pair"), "int"),
                Column(tr("export-column-stage")),
                Column(tr("export-column-when"), "datetime"),
                Column(tr("export-column-place")),
                Column(tr("export-column-topic")),
                Column(tr("export-column-status")),
                Column(tr("export-column-checkins"), "int"),
                Column(tr("export-column-usefulness"), "float"),
            ],
            meeting_rows,
            print_columns=1,
        ),
        SheetData(
            tr("export-sheet-answers"),
            [
                Column(tr("export-column-pseudonym")),
                Column(tr("export-column-name")),
                Column(tr("export-column-questionnaire")),
                Column(tr("export-column-question")),
                Column(tr("export-column-answer")),
                Column(tr("export-column-when"), "datetime"),
            ],
            answer_rows,
            note=tr("export-note-answers"),
            print_columns=2,
        ),
        SheetData(
            tr("export-sheet-monitoring"),
            [
                Column(tr("export-column-indicator")),
                Column(tr("export-column-item")),
                Column(tr("export-column-mean"), "float"),
                Column(tr("export-column-answers"), "int"),
            ],
            [[kind, label, mean if visible(n) else None, n] for kind, label, mean, n in monitoring],
            note=tr("export-note-monitoring", n=MIN_GROUP),
            print_columns=2,
        ),
        SheetData(
            tr("export-sheet-accounting"),
            accounting_columns,
            accounting,
            note=tr("export-note-accounting"),
            print_columns=2,
        ),
        SheetData(
            tr("export-sheet-municipal"),
            [
                Column(tr("municipal-columns-0")),
                Column(tr("municipal-columns-1"), "int"),
                Column(tr("municipal-columns-2"), "float"),
                Column(tr("municipal-columns-3"), "int"),
            ],
            [list(row) for row in municipal],
            note=tr("export-note-municipal"),
            print_columns=1,
        ),
    ]
