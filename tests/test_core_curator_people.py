"""The curator's work with people and papers through the core (bot/flows/curator/{invites, curators,
participants, documents, destruction}), written once and run on both front ends: the core with no messenger, and
Telegram (the real app on the fake Bot API). What the curator reads and presses is the same on both."""

from __future__ import annotations

import asyncio
import io
import zipfile
from dataclasses import fields
from datetime import UTC, datetime
from typing import Any

import pytest
from aiogram.filters.callback_data import CallbackData

from bot.flows import routes
from bot.flows.curator import curators, destruction, documents, invites, participants
from bot.flows.effects import Notify, SendFile, Show, Toast
from bot.flows.events import CommandIn, Messenger, Person, PressIn, TextIn
from bot.flows.payloads import Payload
from bot.flows.screens import Screen
from bot.i18n import tr
from bot.programme import Form, Role
from handlers import states
from handlers.kb.curator import CuratorsCb, InviteCb, PeopleCb, RevokeCb
from handlers.kb.destruction import DestructionActCb
from storage.matching import ProposedGroup
from tests import test_core_stories as stories
from tests.conftest import CURATOR_BACKGROUND, CURATOR_ID, OTHER_CURATOR_ID
from tests.flows import mentor_answers, pupil_answers, seed_participant
from tests.frontends import FrontEnd, Seen
from tests.frontends.core import CoreFrontEnd, CorePerson
from tests.frontends.max import MaxPerson
from tests.frontends.telegram import TelegramPerson, seen
from tests.test_core_stories import TODAY, parent_consents, seed_pupil_awaiting_parent

# The stories' fixtures: each story runs on the core and on Telegram.
front, core_front, telegram_front = stories.front, stories.core_front, stories.telegram_front
max_front = stories.max_front

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class Chat:
    """A person's chat on either front end: type, read the next message, press, and what came besides screens
    (the answers to presses, the files)."""

    def __init__(self, front: FrontEnd, account_id: int, name: str = "") -> None:
        self.front = front
        self.actor = front.person(account_id, name)
        if isinstance(self.actor, TelegramPerson):
            self.actor.user.pass_over(*CURATOR_BACKGROUND)

    async def send(self, text: str) -> None:
        if not isinstance(self.actor, TelegramPerson):
            await self.actor.send(text)
        else:
            await self.actor.user.send(text)

    async def expect(self, fragment: str, *, eventually: bool = False) -> Seen:
        if not isinstance(self.actor, TelegramPerson):
            return await self.actor.expect(fragment, eventually=eventually)
        assert isinstance(self.actor, TelegramPerson)
        return self.actor._seen(await self.actor.user.expect(fragment, eventually=eventually))

    async def ask(self, text: str, answer: str) -> Seen:
        """Type `text`; the answer must contain `answer`."""
        await self.send(text)
        return await self.expect(answer)

    async def press(self, label: str, on: Seen) -> Seen:
        """Press `label` on `on`; the next screen that comes of it (the curator's digest passed over)."""
        if not isinstance(self.actor, TelegramPerson):
            return await self.actor.press(label, on)
        assert isinstance(self.actor, TelegramPerson)
        await self.actor.user.click(label, self.actor._messages[on.message_id])
        while True:
            reply = await self.actor.user.next_reply()
            if not any(fragment in (reply.text or "") for fragment in CURATOR_BACKGROUND):
                return self.actor._seen(reply)

    async def toasted(self, text: str) -> bool:
        """Whether a press was answered with `text` (on Telegram the answer may follow the edit a little)."""
        if not isinstance(self.actor, TelegramPerson):  # MAX's press returns once it was answered
            return text in self.actor.toasts
        assert isinstance(self.actor, TelegramPerson)
        for _ in range(100):
            if text in [answer.get("text", "") for answer in self.actor.user.callback_answers()]:
                return True
            await asyncio.sleep(0.05)
        return False

    async def file(self, caption: str) -> tuple[str, bytes]:
        """The next file with `caption` sent to this person: its name and bytes."""
        if isinstance(self.actor, CorePerson):
            sent = [f.file for f in self.actor.files if f.file.caption.startswith(caption)]
            assert sent, f"no file {caption!r}: {[f.file.name for f in self.actor.files]}"
            return sent[-1].name, sent[-1].content
        if isinstance(self.actor, MaxPerson):
            received = await self.actor.received_file(caption)
            return received.name, received.content
        assert isinstance(self.actor, TelegramPerson)
        message = await self.actor.user.expect(caption, eventually=True)
        assert message.document is not None, seen(message)
        return message.document["file_name"], message.document["content"]


