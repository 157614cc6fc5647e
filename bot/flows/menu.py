"""The menu: a participant's (profile and answers, the questionnaire, the pair and its next meeting, help), a
parent's (each child they consented for, the child's mentor or mentees and next meeting, help) and the
curator's (the reports and the bases; the rest of the curator's work is in commands).

Two events reach it: `open_menu` (the /menu command, or anything that leads back to the menu) and `press` (a
button whose payload is a `MenuPayload`). Both return effects. The presses that open another flow's dialog go
to that flow: the questionnaire and changing an answer (`bot.flows.survey`), the consent and the parent's link
(`bot.flows.joining`), «Отозвать согласие» (`bot.flows.forget`).
Every text speaks to its reader (`Audience`).
"""

from __future__ import annotations

from datetime import tzinfo

from bot.flows import survey
from bot.flows.context import Ctx
from bot.flows.effects import Effect, Show, Toast
from bot.flows.events import Event, Person, PressIn
from bot.flows.payloads import (
    AskPayload,
    BasesPayload,
    MaterialPayload,
    MeetingManagePayload,
    MeetingSetupPayload,
    MenuPayload,
    PayloadError,
    ReportPayload,
)
from bot.flows.ports import Participants, Repos
from bot.flows.routes import FlowRoutes
from bot.flows.screens import Button, Keyboard, Screen
from bot.flows.texts import answers_block, consent_line, local_day, local_moment
from bot.i18n import Audience, esc, tr
from bot.meetings import StagePlan, stage_line, stage_of_next_meeting
from bot.participants import Participant
from bot.programme import INTAKE_BY_ROLE, Role, Status


async def participant_of(person: Person, participants: Participants) -> Participant | None:
    """Who the person is in the programme: a participant is known by their account on their messenger."""
    return await participants.by_account(person.messenger, person.account_id)


async def children_of(person: Person, participants: Participants) -> list[Participant]:
    """The children this person gave the consent for as a parent."""
    return await participants.children_of(person.account_id, person.messenger)


# --- the events ---------------------------------------------------------------------------------------------
async def open_menu(person: Person, repos: Repos) -> list[Effect]:
    """/menu: the curator's menu, the participant's, else the parent's, else the word that they are not in the
    programme."""
    if person in repos.settings.roster:
        return [Show(curator_menu(), edit=False)]
    participant = await participant_of(person, repos.participants)
    if participant is not None:
        return [Show(await participant_menu(participant, repos), edit=False)]
    children = await children_of(person, repos.participants)
    if children:
        return [Show(await parent_menu(children, repos), edit=False)]
    return [Show(Screen(tr("not-a-participant")), edit=False)]


async def press(person: Person, payload: str, repos: Repos) -> list[Effect]:
    """A button of the menu pressed; a parent's buttons (`p_…`) and anyone's who is not a participant go to
    the parent's menu."""
    try:
        action = MenuPayload.unpack(payload).action
    except PayloadError:
        return [Toast(tr("stale-button"))]
    participant = await participant_of(person, repos.participants)
    if participant is None or action.startswith("p_"):
        return await _press_parent(person, action, repos)
    if action == "edit" and not participant.has_consent:
        return [Toast(tr("stale-button"))]
    if action == "profile":
        return [Show(await profile(participant, repos))]
    if action == "back":
        return [Show(await participant_menu(participant, repos))]
    if action == "help":
        return [Show(Screen(tr("help-participant", audience=participant.audience)), edit=False)]
    return [Toast(tr("stale-button"))]


async def _press_parent(person: Person, action: str, repos: Repos) -> list[Effect]:
    """The parent's buttons (and a participant's «Меню родителя»); anyone else's press is a stale button."""
    children = await children_of(person, repos.participants)
    if not children:
        return [Toast(tr("not-a-participant"), alert=True)]
    if action in ("p_menu", "back"):
        return [Show(await parent_menu(children, repos), edit=action == "back")]
    if action in ("p_help", "help"):
        return [Show(Screen(tr("help-parent")), edit=False)]
    return [Toast(tr("stale-button"))]


async def _on_menu(ctx: Ctx, event: Event) -> list[Effect]:
    return await open_menu(ctx.person, ctx.repos)


