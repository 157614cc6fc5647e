"""The durable outbox: messages the bot sends on its own, written before they are sent.

A row is `pending` until the sender gets Telegram's confirmation and marks it `sent`; a crash between the
two repeats at most that one message. `dedup_key` makes an enqueue idempotent (a job that runs twice after
a restart does not queue a reminder twice).

Every row goes to a chat on one messenger (`messenger`, Telegram for every row from before MAX); a chat is
(messenger, chat id) everywhere below, and every method takes the messenger, Telegram when not given.

A chat Telegram does not know yet (the person never opened the bot) is a *waiting* chat: its rows stay
pending and `due` skips them until that person's first update releases the chat (`release_chat`). The
waiting chats are in `waiting_chats`; `self.waiting` mirrors the table, per messenger, so that the check on
every update costs a set lookup, not a query (`self.waiting_chats` is Telegram's set).

A message's buttons are stored messenger-neutral: `{"rows": …}`, the rows of `bot.flows.screens.Screen.to_json()`.
Rows queued before that hold Telegram's `{"inline_keyboard": …}`; `due` reads them as the same rows.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.clock import Clock, iso
from bot.flows.events import Messenger
from bot.flows.screens import Screen
from storage.database import Database, Transaction

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OutgoingMessage:
    id: int
    chat_id: int
    text: str
    reply_markup: dict[str, Any] | None  # the buttons, {"rows": …}: messenger-neutral (see the module's note)
    kind: str
    attempts: int
    media_kind: str | None = None  # photo or document (a broadcast), sent with `text` as the caption
    file_id: str | None = None
    messenger: Messenger = Messenger.TELEGRAM

    @property
    def screen(self) -> Screen:
        """The message as a screen: its text and its buttons (the adapter renders it)."""
        return Screen.from_json({"text": self.text, **(self.reply_markup or {})})


def _buttons_text(reply_markup: dict[str, Any] | None) -> str | None:
    """The buttons as stored; only the neutral form is written (`bot.flows.notices.stored_buttons`)."""
    if not reply_markup:
        return None
    if set(reply_markup) != {"rows"}:
        raise ValueError(f"outbox buttons are stored as {{'rows': …}}, not {sorted(reply_markup)}")
    return json.dumps(reply_markup, ensure_ascii=False)


def _stored_buttons(raw: str | None) -> dict[str, Any] | None:
    """The stored buttons as neutral rows; Telegram's inline keyboard of a row queued before the upgrade too."""
    if not raw:
        return None
    data = json.loads(raw)
    if "inline_keyboard" in data:
        rows = ([b for button in row if (b := _neutral_button(button))] for row in data["inline_keyboard"])
        data = {"rows": [row for row in rows if row]}
    return data


def _neutral_button(button: dict[str, Any]) -> dict[str, Any] | None:
    if "callback_data" in button:
        return {"label": button["text"], "payload": button["callback_data"]}
    if "url" in button:
        return {"label": button["text"], "url": button["url"]}
    log.warning("outbox: a stored button is neither a payload nor a link, left out: %r", button)
    return None


def scoped_key(messenger: Messenger, key: str | None) -> str | None:
    """A dedup key unique across messengers: the same key for a chat on another messenger is another message
    (keys name chats by their numeric ids, which two messengers may share). Telegram's keys are stored as they
    were before there was a second messenger, so rows queued before the upgrade still deduplicate."""
    if key is None or Messenger(messenger) is Messenger.TELEGRAM:
        return key
    return f"{messenger}:{key}"