def is_docx(data: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "word/document.xml" in archive.namelist()


# --- the stories -----------------------------------------------------------------------------------------------
async def test_the_curator_makes_an_invite_and_gets_the_link_then_revokes_it(front: FrontEnd) -> None:
    curator = Chat(front, CURATOR_ID)
    roles = await curator.ask("/invite", tr("invite-pick-role"))
    assert roles.buttons == [role.label for role in Role]
    forms = await curator.press(Role.MENTEE_PUPIL.label, roles)
    assert forms.message_id == roles.message_id and "Роль: наставляемый-обучающийся" in forms.text
    expiry = await curator.press(Form.TEACHER_PUPIL.label, forms)
    limit = await curator.press(tr("btn-no-expiry"), expiry)
    created = await curator.press(tr("btn-no-limit"), limit)
    assert created.text.startswith("Ссылка-приглашение готова")
    [invite] = await front.service("invites").active()
    link = "https://max.ru/" if front.name == "max" else "https://t.me/"  # the bot's link on its messenger
    assert link in created.text and f"?start={invite.code}" in created.text
    assert (invite.role, invite.form, invite.max_uses, invite.expires_at) == (
        Role.MENTEE_PUPIL, Form.TEACHER_PUPIL, None, None
    )  # fmt: skip

    listed = await curator.ask("/invites", "Действующие ссылки")
    assert f"?start={invite.code}" in listed.text and listed.buttons == ["Отозвать №1"]
    confirm = await curator.press("Отозвать №1", listed)
    assert confirm.text.startswith("Отозвать ссылку-приглашение (роль: наставляемый-обучающийся")
    assert confirm.buttons == [tr("btn-revoke-yes"), tr("btn-revoke-no")]
    after = await curator.press(tr("btn-revoke-yes"), confirm)
    assert after.text == tr("invite-list-empty") and await curator.toasted(tr("invite-revoked"))
    assert await front.service("invites").active() == []
    actions = [row["action"] for row in await audit_rows(front)]
    assert actions == ["invite.create", "invite.revoke"]


async def test_a_non_curator_is_refused_as_today(front: FrontEnd) -> None:
    stranger = Chat(front, 555)
    for command in ("/invite", "/participants", "/curators", "/destruction_act"):
        await stranger.ask(command, tr("curator-only"))


async def test_the_participants_and_the_cards_show_what_the_consent_allows(front: FrontEnd) -> None:
    waiting = await seed_pupil_awaiting_parent(front, 721)
    consented = await seed_pupil_awaiting_parent(front, 722)
    await parent_consents(front, consented, pupil_answers("Коля Петров", []))
    curator = Chat(front, CURATOR_ID)

    summary = await curator.ask("/participants", "Участники программы: 2")
    assert "наставляемый-обучающийся</b>" not in summary.text and "наставляемый-обучающийся: 2" in summary.text
    page = await curator.press(f"{tr('btn-show-list')}: {tr('list-all')}", summary)
    assert page.message_id == summary.message_id and "Все участники — 2 из 2" in page.text
    pseudonym = f"P-{waiting:05d}"
    assert page.buttons == [f"1. {pseudonym}", "2. Коля Петров", tr("btn-to-summary")]

    card = await curator.press("2. Коля Петров", page)
    assert card.text.startswith(f"Коля Петров (P-{consented:05d})")
    assert f"Согласие: дано родителем {TODAY} 12:00 (Петрова Анна, мать)" in card.text
    assert "Имя и фамилия: Коля Петров" in card.text and "Возраст" in card.text  # the answers, consent given
    assert card.buttons == [tr("btn-rename"), tr("btn-to-summary")]

    page = await curator.press(tr("btn-to-summary"), card)
    page = await curator.press(f"{tr('btn-show-list')}: {tr('list-all')}", page)
    card = await curator.press(f"1. {pseudonym}", page)
    assert "(имя ещё не указано)" in card.text and "Согласие: нет" in card.text
    assert tr("profile-no-answers") in card.text
    assert card.buttons == [tr("btn-paper-consent"), tr("btn-to-summary")]
    cards = [row for row in await audit_rows(front) if row["action"] == "participant.card"]
    assert [row["subject"] for row in cards] == [f"P-{consented:05d}", pseudonym]


async def test_the_curator_records_a_paper_consent_and_the_child_is_told(front: FrontEnd) -> None:
    child_id = await seed_pupil_awaiting_parent(front, 731)
    child, curator = Chat(front, 731), Chat(front, CURATOR_ID)
    waiting = await curator.ask("/consent_paper", "Кто ждёт согласия родителя")
    card = await curator.press(f"1. P-{child_id:05d}", waiting)
    asked = await curator.press(tr("btn-paper-consent"), card)
    assert "Напишите фамилию, имя и отчество родителя" in asked.text and asked.message_id != card.message_id
    await curator.ask("Петрова Анна Ивановна", "Дата на согласии?")
    confirm = await curator.ask(TODAY, "Отметить бумажное согласие?")
    assert confirm.buttons == [tr("btn-paper-confirm"), tr("btn-cancel")]
    done = await curator.press(tr("btn-paper-confirm"), confirm)
    assert done.text == tr("paper-consent-done", pseudonym=f"P-{child_id:05d}")
    card = await curator.expect(f"Согласие: бумажное от {TODAY} (подпись: Петрова Анна Ивановна)")
    assert tr("btn-paper-consent") not in card.buttons
    told = await child.expect("бумажное согласие", eventually=True)
    assert told.buttons == [tr("btn-start-survey")]
    paper = await front.service("participants").consent(child_id)
    assert paper is not None and paper.parent_name == "Петрова Анна Ивановна"


async def test_the_curator_corrects_a_name(front: FrontEnd) -> None:
    person_id = await seed_participant(front, 741, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL,  # type: ignore[arg-type]
                                       pupil_answers("Коля Петрв", []), adult=False)  # fmt: skip
    curator = Chat(front, CURATOR_ID)
    page = await curator.press(f"{tr('btn-show-list')}: {tr('list-all')}", await curator.ask("/participants", "Участ"))
    card = await curator.press("1. Коля Петрв", page)
    asked = await curator.press(tr("btn-rename"), card)
    assert asked.text.startswith("Имя сейчас: Коля Петрв")
    await curator.ask("/cancel", tr("cancelled-name"))
    asked = await curator.press(tr("btn-rename"), card)
    confirm = await curator.ask("Коля Петров", "Исправить имя?")
    done = await curator.press(tr("btn-rename-confirm"), confirm)
    assert done.text == "Имя исправлено: Коля Петрв → Коля Петров."
    await curator.expect("Коля Петров (P-")
    renamed = await front.service("participants").get(person_id)
    assert renamed is not None and renamed.name == "Коля Петров"


async def test_the_destruction_act_arrives_as_a_docx(front: FrontEnd) -> None:
    mentor = await seed_participant(front, 751, Role.MENTOR, Form.TEACHER_PUPIL,  # type: ignore[arg-type]
                                    mentor_answers("Лебедева Ольга", [], 1))  # fmt: skip
    await front.service("participants").destroy(mentor, requested_by="participant", reason="отзыв согласия")
    curator = Chat(front, CURATOR_ID)
    pick = await curator.ask("/destruction_act", "За какой?")
    assert pick.rows == ((tr("btn-act-this-month"), tr("btn-act-last-month")), (tr("btn-act-this-year"),))
    ready = await curator.press(tr("btn-act-this-month"), pick)
    assert ready.message_id == pick.message_id and "01.09.2026" in ready.text
    name, data = await curator.file("Акт")
    assert name == "akt-ob-unichtozhenii-pd-2026-09-01-2026-09-30.docx" and is_docx(data)
    actions = [row["action"] for row in await audit_rows(front)]
    assert actions[-1] == "destruction_act.export"


async def test_the_order_docx_arrives_as_a_file(front: FrontEnd) -> None:
    """The matching's confirmation sends the order."""
    await seed_participant(front, 761, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL,  # type: ignore[arg-type]
                           pupil_answers("Маша Иванова", ["proj_robotics"]), adult=False)  # fmt: skip
    await seed_participant(front, 961, Role.MENTOR, Form.TEACHER_PUPIL,  # type: ignore[arg-type]
                           mentor_answers("Иван Петрович", ["proj_robotics"], 1))  # fmt: skip
    Chat(front, 761), Chat(front, 961)  # their chats are open: the pair's notices reach them
    curator = Chat(front, CURATOR_ID)
    forms = await curator.ask("/match", "Для какой формы")
    draft = await curator.press(Form.TEACHER_PUPIL.label, forms)
    assert "Черновик подбора" in draft.text
    await curator.press("Утвердить", draft)
    name, data = await curator.file(tr("order-docx-caption"))
    assert name.startswith("prikaz-o-zakreplenii-") and name.endswith(".docx") and is_docx(data)


# --- the core's own answers ------------------------------------------------------------------------------------
async def test_on_the_core_the_order_is_a_docx_file_effect(core_front: CoreFrontEnd) -> None:
    """`documents.order_file`: the order of the pairs just confirmed as a `SendFile` of a DOCX."""
    mentee = await seed_participant(core_front, 771, Role.MENTEE_PUPIL, Form.TEACHER_PUPIL,  # type: ignore[arg-type]
                                    pupil_answers("Маша Иванова", []), adult=False)  # fmt: skip
    mentor = await seed_participant(core_front, 971, Role.MENTOR, Form.TEACHER_PUPIL,  # type: ignore[arg-type]
                                    mentor_answers("Иван Петрович", [], 1))  # fmt: skip
    matching = core_front.service("matching")
    ids = await matching.create_pairs(Form.TEACHER_PUPIL, [ProposedGroup(mentor, [(mentee, 9.0, "")])], CURATOR_ID)
    rows = documents.pair_rows(await matching.pairs(ids=ids), core_front.settings)
    at = datetime(2026, 9, 7, 12, 0, 5, tzinfo=UTC)
    effect = await documents.order_file(core_front.settings, rows, [Form.TEACHER_PUPIL], at)
    assert isinstance(effect, SendFile) and effect.file.mime == DOCX_MIME
    assert effect.file.name == "prikaz-o-zakreplenii-2026-09-07-pedagog-obuchayushchiysya-120005.docx"
    assert effect.file.caption == tr("order-docx-caption") and is_docx(effect.file.content)
    sheet = await documents.pairs_file(core_front.settings, rows, at)
    assert sheet.file.name.endswith(".xlsx") and zipfile.is_zipfile(io.BytesIO(sheet.file.content))


async def test_on_the_core_a_stranger_gets_the_refusals_and_a_removed_curator_loses_the_flows(
    core_front: CoreFrontEnd,
) -> None:
    stranger = Person(Messenger.TELEGRAM, 555)
    ctx = core_front.ctx(stranger)
    for payload in ("inv:form:mentee_pupil::-1:-1", "rvk:x:yes", "cur:add:0", "pt:sum::::0", "da:month"):
        assert await routes.handle(PressIn(stranger, payload), ctx) == [Toast(tr("stale-button"), alert=True)]
    assert await routes.handle(CommandIn(stranger, "invites"), ctx) == [Show(Screen(tr("curator-only")), edit=False)]
    # A curator on another messenger is not one of the roster's (Telegram's for now).
    max_curator = Person(Messenger.MAX, CURATOR_ID)
    assert await routes.handle(CommandIn(max_curator, "invite"), core_front.ctx(max_curator)) == [
        Show(Screen(tr("curator-only")), edit=False)
    ]
    # A stale press and a typed line where a button is awaited.
    me = core_front.person(CURATOR_ID)
    assert await routes.handle(PressIn(me.person, "inv:bogus:nope"), core_front.ctx(me.person)) == [
        Toast(tr("stale-button"))
    ]
    await core_front.dialog(me.person).set_state(participants.PAPER_CONFIRM)
    assert await routes.handle(TextIn(me.person, "да"), core_front.ctx(me.person)) == [
        Show(Screen(tr("unknown-input")), edit=False)
    ]


async def test_on_the_core_a_curator_link_adds_a_curator_and_removing_them_clears_their_curator_dialog(
    core_front: CoreFrontEnd,
) -> None:
    owner = core_front.person(CURATOR_ID)
    roster = await owner.act(CommandIn(owner.person, "curators"))
    assert isinstance(roster[0], Show) and roster[0].screen.buttons()[0].label == tr("btn-curator-add")
    await owner.press(tr("btn-curator-add"))
    invite_text = owner.last().text
    code = invite_text.split("?start=", 1)[1].split()[0]
    newcomer = Person(Messenger.TELEGRAM, 2024)
    ctx = core_front.ctx(newcomer)
    async with core_front.repos().atomic():
        joined = await curators.accept_link(ctx, code, "  Мария   Ивановна ")
    shown, *notices = joined
    assert isinstance(shown, Show) and shown.screen.text.startswith("Готово: вы куратор программы наставничества")
    notice = Screen(tr("curator-joined-notice", name="Мария Ивановна"))
    assert sorted(notices, key=str) == [Notify(Person(Messenger.TELEGRAM, c), notice) for c in (CURATOR_ID,
                                                                                                OTHER_CURATOR_ID)]
    assert core_front.settings.is_curator(2024)
    await core_front.dialog(newcomer).set_state("Broadcast:text")

    listed = await owner.act(CommandIn(owner.person, "curators"))
    assert isinstance(listed[0], Show) and "Мария Ивановна" in listed[0].screen.text
    await owner.press("Убрать", owner.last())
    await owner.press(tr("btn-curator-remove-yes"), owner.last())
    assert not core_front.settings.is_curator(2024)
    assert await core_front.dialog(newcomer).get_state() is None
    assert tr("curator-removed", name="Мария Ивановна") in owner.toasts
    removed = core_front.person(2024)
    assert removed.events and removed.events[-1].text == tr("curator-removed-notice")


# --- the adapter's twins ---------------------------------------------------------------------------------------
TWINS: list[tuple[type[Payload], type[CallbackData], list[dict[str, Any]]]] = [
    (invites.InvitePayload, InviteCb, [{"step": "form", "role": "mentor"}, {"step": "create", "role": "mentor",
                                       "form": "teacher_pupil", "days": 0, "limit": 30}]),
    (invites.RevokePayload, RevokeCb, [{"code": "i-abc"}, {"code": "i-abc", "a": "yes"}]),
    (curators.CuratorsPayload, CuratorsCb, [{"a": "add"}, {"a": "rmok", "uid": 123456789}]),
    (participants.PeoplePayload, PeopleCb, [{"a": "sum"}, {"a": "list", "role": "mentor", "off": 8},
                                           {"a": "card", "pid": 5}]),
    (destruction.DestructionActPayload, DestructionActCb, [{"period": p} for p in destruction.PERIODS]),
]


@pytest.mark.parametrize(("neutral", "twin", "examples"), TWINS, ids=lambda x: getattr(x, "__name__", ""))
def test_the_payloads_pack_as_their_aiogram_twins(
    neutral: type[Payload], twin: type[CallbackData], examples: list[dict[str, Any]]
) -> None:
    assert neutral.prefix == twin.__prefix__
    assert [f.name for f in fields(neutral)] == list(twin.model_fields)  # type: ignore[arg-type]
    for values in examples:
        packed = neutral(**values).pack()
        assert packed == twin(**values).pack()
        assert neutral.unpack(packed) == neutral(**values)
        assert twin.unpack(packed) == twin(**values)


def test_the_dialogs_states_are_aiogram_s() -> None:
    assert states.PaperConsent.parent.state == participants.PAPER_PARENT
    assert states.PaperConsent.date.state == participants.PAPER_DATE
    assert states.PaperConsent.confirm.state == participants.PAPER_CONFIRM
    assert states.NameCorrection.name.state == participants.RENAME_NAME
    assert states.NameCorrection.confirm.state == participants.RENAME_CONFIRM
    own = {group.__name__ for group in curators_own_dialogs()}
    assert own == set(curators.PARTICIPANT_DIALOGS)


def curators_own_dialogs() -> list[type]:
    return [states.Joining, states.ParentConsent, states.Survey, states.MeetingSetup, states.MeetingReply,
            states.AskCurator, states.Forget]  # fmt: skip


async def audit_rows(front: FrontEnd) -> list[dict[str, Any]]:
    db = front.service("db")
    return [dict(row) for row in await db.fetchall("SELECT action, subject FROM audit_log ORDER BY id")]