async def _on_press(ctx: Ctx, event: Event) -> list[Effect]:
    assert isinstance(event, PressIn)
    from bot.flows import forget  # the withdrawal's flow draws with this module's helpers

    withdrawal = await forget.on_menu_press(ctx, event)
    if withdrawal is not None:
        return withdrawal
    if MenuPayload.matches(event.payload) and MenuPayload.unpack(event.payload).action in ("consent", "parent_link"):
        from bot.flows import joining  # joining imports the menu's screens: imported when used

        return await joining.on_menu_press(ctx, event)
    participant = await participant_of(ctx.person, ctx.repos.participants)
    return await survey.from_menu(ctx, event, participant) or await press(ctx.person, event.payload, ctx.repos)


ROUTES = FlowRoutes(commands={"menu": _on_menu}, presses={MenuPayload.prefix: _on_press})


# --- the curator's screen ------------------------------------------------------------------------------------
def curator_menu() -> Screen:
    kb = Keyboard()
    kb.add(tr("btn-report-summary"), ReportPayload("summary"))
    kb.add(tr("btn-report-charts"), ReportPayload("charts"))
    kb.add(tr("btn-report-export"), ReportPayload("export"))
    kb.add(tr("btn-base-mentees"), BasesPayload("mentees"))
    kb.add(tr("btn-base-mentors"), BasesPayload("mentors"))
    return Screen(tr("curator-menu"), kb.rows())


# --- the participant's screens --------------------------------------------------------------------------------
def about_line(participant: Participant, audience: Audience) -> str:
    """What the programme means for the reader, in plain words (a pupil's, and a parent's about the child):
    the terms «наставляемый-обучающийся», «форма наставничества» stay in the curator's screens; an adult
    mentor reads the form they mentor in."""
    if participant.role is Role.MENTOR:
        return tr("menu-about-mentor", audience=audience, form=participant.form.label)
    return tr(f"menu-about-{participant.form.value}", audience=audience)


async def participant_menu(participant: Participant, repos: Repos) -> Screen:
    started = False
    if participant.has_consent and participant.survey_done_at is None:
        questionnaire = repos.questionnaires[INTAKE_BY_ROLE[participant.role]]
        started = bool(await repos.participants.answers(participant.id, questionnaire.id))
    audience = participant.audience
    text = tr("menu-title") + "\n" + about_line(participant, audience) + "\n"
    text += tr(f"menu-status-{participant.status.value}", audience=audience)
    pair = await repos.matching.pair_of(participant.id) if participant.has_consent else None
    # The role decides the side: a pair whose mentor withdrew has no mentor, and its mentee is not one.
    is_mentor = pair is not None and participant.role is Role.MENTOR
    working = pair is not None and pair.mentor is not None and any(m is not None for m in pair.mentees)
    if pair is not None and not is_mentor:
        text += tr("menu-my-mentor", name=esc(pair.mentor.name)) if pair.mentor else tr("menu-mentor-pending")
    elif pair is not None:
        names = ", ".join(m.name for m in pair.mentees if m is not None)
        text += tr("menu-my-mentees", names=esc(names)) if names else tr("menu-mentees-pending")
    if pair is not None and working:
        plan = StagePlan(repos.settings.schedule.work_meetings)
        position = stage_of_next_meeting(await repos.meetings.held_stages(pair.id), plan)
        text += tr("menu-stage", stage=stage_line(position))
        upcoming = await repos.meetings.next_planned(pair.id)
        if upcoming is not None:
            when = local_moment(upcoming.starts_at, repos.settings.institution.tz)
            text += tr("menu-next-meeting", when=when, place=esc(upcoming.place))
        else:
            text += tr("menu-no-meeting")
    is_parent = bool(await children_of(participant.person, repos.participants))
    rows = menu_rows(
        participant, started, has_pair=pair is not None, is_mentor=is_mentor and working, is_parent=is_parent
    )
    return Screen(text, rows)


