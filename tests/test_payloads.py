"""Button payloads without a messenger library (`bot.flows.payloads`): they pack and parse exactly as aiogram's
`CallbackData`, and every notice payload and its aiogram twin in the handlers (`handlers/kb/notices.py`) agree."""

from __future__ import annotations

import dataclasses
import inspect
import itertools
from typing import Any

import pytest
from aiogram.filters.callback_data import CallbackData

from bot.flows import notices
from bot.flows.payloads import Payload
from handlers.kb import notices as telegram

SAMPLES: dict[type, list[Any]] = {
    int: [0, 7, -3, 2026, 123456789],
    str: ["", "held", "6.1.1", "ы", "a b"],
    bool: [True, False],
}


def _neutral_classes() -> list[type[Payload]]:
    return [
        cls
        for _, cls in inspect.getmembers(notices, inspect.isclass)
        if issubclass(cls, Payload) and cls is not Payload
    ]


def _twin(cls: type[Payload]) -> type[CallbackData]:
    twin = getattr(telegram, cls.__name__)
    assert issubclass(twin, CallbackData)
    return twin


def _values(cls: type[Payload]) -> list[dict[str, Any]]:
    """Every combination of sample values over the class's fields (a few hundred at most)."""
    names = list(cls._types)
    pools = [SAMPLES[cls._types[name]] for name in names]
    return [dict(zip(names, combo, strict=True)) for combo in itertools.islice(itertools.product(*pools), 400)]


def test_every_notice_payload_has_an_aiogram_twin_and_nothing_else_is_one() -> None:
    neutral = {cls.__name__ for cls in _neutral_classes()}
    twins = {
        name
        for name, cls in inspect.getmembers(telegram, inspect.isclass)
        if issubclass(cls, CallbackData) and cls is not CallbackData
    }
    assert neutral == twins == {"CampaignCb", "CheckinCb", "PrefCb", "RoadmapCb"}


@pytest.mark.parametrize("cls", _neutral_classes(), ids=lambda cls: cls.__name__)
def test_the_neutral_codec_and_aiogram_agree(cls: type[Payload]) -> None:
    twin = _twin(cls)
    assert cls.prefix == twin.__prefix__
    fields = {f.name: f.default for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    twin_fields = {name: f.default for name, f in twin.model_fields.items()}
    assert list(fields) == list(twin_fields)
    assert {k: v for k, v in fields.items() if v is not dataclasses.MISSING} == {
        k: v for k, v in twin_fields.items() if v is not _undefined()
    }
    for values in _values(cls):
        packed = cls(**values).pack()
        assert packed == twin(**values).pack()
        assert cls.unpack(packed) == cls(**values)
        assert twin.unpack(packed).model_dump() == values
        assert cls.matches(packed)


def _undefined() -> object:
    from pydantic_core import PydanticUndefined

    return PydanticUndefined


@pytest.mark.parametrize("cls", _neutral_classes(), ids=lambda cls: cls.__name__)
def test_both_refuse_what_is_not_theirs(cls: type[Payload]) -> None:
    twin = _twin(cls)
    good = cls(**_values(cls)[1]).pack()
    other_prefix = "zz" + good[len(cls.prefix) :]
    wrong: list[str] = [other_prefix, good + ":1", good.rsplit(":", 1)[0] if ":" in good else "", "", cls.prefix]
    int_fields = [i for i, kind in enumerate(cls._types.values()) if kind is int]
    if int_fields:
        parts = good.split(":")
        parts[1 + int_fields[0]] = "x"
        wrong.append(":".join(parts))
    for payload in wrong:
        assert not cls.matches(payload), payload
        with pytest.raises(ValueError):
            cls.unpack(payload)
        with pytest.raises((ValueError, TypeError)):
            twin.unpack(payload)


def test_the_64_byte_limit_and_the_separator_are_checked_like_aiogram() -> None:
    long_number = "ы" * 30  # 60 bytes
    with pytest.raises(ValueError, match="64 bytes"):
        notices.RoadmapCb(a="card", y=2026, n=long_number).pack()
    with pytest.raises(ValueError, match="too long"):
        telegram.RoadmapCb(a="card", y=2026, n=long_number).pack()
    with pytest.raises(ValueError):
        notices.CheckinCb(a="use", id=1, v="a:b").pack()
    with pytest.raises(ValueError):
        telegram.CheckinCb(a="use", id=1, v="a:b").pack()
    # Exactly 64 bytes is allowed by both.
    number = "n" * (64 - len("rm:card:2026:0:::0"))
    assert notices.RoadmapCb(a="card", y=2026, n=number).pack() == telegram.RoadmapCb(a="card", y=2026, n=number).pack()


def test_a_payload_with_a_flag_packs_it_as_aiogram_does() -> None:
    class Step(Payload, prefix="st"):
        s: str
        d: int = 0
        go: bool = False

    class StepCb(CallbackData, prefix="st"):
        s: str
        d: int = 0
        go: bool = False

    for values in ({"s": "pick"}, {"s": "go", "d": 14, "go": True}):
        packed = Step(**values).pack()
        assert packed == StepCb(**values).pack()
        assert dataclasses.asdict(Step.unpack(packed)) == StepCb.unpack(packed).model_dump()
    assert Step.unpack("st:x:3:1") == Step("x", 3, True)
    with pytest.raises(ValueError):
        Step.unpack("st:x:3:maybe")


def test_a_payload_class_is_checked_when_it_is_declared() -> None:
    with pytest.raises(ValueError):

        class Bad(Payload, prefix="a:b"):
            x: int

    with pytest.raises(TypeError):

        class Floaty(Payload, prefix="fl"):
            x: float

    class Frozen(Payload, prefix="fr"):
        x: int

    with pytest.raises(dataclasses.FrozenInstanceError):
        Frozen(1).x = 2  # type: ignore[misc]
