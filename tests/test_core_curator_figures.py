"""The curator's figures and pairs (bot.flows.curator: reports, pairs, matching, grouping) as stories written
once and run on every front end: the core with no messenger, and Telegram. /summary counts what was seeded, /export
comes as an XLSX workbook, /match proposes the seeded mentor for the seeded mentee, and confirming it makes the pair
and tells both of them in the same action."""

from __future__ import annotations

import io
import zipfile
from dataclasses import fields
from typing import Any

import pytest
from aiogram.filters.callback_data import CallbackData

from bot.flows.curator import grouping, pairs
from bot.flows.payloads import (
    ArchivePayload,
    FormPayload,
    GroupMeetingPayload,
    MatchPayload,
    PairPayload,
    Payload,
    RoundPayload,
)
from bot.i18n import tr
from bot.programme import ROLE_LABELS, Form, Role
from handlers.kb.matching import FormCb, MatchCb, MeetingCb, PairCb, RoundCb
from handlers.kb.years import ArchiveCb
from handlers.states import DissolvePair, GroupMeetingSetup
from storage.matching import ProposedGroup
from tests import test_core_stories as stories
from tests.conftest import CURATOR_ID
from tests.flows import mentor_answers, pupil_answers, seed_participant
from tests.frontends import FrontEnd
from tests.frontends.core import plain

# The stories' fixtures: each story runs on each front end.
core_front, telegram_front, front = stories.core_front, stories.telegram_front, stories.front
max_front = stories.max_front

TP = Form.TEACHER_PUPIL
MASHA, IVAN = 801, 901


async def seed(front: FrontEnd) -> dict[str, int]:
    """Маша (a pupil who asks for robotics) and Иван Петрович, a mentor of robotics with one place."""
    return {
        "masha": await seed_participant(
            front, MASHA, Role.MENTEE_PUPIL, TP, pupil_answers("Маша", ["proj_robotics"])  # type: ignore[arg-type]
        ),
        "ivan": await seed_participant(
            front, IVAN, Role.MENTOR, TP, mentor_answers("Иван Петрович", ["proj_robotics"], 1)  # type: ignore[arg-type]
        ),
    }


async def test_the_summary_counts_what_was_seeded(front: FrontEnd) -> None:
    await seed(front)
    curator: Any = front.person(CURATOR_ID)
    await curator.send("/summary")
    summary = await curator.expect("Сводка программы")
    assert "Участники: 2" in summary.text
    for role in (Role.MENTEE_PUPIL, Role.MENTOR):
        assert plain(tr("summary-role-line", role=ROLE_LABELS[role], n=1)) in summary.text
    assert "Согласия: 2 из 2; ждут родителя: 0" in summary.text
    # Under it, the curator's menu of reports: another report is one press away.
    assert tr("btn-report-charts") in summary.buttons and tr("btn-report-export") in summary.buttons


async def test_the_export_comes_as_an_xlsx_workbook_with_the_seeded_names(front: FrontEnd) -> None:
    await seed(front)
    curator: Any = front.person(CURATOR_ID)
    await curator.send("/export")
    [workbook] = await curator.received_files(1)
    assert workbook.name.endswith(".xlsx") and not workbook.photo
    assert workbook.caption == plain(tr("export-caption"))
    with zipfile.ZipFile(io.BytesIO(workbook.content)) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/")]
        text = "".join(archive.read(name).decode("utf-8") for name in sheets if name.endswith(".xml"))
    assert "Маша" in text and "Иван Петрович" in text


async def test_the_charts_come_as_three_photos(front: FrontEnd) -> None:
    await seed(front)
    curator: Any = front.person(CURATOR_ID)
    await curator.send("/summary графики")
    charts = await curator.received_files(3)
    assert [c.photo for c in charts] == [True, True, True]
    assert all(c.content.startswith(b"\x89PNG") for c in charts)


