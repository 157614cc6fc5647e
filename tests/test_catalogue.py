"""The message catalogue and the code agree: no message missing, none unused, placeholders as the message has them.

The checks read the code (every `tr(...)` call, every string literal) and the .ftl files, so they fail on the
commit that breaks them, not when a person happens to reach the screen.
"""

from __future__ import annotations

import pytest

from bot.i18n import MissingText, quoted, tr
from tests.catalogue_tools import catalogue, scan_code

MESSAGES = catalogue()
CODE = scan_code()


def _used(msg_id: str) -> bool:
    return msg_id in CODE.strings or any(len(p) > 2 and msg_id.startswith(p) for p in CODE.prefixes)


def test_every_message_is_used_by_the_code() -> None:
    unused = sorted(f"{m.file}: {m.id}" for m in MESSAGES.values() if not _used(m.id))
    assert not unused, "messages no code uses (remove them or use them):\n" + "\n".join(unused)


def test_every_message_the_code_names_exists() -> None:
    missing = [f"{u.file}:{u.line}: {u.msg_id}" for u in CODE.calls if u.msg_id and u.msg_id not in MESSAGES]
    missing += [
        f"{u.file}:{u.line}: {u.prefix}…"
        for u in CODE.calls
        if u.prefix and not any(m.startswith(u.prefix) for m in MESSAGES)
    ]
    assert not missing, "tr() names messages the catalogue does not have:\n" + "\n".join(missing)


def test_every_call_passes_exactly_the_placeholders_of_its_message() -> None:
    wrong = []
    for use in CODE.calls:
        message = MESSAGES.get(use.msg_id or "")
        if message is None or use.keywords is None:
            continue
        if use.keywords != message.variables:
            extra, lacking = use.keywords - message.variables, message.variables - use.keywords
            wrong.append(f"{use.file}:{use.line}: {use.msg_id}: extra {sorted(extra)}, missing {sorted(lacking)}")
    assert not wrong, "tr() calls whose arguments differ from the message's placeholders:\n" + "\n".join(wrong)


def test_every_message_declares_who_reads_it() -> None:
    undeclared = sorted(f"{m.file}:{m.line}: {m.id}" for m in MESSAGES.values() if not m.audiences)
    assert not undeclared, "messages under no `## audience:` line:\n" + "\n".join(undeclared)


def test_a_message_that_selects_on_the_audience_covers_the_audiences_it_declares() -> None:
    """A selector on `$audience` names the variants it has; every declared reader must get a deliberate one."""
    for message in MESSAGES.values():
        keys = message.selectors.get("audience")
        if keys is None:
            continue
        assert "other" in keys or all(a.value in keys for a in message.audiences), message.id


def test_the_checks_above_can_fail() -> None:
    """The scan sees a call with a wrong placeholder and an id that is not there (on a made-up call)."""
    with pytest.raises(MissingText, match="no message"):
        tr("no-such-message-anywhere")
    with pytest.raises(MissingText, match="Unknown external"):
        tr("start-no-code")
    assert any(u.msg_id == "start-no-code" and u.keywords == {"org"} for u in CODE.calls)
    assert MESSAGES["start-no-code"].variables == {"org"}


def test_plural_forms_follow_russian_rules() -> None:
    rendered = [tr("duration-part", n=n, unit="hour") for n in (1, 2, 5, 11, 12, 21, 22, 25, 111, 5000)]
    assert rendered == [
        "1 час", "2 часа", "5 часов", "11 часов", "12 часов", "21 час", "22 часа", "25 часов", "111 часов",
        "5000 часов",
    ]  # fmt: skip


def test_a_name_inside_quotes_gets_inner_quotes() -> None:
    assert quoted("МБУ ДО «Станция юных техников»") == "МБУ ДО „Станция юных техников“"
    assert quoted("СЮТ") == "СЮТ"


#: Modules whose Russian string literals are not texts for a person: the vocabulary parsers read (month names,
#: weekday words, regular expressions of typed dates), defaults of settings, blanks printed on paper to fill by
#: hand, and the roadmap file's validation, read by whoever edits `roadmap.toml` when the bot starts.
NOT_MESSAGES: dict[str, str] = {
    "bot/meetings/timeparse.py": "month and weekday words and patterns of typed dates and times",
    "bot/meetings/when.py": "the pattern of a typed date and time",
    "bot/roadmap/deadlines.py": "patterns of typed deadlines",
    "bot/roadmap/model.py": "roadmap.toml validation at start-up; chat errors are re-raised from the catalogue",
    "bot/roadmap/loader.py": "roadmap.toml validation at start-up",
    "bot/matching/scoring.py": "weekday words matched in availability answers",
    "bot/questionnaires/answers.py": "«ё» folded into «е» when typed answers are compared",
    "bot/documents/xlsx.py": "wide letters for column widths",
    "bot/documents/docx_order.py": "the blank date line signed by hand",
    "bot/consent.py": "placeholders of an operator that has not configured its name and address",
    "bot/settings.py": "the default ORGANIZATION_NAME",
    "bot/flows/curator/reports.py": "the «графики» keyword of /summary",
    "bot/flows/curator/roadmap.py": "the default responsible of a new roadmap item",
}
#: The sandbox (`python -m bot sandbox`) is a rehearsal room around the bot, not the bot: its page's labels, its
#: demo people's names and answers, and the fakes' default user names speak for the visitor's tools. Everything
#: the bot itself says there still comes from the catalogue, through the real app.
NOT_THE_BOTS_VOICE = "bot/sandbox/"


def test_no_text_for_a_person_lives_outside_the_catalogue() -> None:
    import ast
    import re

    from tests.catalogue_tools import CODE_DIRS, ROOT

    cyrillic = re.compile(r"[А-Яа-яЁё]")
    stray = []
    for folder in CODE_DIRS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            rel = str(path.relative_to(ROOT))
            if rel in NOT_MESSAGES or rel.startswith(NOT_THE_BOTS_VOICE):
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            docstrings = {
                id(node.body[0].value)
                for node in ast.walk(tree)
                if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
                and node.body
                and isinstance(node.body[0], ast.Expr)
            }
            stray += [
                f"{rel}:{node.lineno}: {node.value[:60]!r}"
                for node in ast.walk(tree)
                if isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
                and cyrillic.search(node.value)
            ]
    assert not stray, "Russian texts in code (put them into bot/locales/ru/):\n" + "\n".join(stray)


def test_a_text_formatted_again_is_the_same_and_a_values_type_counts() -> None:
    """tr keeps recent texts (bot/i18n.py): the same values give the same text, other values another, and True is
    not taken for 1 although they are equal in Python."""
    first = tr("campaign-closed-report", title="Оценка", done=1, total=2)
    assert first == "Опрос «Оценка» закрыт: ответили 1 из 2."
    assert tr("campaign-closed-report", total=2, title="Оценка", done=1) == first  # the order of the values aside
    assert tr("campaign-closed-report", title="Оценка", done=True, total=2).endswith("ответили True из 2.")
    assert tr("campaign-closed-report", title="Оценка", done=1.0, total=2).endswith("ответили 1 из 2.")
    assert tr("campaign-closed-report", title="Другой", done=5, total=21) == "Опрос «Другой» закрыт: ответили 5 из 21."
    assert tr("campaign-closed-report", title="Оценка", done=1, total=2) == first
