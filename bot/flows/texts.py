"""Lines several screens share: moments on the institution's wall clock, a consent, a questionnaire's answers.

Every time a person sees is on the institution's wall clock, «ДД.ММ.ГГГГ ЧЧ:ММ» (a date alone «ДД.ММ.ГГГГ»).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, tzinfo
from typing import Any

from bot.clock import parse_iso
from bot.consent import ConsentKind
from bot.flows.events import Messenger
from bot.flows.ports import ConsentView, StartLinks
from bot.i18n import Audience, esc, tr
from bot.meetings.timeparse import format_moment
from bot.questionnaires import Questionnaire, summary_rows
from bot.settings import Settings


def local_moment(moment: datetime | str, tz: tzinfo) -> str:
    """A moment as a person reads it: «01.12.2026 23:27» on the institution's wall clock."""
    return format_moment(parse_iso(moment) if isinstance(moment, str) else moment, tz)


def local_day(moment: datetime | str, tz: tzinfo) -> str:
    """A date alone: «02.12.2026» on the institution's wall clock."""
    value = parse_iso(moment) if isinstance(moment, str) else moment
    return f"{value.astimezone(tz):%d.%m.%Y}"


def messenger_name(messenger: Messenger) -> str:
    """«Telegram», «MAX»: how a screen names a messenger."""
    return tr(f"messenger-name-{messenger.value}")


def messengers_in_use(links: StartLinks, people_on: Iterable[str]) -> set[Messenger]:
    """The messengers the bot runs and those the listed people are on (`people_on`: their messengers)."""
    return set(links.messengers()) | {Messenger(m) for m in people_on}


def messenger_mark(messenger: Messenger, in_use: set[Messenger]) -> str:
    """« · MAX» after a person in a curator's list or card: which messenger they are on, said whenever more than
    one is in use (`messengers_in_use`); nothing when everyone is on the one messenger the bot runs."""
    if len(in_use | {messenger}) < 2:
        return ""
    return tr("messenger-mark", messenger=messenger_name(messenger))


def messenger_counts(links: StartLinks, counts: Mapping[str, int]) -> str:
    """«в Telegram: 12, в MAX: 3» (`counts`: messenger → people) when people are on more than one messenger or
    the bot runs more than one; empty when everyone is on the one messenger the bot runs."""
    shown = [m for m in Messenger if m in messengers_in_use(links, (k for k, n in counts.items() if n))]
    if len(shown) < 2:
        return ""
    parts = [tr("messenger-count", messenger=messenger_name(m), n=counts.get(m.value, 0)) for m in shown]
    return ", ".join(parts)


def start_links(links: StartLinks, code: str, fallback: Messenger = Messenger.TELEGRAM) -> str:
    """A link someone else opens (an invite, a parent's link, a curator's link): the one link when one messenger
    runs (the text is as it always was), else one line per messenger, «Telegram: https://t.me/…»."""
    found = links.links(code, fallback)
    if len(found) == 1:
        return found[0][1]
    return "\n".join(tr("start-link-on", messenger=messenger_name(m), link=link) for m, link in found)


def link_where(links: StartLinks, fallback: Messenger = Messenger.TELEGRAM) -> str:
    """Where a link of `start_links` opens, for a text's selector: «telegram», «max» or «any» (both run)."""
    found = links.messengers(fallback)
    return found[0].value if len(found) == 1 else "any"


def consent_line(record: ConsentView | None, settings: Settings, audience: Audience = Audience.CURATOR) -> str:
    """«дано родителем 01.12.2026 23:27»: for the curator's card (the default) or the participant's profile."""
    if record is None:
        return tr("consent-none")
    at = local_moment(record.given_at, settings.institution.tz)
    if record.kind is ConsentKind.SELF:
        return tr("consent-given-self", at=at, audience=audience)
    return tr("consent-given-parent", at=at) if record.kind is ConsentKind.PARENT else tr("consent-given-paper", at=at)


def answers_block(questionnaire: Questionnaire, answers: dict[str, Any]) -> str:
    if not answers:
        return tr("profile-no-answers")
    rows = summary_rows(questionnaire, answers, include_personal=True)
    lines = []
    for caption, value in rows:
        shown = value if len(value) <= 180 else value[:179] + "…"
        lines.append(f"<b>{esc(caption)}</b>: {esc(shown)}")
    return "\n".join(lines)[:3500]