async def test_match_proposes_the_mentor_and_confirming_tells_both_in_the_same_action(front: FrontEnd) -> None:
    ids = await seed(front)
    masha: Any = front.person(MASHA)
    ivan: Any = front.person(IVAN)
    curator: Any = front.person(CURATOR_ID)

    await curator.send("/match")
    overview = await curator.expect("Подбор по формам")
    assert TP.label in overview.buttons and tr("btn-confirm-all") in overview.buttons
    draft = await curator.press(TP.label, overview)
    assert "Черновик подбора" in draft.text and "Наставляемых подобрано: 1 из 1" in draft.text
    assert "1. Иван Петрович\n• Маша" in draft.text

    done = await curator.press(tr("btn-confirm-match"), draft)
    assert "Утверждено: пар — 1, групп — 0" in done.text
    pair = await front.service("matching").pair_of(ids["masha"])
    assert pair is not None and pair.mentor is not None and pair.mentor.id == ids["ivan"]
    # Each of them reads who their partner is first (the survey's invitation comes after it).
    assert "Иван Петрович" in (await masha.expect("наставник")).text
    assert "Маша" in (await ivan.expect("Маша")).text
    # The list of pairs and the director's order come to the curator with the confirmation.
    papers = await curator.received_files(2)
    assert [p.name.rsplit(".", 1)[1] for p in papers] == ["xlsx", "docx"]


async def test_the_bases_come_as_xlsx_from_the_menu(front: FrontEnd) -> None:
    await seed(front)
    curator: Any = front.person(CURATOR_ID)
    menu = await curator.open_menu()
    await curator.press(tr("btn-base-mentors"), menu)
    [base] = await curator.received_files(1)
    assert base.name.startswith("baza-nastavnikov") and base.caption == tr("btn-base-mentors")


async def test_the_curator_dissolves_a_pair_with_a_reason_and_both_are_told(front: FrontEnd) -> None:
    ids = await seed(front)
    masha: Any = front.person(MASHA)
    ivan: Any = front.person(IVAN)
    curator: Any = front.person(CURATOR_ID)
    group = ProposedGroup(ids["ivan"], [(ids["masha"], 8.5, "")])
    [pair_id] = await front.service("matching").create_pairs(TP, [group], CURATOR_ID)

    await curator.send("/pairs")
    listed = await curator.expect("Пары и группы (1)")
    card = await curator.press(f"№{pair_id} Иван Петрович", listed)
    assert "Наставник: Иван Петрович" in card.text
    asked = await curator.press(tr("btn-dissolve"), card)
    assert asked.text.startswith(f"Почему расформировываем пару №{pair_id}?")
    await curator.send("Не совпало расписание")
    await curator.expect(f"Пара №{pair_id} расформирована", eventually=True)
    assert (await front.service("matching").pair(pair_id)).dissolved_at is not None
    for person in (masha, ivan):
        assert "Причина: Не совпало расписание" in (await person.expect("расформирована", eventually=True)).text


# --- the payloads and the dialog states the adapters share with the flows ---------------------------------------
TWINS: list[tuple[type[Payload], type[CallbackData], dict[str, object]]] = [
    (ArchivePayload, ArchiveCb, {"a": "renew", "y": 3, "p": 12, "q": 7}),
    (PairPayload, PairCb, {"a": "finish_ok", "id": 2}),
    (FormPayload, FormCb, {"flow": "rm", "f": TP.value}),
    (MatchPayload, MatchCb, {"a": "ok", "f": TP.value, "h": "0123456789", "v": "abc"}),
    (GroupMeetingPayload, MeetingCb, {"a": "tog", "f": TP.value, "pid": 5, "p": 1}),
    (RoundPayload, RoundCb, {"a": "remind", "f": TP.value}),
]


@pytest.mark.parametrize(("neutral", "twin", "values"), TWINS, ids=lambda x: getattr(x, "__name__", ""))
def test_the_flows_payloads_pack_as_the_adapters_twins(
    neutral: type[Payload], twin: type[CallbackData], values: dict[str, object]
) -> None:
    assert neutral.prefix == twin.__prefix__
    assert [f.name for f in fields(neutral)] == list(twin.model_fields)  # type: ignore[arg-type]
    packed = neutral(**values).pack()  # type: ignore[call-arg]
    assert packed == twin(**values).pack()
    assert twin.unpack(packed).model_dump() == vars(neutral.unpack(packed))


def test_the_flows_dialog_states_are_the_adapters() -> None:
    assert DissolvePair.reason.state == pairs.DISSOLVE_REASON
    assert (
        GroupMeetingSetup.when.state, GroupMeetingSetup.place.state, GroupMeetingSetup.confirm.state
    ) == (grouping.WHEN, grouping.PLACE, grouping.CONFIRM)  # fmt: skip