class Outbox:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock
        self._listeners: list[Any] = []
        self.quiet_shift: Callable[[datetime], datetime] | None = None
        self.waiting: dict[Messenger, set[int]] = {m: set() for m in Messenger}

    @property
    def waiting_chats(self) -> set[int]:
        """Telegram's waiting chats (the set itself: the update middleware checks it on every update)."""
        return self.waiting[Messenger.TELEGRAM]

    def on_enqueue(self, callback: Any) -> None:
        """The sender registers a wake-up so that a new message goes out without waiting for a poll."""
        self._listeners.append(callback)

    def earliest(self, moment: datetime) -> datetime:
        """The first moment a message may go out: `moment`, or the end of the quiet hours it falls in."""
        return self.quiet_shift(moment) if self.quiet_shift is not None else moment

    def wake(self) -> None:
        """Rows written by other repositories (a broadcast) tell the sender through this."""
        self._wake()

    def _wake(self) -> None:
        for callback in self._listeners:
            callback()

    async def enqueue(
        self,
        chat_id: int,
        text: str,
        *,
        reply_markup: dict[str, Any] | None = None,
        kind: str = "notice",
        dedup_key: str | None = None,
        not_before: datetime | None = None,
        tx: Transaction | None = None,
        about: Iterable[int] = (),
        messenger: Messenger = Messenger.TELEGRAM,
    ) -> bool:
        """Queue a message; False when `dedup_key` was queued before.

        A message is never sent in quiet hours: `quiet_shift` (set by the app from the settings) moves
        its earliest moment to their end. `about`: the participants whose name or words the text carries
        (not the recipient); a withdrawal of any of them deletes the message, sent or not.
        """
        if chat_id <= 0:  # a group, supergroup or channel (negative ids): all its members would read it
            log.warning("outbox: dropped a %r message to chat %s, which is not a private chat", kind, chat_id)
            return False
        now = self._clock.now()
        not_before = self.earliest(not_before or now)
        params = (
            messenger,
            chat_id,
            text,
            _buttons_text(reply_markup),
            kind,
            scoped_key(messenger, dedup_key),
            iso(now),
            iso(not_before),
        )
        sql = (
            "INSERT INTO outbox(messenger, chat_id, text, reply_markup, kind, dedup_key, created_at, not_before)"
            " VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(dedup_key) DO NOTHING"
        )
        people = sorted(set(about))
        if people:
            if tx is not None:
                changed = await self._insert_about(tx, sql, params, people)
            else:
                async with self._db.transaction() as own:
                    changed = await self._insert_about(own, sql, params, people)
        else:
            changed = await (tx.execute(sql, params) if tx is not None else self._db.execute(sql, params))
        if tx is None:
            self._wake()
        return bool(changed)

    @staticmethod
    async def _insert_about(tx: Transaction, sql: str, params: tuple[Any, ...], people: list[int]) -> int:
        rows = await tx.fetchall(sql + " RETURNING id", params)
        if rows:
            await tx.executemany(
                "INSERT OR IGNORE INTO outbox_about(outbox_id, participant_id) VALUES (?,?)",
                [(rows[0][0], pid) for pid in people],
            )
        return len(rows)

    async def due(self, limit: int = 200, *, messenger: Messenger | None = None) -> list[OutgoingMessage]:
        """The first due message of each chat (none of a waiting chat), chats in the order of those messages;
        of one messenger's chats only, when `messenger` is given (each adapter's sender takes its own).

        One per chat, so that a chat with a thousand notices waiting at its 1/s pace does not hold up every
        other chat's one notice: the sender takes each chat's next message in the following rounds.
        """
        only, params = ("", ()) if messenger is None else (" AND o.messenger=?", (messenger,))
        rows = await self._db.fetchall(
            "SELECT id, messenger, chat_id, text, reply_markup, kind, attempts, media_kind, file_id FROM outbox o"
            f" WHERE status='pending' AND not_before<=?{only}"
            " AND NOT EXISTS (SELECT 1 FROM waiting_chats w WHERE w.messenger=o.messenger AND w.chat_id=o.chat_id)"
            " AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.messenger=o.messenger AND p.chat_id=o.chat_id"
            "  AND p.status='pending' AND (p.not_before<o.not_before OR (p.not_before=o.not_before AND p.id<o.id)))"
            " ORDER BY not_before, id LIMIT ?",
            (iso(self._clock.now()), *params, limit),
        )
        return [
            OutgoingMessage(
                id=r["id"],
                chat_id=r["chat_id"],
                text=r["text"],
                reply_markup=_stored_buttons(r["reply_markup"]),
                kind=r["kind"],
                attempts=r["attempts"],
                media_kind=r["media_kind"],
                file_id=r["file_id"],
                messenger=Messenger(r["messenger"]),
            )
            for r in rows
        ]

    async def postpone_due(self, until: datetime) -> int:
        """Move every message due now to `until` (quiet hours began); attempts are not counted."""
        return await self._db.execute(
            "UPDATE outbox SET not_before=? WHERE status='pending' AND not_before<?",
            (iso(until), iso(until)),
        )

    async def next_due_at(self) -> str | None:
        return await self._db.fetchval("SELECT MIN(not_before) FROM outbox WHERE status='pending'")

    async def mark_sent(self, message_id: int) -> None:
        await self._db.execute(
            "UPDATE outbox SET status='sent', sent_at=?, attempts=attempts+1, error=NULL WHERE id=?",
            (iso(self._clock.now()), message_id),
        )

    async def postpone(self, message_id: int, until: datetime, error: str, *, count_attempt: bool) -> None:
        await self._db.execute(
            "UPDATE outbox SET not_before=?, error=?, attempts=attempts+? WHERE id=?",
            (iso(until), error[:500], int(count_attempt), message_id),
        )

    async def fail(self, message_id: int, status: str, error: str) -> None:
        await self._db.execute(
            "UPDATE outbox SET status=?, error=?, attempts=attempts+1 WHERE id=?", (status, error[:500], message_id)
        )

    async def mark_unreachable(self, chat_id: int, reason: str, messenger: Messenger = Messenger.TELEGRAM) -> bool:
        """Remember a chat that blocked the bot; True the first time (so the curator is told once)."""
        changed = await self._db.execute(
            "INSERT INTO unreachable_chats(messenger, chat_id, since, reason) VALUES (?,?,?,?)"
            " ON CONFLICT DO NOTHING",
            (messenger, chat_id, iso(self._clock.now()), reason),
        )
        return changed > 0

    async def mark_reachable(self, chat_id: int, messenger: Messenger = Messenger.TELEGRAM) -> None:
        await self._db.execute(
            "DELETE FROM unreachable_chats WHERE messenger=? AND chat_id=?", (messenger, chat_id)
        )

    async def load_waiting(self) -> None:
        """Read the waiting chats into memory (at start-up, before updates are handled)."""
        rows = await self._db.fetchall("SELECT messenger, chat_id FROM waiting_chats")
        for chats in self.waiting.values():
            chats.clear()
        for r in rows:
            self.waiting.setdefault(Messenger(r["messenger"]), set()).add(r["chat_id"])

    async def wait_for_chat(
        self, chat_id: int, message_id: int, reason: str, messenger: Messenger = Messenger.TELEGRAM
    ) -> None:
        """The messenger does not know `chat_id` yet: its messages (this one included) wait for its first
        update."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT INTO waiting_chats(messenger, chat_id, since, reason) VALUES (?,?,?,?)"
                " ON CONFLICT DO NOTHING",
                (messenger, chat_id, iso(self._clock.now()), reason[:500]),
            )
            await tx.execute("UPDATE outbox SET error=? WHERE id=?", (reason[:500], message_id))
        self.waiting[messenger].add(chat_id)

    async def release_chat(self, chat_id: int, messenger: Messenger = Messenger.TELEGRAM) -> None:
        """The person wrote to the bot: their waiting messages may go now."""
        await self._db.execute("DELETE FROM waiting_chats WHERE messenger=? AND chat_id=?", (messenger, chat_id))
        self.waiting[messenger].discard(chat_id)
        self._wake()

    async def is_unreachable(self, chat_id: int, messenger: Messenger = Messenger.TELEGRAM) -> bool:
        found = await self._db.fetchval(
            "SELECT 1 FROM unreachable_chats WHERE messenger=? AND chat_id=?", (messenger, chat_id)
        )
        return found is not None

    async def counts(self) -> dict[str, int]:
        rows = await self._db.fetchall("SELECT status, COUNT(*) AS n FROM outbox GROUP BY status")
        return {r["status"]: r["n"] for r in rows}

    async def enqueue_many(
        self,
        chats: Sequence[tuple[int, str | None]],
        text: str,
        *,
        reply_markup: dict[str, Any] | None = None,
        kind: str = "notice",
        not_before: datetime | None = None,
        media_kind: str | None = None,
        file_id: str | None = None,
        broadcast_id: int | None = None,
        tx: Transaction | None = None,
        messenger: Messenger = Messenger.TELEGRAM,
    ) -> None:
        """Queue one message to many chats, each (chat id, dedup key or None); a queued dedup key is skipped.

        Inside the caller's `tx` the rows commit or roll back with the caller's own rows (a campaign and its
        invitations, a broadcast and its messages); the caller wakes the sender after its commit. Quiet
        hours apply as in `enqueue`.
        """
        if any(chat_id <= 0 for chat_id, _ in chats):  # groups, supergroups, channels: as in `enqueue`
            log.warning("outbox: dropped a %r message to chats that are not private", kind)
            chats = [(chat_id, key) for chat_id, key in chats if chat_id > 0]
        now = self._clock.now()
        start = iso(self.earliest(not_before or now))
        markup = _buttons_text(reply_markup)
        rows = [
            (
                messenger, chat_id, text, markup, kind, scoped_key(messenger, dedup_key), iso(now), start,
                media_kind, file_id, broadcast_id,
            )
            for chat_id, dedup_key in chats
        ]
        sql = (
            "INSERT INTO outbox(messenger, chat_id, text, reply_markup, kind, dedup_key, created_at, not_before,"
            " media_kind, file_id, broadcast_id) VALUES (?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(dedup_key) DO NOTHING"
        )
        if tx is not None:
            await tx.executemany(sql, rows)
            return
        async with self._db.transaction() as own:
            await own.executemany(sql, rows)
        self._wake()
