"""The stages a pair or group goes through (roadmap item 4.5).

встреча-знакомство -> пробная встреча -> встреча-планирование -> совместная работа (a series of
`StagePlan.work_meetings` meetings) -> итоговая встреча.

`held` everywhere is the stages of the meetings that actually took place, in any order. The pair is where
its furthest stage is: a skipped stage is not forced back on it (a pair that held the planning meeting
without a trial one goes on to joint work), and extra joint-work meetings beyond the plan are fine.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from bot.i18n import tr


class Stage(StrEnum):
    INTRO = "intro"
    TRIAL = "trial"
    PLANNING = "planning"
    WORK = "work"
    FINAL = "final"

    @property
    def label(self) -> str:
        """The Russian name of the stage, lower case: «совместная работа»."""
        return tr(f"stage-{self.value}")

    @property
    def rank(self) -> int:
        """0..4 in the order of the programme."""
        return _ORDER.index(self)


_ORDER: tuple[Stage, ...] = (Stage.INTRO, Stage.TRIAL, Stage.PLANNING, Stage.WORK, Stage.FINAL)
MAX_WORK_MEETINGS = 100


@dataclass(frozen=True)
class StagePlan:
    """How many joint-work meetings the institution plans for a pair (1..100)."""

    work_meetings: int = 6

    def __post_init__(self) -> None:
        if not 1 <= self.work_meetings <= MAX_WORK_MEETINGS:
            raise ValueError(f"work_meetings must be 1..{MAX_WORK_MEETINGS}, got {self.work_meetings}")

    @property
    def sequence(self) -> tuple[Stage, ...]:
        """Every planned meeting in order: INTRO, TRIAL, PLANNING, WORK x work_meetings, FINAL."""
        return (Stage.INTRO, Stage.TRIAL, Stage.PLANNING, *([Stage.WORK] * self.work_meetings), Stage.FINAL)

    @property
    def total(self) -> int:
        return self.work_meetings + 4

    def meetings_of(self, stage: Stage) -> int:
        """How many meetings a stage has in the plan."""
        return self.work_meetings if stage is Stage.WORK else 1


@dataclass(frozen=True)
class StagePosition:
    """A meeting's place in the plan: the stage and, for joint work, its number («3 из 6»)."""

    stage: Stage
    number: int = 1
    of: int = 1

    def describe(self) -> str:
        """«совместная работа (3 из 6)», or just «встреча-знакомство» for a one-meeting stage."""
        if self.of > 1 or self.stage is Stage.WORK:
            return tr("stage-position", stage=self.stage.label, number=self.number, of=self.of)
        return self.stage.label


DEFAULT_PLAN = StagePlan()


def stage_line(position: StagePosition | None) -> str:
    """«Этап: совместная работа (3 из 6)»; for None (programme finished) a line saying so."""
    if position is None:
        return tr("stage-all-done")
    return tr("stage-line", stage=position.describe())


def _furthest(held: Sequence[Stage]) -> Stage | None:
    return max((Stage(s) for s in held), key=lambda s: s.rank, default=None)


def _work_count(held: Sequence[Stage]) -> int:
    return sum(1 for s in held if Stage(s) is Stage.WORK)


def next_stage(held: Sequence[Stage], plan: StagePlan = DEFAULT_PLAN) -> Stage | None:
    """The stage of the pair's next meeting; None once the final meeting is held."""
    furthest = _furthest(held)
    if furthest is None:
        return Stage.INTRO
    if furthest is Stage.FINAL:
        return None
    if furthest is Stage.WORK:
        return Stage.WORK if _work_count(held) < plan.work_meetings else Stage.FINAL
    return _ORDER[furthest.rank + 1]


def stage_of_next_meeting(held: Sequence[Stage], plan: StagePlan = DEFAULT_PLAN) -> StagePosition | None:
    """Where the next meeting sits: `StagePosition(WORK, 3, 6)` for the third joint-work meeting of six."""
    stage = next_stage(held, plan)
    if stage is None:
        return None
    if stage is Stage.WORK:
        return StagePosition(Stage.WORK, _work_count(held) + 1, plan.work_meetings)
    return StagePosition(stage)


def current_stage(held: Sequence[Stage], plan: StagePlan = DEFAULT_PLAN) -> Stage | None:
    """The stage the pair has reached: the furthest stage held; None before the first meeting.

    `plan` is not needed for the answer and is accepted for a signature uniform with the other functions.
    """
    return _furthest(held)


def current_position(held: Sequence[Stage], plan: StagePlan = DEFAULT_PLAN) -> StagePosition | None:
    """Like `current_stage` with the joint-work count: `StagePosition(WORK, 3, 6)` after three of six."""
    stage = _furthest(held)
    if stage is None:
        return None
    if stage is Stage.WORK:
        count = _work_count(held)
        return StagePosition(Stage.WORK, count, max(count, plan.work_meetings))
    return StagePosition(stage)


def progress(held: Sequence[Stage], plan: StagePlan = DEFAULT_PLAN) -> tuple[int, int]:
    """(done, total) planned meetings: skipped stages count as passed, extra joint work does not count twice.

    done is the index of the next meeting in `plan.sequence` (total once the final meeting is held).
    """
    stage = next_stage(held, plan)
    if stage is None:
        return plan.total, plan.total
    if stage is Stage.WORK:
        return 3 + _work_count(held), plan.total
    if stage is Stage.FINAL:
        return plan.total - 1, plan.total
    return stage.rank, plan.total
