"""Every dialog's StatesGroup. State names are persisted in fsm_state: rename them only with a migration."""

from aiogram.fsm.state import State, StatesGroup


class Joining(StatesGroup):
    age = State()
    consent = State()
    waiting_parent = State()


class ParentConsent(StatesGroup):
    document = State()
    name = State()
    relation = State()


class Survey(StatesGroup):
    answering = State()
    review = State()


class GroupMeetingSetup(StatesGroup):
    when = State()
    place = State()
    confirm = State()


class DissolvePair(StatesGroup):
    reason = State()


class MeetingSetup(StatesGroup):
    date = State()
    time = State()
    place = State()
    topic = State()
    confirm = State()


class MeetingReply(StatesGroup):
    other_time = State()
    note = State()


class AskCurator(StatesGroup):
    text = State()


class AnswerQuestion(StatesGroup):
    text = State()


class AddMaterial(StatesGroup):
    file = State()
    title = State()
    audience = State()


class Broadcast(StatesGroup):
    content = State()
    audience = State()
    confirm = State()


class Forget(StatesGroup):
    confirm = State()


class RoadmapDone(StatesGroup):
    """«Выполнено» on a roadmap item: the note (or «Пропустить»); then RoadmapAttach.file for the optional file."""

    note = State()


class RoadmapAttach(StatesGroup):
    file = State()


class RoadmapEdit(StatesGroup):
    value = State()


class RoadmapAdd(StatesGroup):
    number = State()
    content = State()
    deadline = State()
    result = State()
    responsible = State()


class PaperConsent(StatesGroup):
    """The curator records a paper consent: the parent's name, the paper's date, then a confirmation."""

    parent = State()
    date = State()
    confirm = State()


class NameCorrection(StatesGroup):
    """The curator corrects a participant's name: the new name, then a confirmation (old → new)."""

    name = State()
    confirm = State()
