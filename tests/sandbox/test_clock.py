"""The sandbox's clock: it runs at the pace of real time from where the visitor put it, and never goes back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.sandbox.clock import ClockWentBackwards, SandboxClock
from tests.fakes.clock import FakeClock

REAL = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)
START = datetime(2026, 9, 1, 6, 0, tzinfo=UTC)  # 09:00 in Moscow


def test_it_starts_where_told_and_runs_at_the_pace_of_the_base_clock() -> None:
    base = FakeClock(REAL)
    clock = SandboxClock(START, base=base)
    assert clock.now() == START
    assert clock.lead == START - REAL  # the sandbox begins in the past of the real world
    base.advance(minutes=90, seconds=7)
    assert clock.now() == START + timedelta(minutes=90, seconds=7)
    assert clock.lead == START - REAL  # real time passing does not change the lead


def test_moves_forward_add_to_the_lead_and_say_how_far() -> None:
    base = FakeClock(REAL)
    clock = SandboxClock(START, base=base)
    december = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
    assert clock.move_to(december) == december - START
    assert clock.now() == december
    assert clock.lead == december - REAL
    assert clock.advance(timedelta(hours=1)) == december + timedelta(hours=1)
    base.advance(seconds=30)
    assert clock.now() == december + timedelta(hours=1, seconds=30)
    assert clock.move_to(clock.now()) == timedelta(0)  # to the present: no move, no error


def test_it_never_goes_backwards() -> None:
    base = FakeClock(REAL)
    clock = SandboxClock(START, base=base)
    clock.move_to(START + timedelta(days=1))
    with pytest.raises(ClockWentBackwards):
        clock.move_to(START)
    with pytest.raises(ClockWentBackwards):
        clock.move_to(clock.now() - timedelta(microseconds=1))
    with pytest.raises(ClockWentBackwards):
        clock.advance(timedelta(seconds=-1))
    assert clock.now() == START + timedelta(days=1)  # a refused move changes nothing
    assert issubclass(ClockWentBackwards, ValueError)


def test_moments_are_timezone_aware() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        SandboxClock(datetime(2026, 9, 1, 9, 0))
    clock = SandboxClock(START, base=FakeClock(REAL))
    with pytest.raises(ValueError, match="timezone-aware"):
        clock.move_to(datetime(2026, 12, 1, 9, 0))
    assert clock.now().tzinfo is not None


def test_the_system_clock_is_the_default_base() -> None:
    clock = SandboxClock(START)
    first = clock.now()
    assert abs(first - START) < timedelta(seconds=5)
    assert clock.now() >= first


# A move: real time passing (the base clock), a jump to a moment (maybe in the past), or an advance (maybe negative).
moves = st.lists(
    st.one_of(
        st.tuples(st.just("wait"), st.integers(0, 3 * 86_400)),
        st.tuples(st.just("move_to"), st.integers(-400 * 86_400, 400 * 86_400)),
        st.tuples(st.just("advance"), st.integers(-86_400, 40 * 86_400)),
    ),
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(moves)
def test_whatever_the_visitor_does_the_clock_is_monotone(sequence: list[tuple[str, int]]) -> None:
    base = FakeClock(REAL)
    clock = SandboxClock(START, base=base)
    seen = [clock.now()]
    for kind, seconds in sequence:
        before = clock.now()
        step = timedelta(seconds=seconds)
        if kind == "wait":
            base.advance(seconds=seconds)
            assert clock.now() == before + step
        elif kind == "move_to":
            if step < timedelta(0):
                with pytest.raises(ClockWentBackwards):
                    clock.move_to(before + step)
                assert clock.now() == before
            else:
                assert clock.move_to(before + step) == step
                assert clock.now() == before + step
        elif step < timedelta(0):
            with pytest.raises(ClockWentBackwards):
                clock.advance(step)
            assert clock.now() == before
        else:
            assert clock.advance(step) == before + step
        seen.append(clock.now())
    assert seen == sorted(seen)
    assert clock.lead == clock.now() - base.now()
