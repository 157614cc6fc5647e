"""Every message, rendered for every audience that can read it, speaks to that audience.

The rules would have caught what people saw: «Напишите ответ сообщением» after «Как тебя зовут? Напиши…» to a
12-year-old, «2026-12-01 23:27 UTC» in a profile, «Какие данные. идентификатор Telegram» in the consent,
«Опрос запущен: 3 получателей». Each message is rendered with every plural form its numbers select and every
variant of its other selectors, with made-up values for its placeholders.
"""

from __future__ import annotations

import itertools
import re

import pytest

from bot.i18n import Audience, bundle
from tests.catalogue_tools import Message, catalogue

MESSAGES = catalogue()
PARTICIPANTS = (Audience.PUPIL, Audience.ADULT, Audience.PARENT)

#: «вы» and its forms, and plural imperatives («Напишите», «Выберите», «Откройте», «Отметьте»).
YOU_POLITE = re.compile(r"\b(вы|вас|вам|вами|ваш\w*)\b|\b[а-яё]{3,}(ите|йте|ьте)(сь)?\b", re.IGNORECASE)
#: Nouns and other words that end like an imperative and are not one.
NOT_IMPERATIVE = {"защите", "сайте", "орбите", "элите", "граните", "тексте", "бюджете"}
#: «ты» and its forms, and the singular imperatives the bot uses.
YOU_FAMILIAR = re.compile(
    r"\b(ты|тебя|тебе|тобой|твой|твоя|твоё|твое|твои|твоего|твоей|твоим|твоих|твою|твоему"
    r"|напиши|выбери|нажми|открой|ответь|попроси|перешли|отметь|подожди|заполни|прочитай|расскажи|сообщи)\b",
    re.IGNORECASE,
)
RAW_ID = re.compile(r"\bP-\d{5}\b|\bid \d+|\bUTC\b|\d{4}-\d{2}-\d{2}")
UNFILLED = re.compile(r"\{\s*\$|\{\$|\{[a-z_]+\}")
#: A lowercase letter starting a sentence. Abbreviations that end in a full stop («т. ч.», «г.», «каб.») are
#: taken out of the text first.
ABBREVIATIONS = re.compile(r"\b(т\.\s?[чедп]|т|г|ул|д|ст|см|каб|им|др|пр|п|стр|мин|руб)\.", re.IGNORECASE)
SENTENCE_IN_LOWERCASE = re.compile(r"\.\s+[а-яё]")


def _lower_after_stop(text: str) -> bool:
    return SENTENCE_IN_LOWERCASE.search(ABBREVIATIONS.sub("", re.sub(r"<[^>]+>", "", text))) is not None

SAMPLE_TEXT = "Маша Иванова"


def _polite(text: str) -> list[str]:
    """The «вы»-forms in a text."""
    return [m.group(0) for m in YOU_POLITE.finditer(text) if m.group(0).lower() not in NOT_IMPERATIVE]


def _renderings(message: Message, audience: Audience) -> list[str]:
    """The message for this audience under every combination of its other selectors' variants."""
    choices: list[list[tuple[str, object]]] = []
    for name in sorted(message.variables):
        if name == "audience":
            choices.append([(name, audience.value)])
        elif name in message.selectors:
            keys = message.selectors[name]
            if any(k in ("one", "few", "many", "other", "zero", "two") or k.isdigit() for k in keys):
                choices.append([(name, n) for n in (1, 3, 5, 12)])
            else:
                choices.append([(name, key) for key in sorted(keys)])
        else:
            choices.append([(name, SAMPLE_TEXT)])
    catalogue = bundle()
    pattern = catalogue.get_message(message.id).value
    rendered = []
    for combination in itertools.product(*choices):
        text, errors = catalogue.format_pattern(pattern, dict(combination))
        assert not errors, f"{message.id} for {audience}: {errors}"
        rendered.append(text)
    return rendered


def _cases() -> list[tuple[str, Audience]]:
    return [(m.id, a) for m in MESSAGES.values() for a in m.audiences]


def _problems(message: Message, audience: Audience) -> list[str]:
    problems = []
    for text in _renderings(message, audience):
        if UNFILLED.search(text):
            problems.append(f"placeholder left: {text!r}")
        if audience is Audience.PUPIL:
            if polite := _polite(text):
                problems.append(f"«вы» to a pupil ({', '.join(polite)}): {text!r}")
        elif YOU_FAMILIAR.search(text):
            problems.append(f"«ты» to {audience.value} ({YOU_FAMILIAR.search(text).group(0)}): {text!r}")  # type: ignore[union-attr]
        if audience in PARTICIPANTS and RAW_ID.search(text):
            problems.append(f"a raw id, an ISO date or UTC to a participant: {text!r}")
        if _lower_after_stop(text):
            problems.append(f"a lowercase letter after a full stop: {text!r}")
    return problems


@pytest.mark.parametrize(("msg_id", "audience"), _cases(), ids=lambda v: str(v))
def test_each_message_speaks_to_its_reader(msg_id: str, audience: Audience) -> None:
    assert _problems(MESSAGES[msg_id], audience) == []


def test_the_rules_catch_what_people_saw() -> None:
    """The defects quoted in the issue, as messages, each caught by a rule."""
    samples = {
        Audience.PUPIL: "Как тебя зовут? Напиши имя и фамилию.\nНапишите ответ сообщением. Отметьте хотя бы 1.",
        Audience.PARENT: "Согласие: дано родителем 2026-12-01 23:27 UTC",
        Audience.ADULT: "Какие данные. идентификатор Telegram; роль в программе.",
    }
    assert _polite(samples[Audience.PUPIL]) == ["Напишите", "Отметьте"]
    assert RAW_ID.search(samples[Audience.PARENT])
    assert _lower_after_stop(samples[Audience.ADULT])
    assert not _lower_after_stop("Данные хранятся в т. ч. на сервере, каб. 12. Отозвать можно в любой момент.")
    assert YOU_FAMILIAR.search("Ты в программе наставничества")
    assert _polite("Ты в программе. Выбери вариант кнопкой, а о защите данных — на сайте.") == []