def menu_rows(
    participant: Participant,
    survey_started: bool,
    *,
    has_pair: bool = False,
    is_mentor: bool = False,
    is_parent: bool = False,
) -> tuple[tuple[Button, ...], ...]:
    """Before any consent there is nothing to withdraw: the menu leads to the consent (or the parent's link)."""
    kb = Keyboard()
    if is_mentor:
        kb.add(tr("btn-schedule"), MeetingSetupPayload(a="new"))
    if has_pair:
        kb.add(tr("btn-my-meetings"), MeetingManagePayload(a="list"))
    status = participant.status
    if status is Status.INVITED:
        kb.add(tr("btn-consent-again"), MenuPayload("consent"))
    elif status is Status.AWAITING_PARENT:
        kb.add(tr("btn-parent-link"), MenuPayload("parent_link"))
    elif status is Status.CONSENTED:
        kb.add(tr("btn-continue-survey") if survey_started else tr("btn-start-survey"), MenuPayload("survey"))
    if participant.has_consent:
        kb.add(tr("btn-profile"), MenuPayload("profile"))
    if status is Status.SURVEY_DONE:
        kb.add(tr("btn-edit-answer"), MenuPayload("edit"))
    if participant.has_consent:
        kb.add(tr("btn-ask"), AskPayload(a="ask"))
        kb.add(tr("btn-materials"), MaterialPayload(a="list"))
        kb.add(tr("btn-forget"), MenuPayload("forget"))
    if is_parent:
        kb.add(tr("btn-parent-menu"), MenuPayload("p_menu"))
    kb.add(tr("btn-help"), MenuPayload("help"))
    return kb.rows()


async def profile(participant: Participant, repos: Repos) -> Screen:
    """The profile and the answers, with «Назад» to the menu in place."""
    questionnaire = repos.questionnaires[INTAKE_BY_ROLE[participant.role]]
    answers = await repos.participants.answers(participant.id, questionnaire.id)
    record = await repos.participants.consent(participant.id)
    audience = participant.audience
    text = tr("profile",
        about=about_line(participant, audience),
        joined=local_day(participant.joined_at, repos.settings.institution.tz),
        consent=consent_line(record, repos.settings, audience),
        answers=answers_block(questionnaire, answers),
    )
    return Screen(text, Keyboard().add(tr("btn-menu-back"), MenuPayload("back")).rows())


# --- the parent's screens -------------------------------------------------------------------------------------
async def parent_menu(children: list[Participant], repos: Repos, *, preface: str = "") -> Screen:
    """Each child they consented for, the child's mentor (or mentees) and next meeting; a question to the
    curator about each child (one button for one child), withdrawal, help."""
    text = (preface + "\n\n" if preface else "") + tr("parent-menu-title")
    for child in children:
        text += await _child_block(child, repos)
    text += tr("parent-menu-footer")
    kb = Keyboard()
    if len(children) == 1:
        kb.add(tr("btn-parent-ask"), AskPayload(a="ask", id=children[0].id))
    else:
        for child in children:
            label = tr("btn-parent-ask-about", name=child_button_name(child, repos.settings.institution.tz))
            kb.add(label, AskPayload(a="ask", id=child.id))
    kb.add(tr("btn-parent-forget"), MenuPayload("p_forget"))
    kb.add(tr("btn-help"), MenuPayload("p_help"))
    return Screen(text, kb.rows())


def child_label(child: Participant, tz: tzinfo) -> str:
    """The child's name, or before the questionnaire what tells the parent which child it is."""
    if child.name:
        return esc(child.name)
    return tr("parent-child-unnamed", joined=local_day(child.joined_at, tz))


def child_button_name(child: Participant, tz: tzinfo) -> str:
    """A child on a button: the name, or before the questionnaire the date they joined."""
    if child.name:
        return child.name[:40]
    return tr("btn-child-unnamed", joined=local_day(child.joined_at, tz))


async def _child_block(child: Participant, repos: Repos) -> str:
    tz = repos.settings.institution.tz
    record = await repos.participants.consent(child.id)
    given = record.given_at if record is not None else child.consent_at
    text = tr("parent-menu-child",
        child=child_label(child, tz),
        about=about_line(child, Audience.PARENT),
        at=local_moment(given, tz) if given else "—",
    )
    pair = await repos.matching.pair_of(child.id) if child.has_consent else None
    if pair is None:
        if child.status is Status.SURVEY_DONE:
            return text + tr("parent-child-survey-done")
        return text + tr("parent-child-survey-pending")
    if child.role is Role.MENTOR:
        names = ", ".join(m.name for m in pair.mentees if m is not None)
        text += tr("parent-child-mentees", names=esc(names)) if names else tr("parent-child-survey-done")
    elif pair.mentor is not None:
        text += tr("parent-child-mentor", name=esc(pair.mentor.name))
    else:
        return text + tr("parent-child-mentor-pending")
    upcoming = await repos.meetings.next_planned(pair.id)
    if upcoming is None:
        return text + tr("parent-child-no-meeting")
    return text + tr("parent-child-next-meeting", when=local_moment(upcoming.starts_at, tz), place=esc(upcoming.place))
