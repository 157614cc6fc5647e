"""Invite links and parent links: unguessable codes that fit Telegram's 64-character start parameter."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.flows.events import Messenger
from bot.programme import Form, Role

INVITE_PREFIX = "i"
PARENT_PREFIX = "p"
CURATOR_PREFIX = "c"  # a one-time link that makes its owner a curator (/curators)
_CODE_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def new_code(prefix: str) -> str:
    """`prefix` + '-' + 16 url-safe random characters (96 bits of entropy)."""
    return f"{prefix}-{secrets.token_urlsafe(12)}"


def code_kind(payload: str | None) -> str | None:
    """'invite', 'parent', 'curator' or None for a /start payload that is neither (or malformed)."""
    if not payload or not _CODE_RE.match(payload):
        return None
    head = payload.split("-", 1)[0]
    return {INVITE_PREFIX: "invite", PARENT_PREFIX: "parent", CURATOR_PREFIX: "curator"}.get(head)


def deep_link(bot_username: str, code: str) -> str:
    return f"https://t.me/{bot_username}?start={code}"


class InviteProblem(StrEnum):
    UNKNOWN = "unknown"
    REVOKED = "revoked"
    EXPIRED = "expired"
    USED_UP = "used_up"


@dataclass(frozen=True)
class Invite:
    code: str
    role: Role
    form: Form
    created_by: int
    created_at: datetime
    expires_at: datetime | None
    max_uses: int | None
    uses: int
    revoked_at: datetime | None
    created_by_messenger: Messenger = Messenger.TELEGRAM

    def problem(self, now: datetime) -> InviteProblem | None:
        if self.revoked_at is not None:
            return InviteProblem.REVOKED
        if self.expires_at is not None and now >= self.expires_at:
            return InviteProblem.EXPIRED
        if self.max_uses is not None and self.uses >= self.max_uses:
            return InviteProblem.USED_UP
        return None


#: Expiry choices the curator picks from (days; None = no expiry) and use limits (None = unlimited).
EXPIRY_CHOICES: tuple[int | None, ...] = (7, 30, None)
LIMIT_CHOICES: tuple[int | None, ...] = (1, 30, None)


class JoinRefused(Exception):
    """The invite cannot be used (any more): raised by the repository that enrols, checked in its transaction."""

    def __init__(self, problem: InviteProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem
