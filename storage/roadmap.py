"""The curator's roadmap: their own, edited and deleted items over the shipped file, done marks and documents.

The shipped roadmap (`bot.roadmap.load_roadmap`) is data, not database rows; `RoadmapRepo.roadmap` applies the
curator's changes to it. Marks and documents are per programme year (Y: 1 September Y – 31 August Y+1).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

import aiosqlite

from bot.clock import Clock, iso, parse_iso
from bot.roadmap import (
    ItemState,
    Roadmap,
    RoadmapError,
    RoadmapItem,
    deadline_from_mapping,
    deadline_to_mapping,
    load_roadmap,
    make_item,
)
from storage.database import Database

log = logging.getLogger(__name__)

DocumentKind = Literal["document", "photo"]


@dataclass(frozen=True)
class RoadmapDocument:
    """A file attached to an item in a programme year, kept by Telegram file id."""

    id: int
    number: str
    programme_year: int
    kind: DocumentKind
    file_id: str
    file_name: str
    attached_at: datetime
    attached_by: int


class RoadmapRepo:
    """The effective roadmap (shipped + the curator's changes) and, per programme year, marks and documents."""

    def __init__(self, db: Database, clock: Clock, base: Roadmap | None = None) -> None:
        self._db = db
        self._clock = clock
        self._base = base

    @property
    def base(self) -> Roadmap:
        """The shipped roadmap (or the one given, in tests)."""
        return self._base if self._base is not None else load_roadmap()

    # --- the items -------------------------------------------------------------------------------------------
    async def roadmap(self) -> Roadmap:
        """The shipped roadmap with the curator's additions, edits and deletions applied.

        A stored item that no longer fits (its section was removed from the file) is left out with a warning
        rather than breaking the whole roadmap.
        """
        base = self.base
        items = {item.number: item for item in base.items}
        sections = {s.number for s in base.sections}
        for row in await self._db.fetchall("SELECT * FROM roadmap_items"):
            number = row["number"]
            if row["deleted"]:
                items.pop(number, None)
                continue
            item = _item_from_row(row)
            if item is None or item.section not in sections:
                log.warning("roadmap item %s in the database does not fit the roadmap; left out", number)
                continue
            items[number] = item
        return Roadmap(base.sections, tuple(items.values()), base.title)

    async def save_item(self, item: RoadmapItem, by: int) -> None:
        """Add the curator's item, or replace an item of the same number (shipped or their own)."""
        await self._db.execute(
            "INSERT INTO roadmap_items(number, content, deadline, result, responsible, deleted, updated_by, updated_at)"
            " VALUES (?,?,?,?,?,0,?,?) ON CONFLICT(number) DO UPDATE SET content=excluded.content,"
            " deadline=excluded.deadline, result=excluded.result, responsible=excluded.responsible, deleted=0,"
            " updated_by=excluded.updated_by, updated_at=excluded.updated_at",
            (
                item.number,
                item.content,
                json.dumps(deadline_to_mapping(item.deadline), ensure_ascii=False),
                item.result,
                json.dumps(list(item.responsible), ensure_ascii=False),
                by,
                iso(self._clock.now()),
            ),
        )

    async def delete_item(self, number: str, by: int) -> None:
        """Remove the item from the roadmap, with its marks and documents of every year (one transaction)."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT INTO roadmap_items(number, deleted, updated_by, updated_at) VALUES (?,1,?,?)"
                " ON CONFLICT(number) DO UPDATE SET content=NULL, deadline=NULL, result=NULL, responsible=NULL,"
                " deleted=1, updated_by=excluded.updated_by, updated_at=excluded.updated_at",
                (number, by, iso(self._clock.now())),
            )
            await tx.execute("DELETE FROM roadmap_states WHERE number=?", (number,))
            await tx.execute("DELETE FROM roadmap_documents WHERE number=?", (number,))

    # --- marks ---------------------------------------------------------------------------------------------
    async def states(self, programme_year: int) -> dict[str, ItemState]:
        """Every item's record for that year (done mark, note, documents' names); items without any are absent."""
        rows = await self._db.fetchall(
            "SELECT number, done_at, note, reopened FROM roadmap_states WHERE programme_year=?", (programme_year,)
        )
        documents: dict[str, list[str]] = {}
        for row in await self._db.fetchall(
            "SELECT number, file_name FROM roadmap_documents WHERE programme_year=? ORDER BY id", (programme_year,)
        ):
            documents.setdefault(row["number"], []).append(row["file_name"])
        result: dict[str, ItemState] = {}
        for row in rows:
            number = row["number"]
            result[number] = ItemState(
                done_at=date.fromisoformat(row["done_at"]) if row["done_at"] else None,
                note=row["note"],
                documents=tuple(documents.pop(number, ())),
                reopened=bool(row["reopened"]),
            )
        for number, names in documents.items():
            result[number] = ItemState(documents=tuple(names))
        return result

    async def state(self, number: str, programme_year: int) -> ItemState:
        return (await self.states(programme_year)).get(number) or ItemState()

    async def mark_done(self, number: str, programme_year: int, day: date, note: str | None, by: int) -> None:
        """Mark the item done on `day` (the institution's local date); no note keeps an earlier one."""
        await self._db.execute(
            "INSERT INTO roadmap_states(number, programme_year, done_at, done_by, note, reopened, updated_at)"
            " VALUES (?,?,?,?,?,0,?) ON CONFLICT(number, programme_year) DO UPDATE SET done_at=excluded.done_at,"
            " done_by=excluded.done_by, note=COALESCE(excluded.note, roadmap_states.note), reopened=0,"
            " updated_at=excluded.updated_at",
            (number, programme_year, day.isoformat(), by, note, iso(self._clock.now())),
        )

    async def reopen(self, number: str, programme_year: int) -> bool:
        """Take the done mark back (the date is kept for the record); False when there was none to take back."""
        changed = await self._db.execute(
            "UPDATE roadmap_states SET reopened=1, updated_at=? WHERE number=? AND programme_year=?"
            " AND done_at IS NOT NULL AND reopened=0",
            (iso(self._clock.now()), number, programme_year),
        )
        return changed > 0

    # --- documents -----------------------------------------------------------------------------------------
    async def attach(
        self, number: str, programme_year: int, file_id: str, file_name: str, by: int, kind: DocumentKind = "document"
    ) -> int:
        return await self._db.insert(
            "INSERT INTO roadmap_documents(number, programme_year, kind, file_id, file_name, attached_at, attached_by)"
            " VALUES (?,?,?,?,?,?,?)",
            (number, programme_year, kind, file_id, file_name, iso(self._clock.now()), by),
        )

    async def documents(self, number: str, programme_year: int) -> list[RoadmapDocument]:
        rows = await self._db.fetchall(
            "SELECT * FROM roadmap_documents WHERE programme_year=? AND number=? ORDER BY id", (programme_year, number)
        )
        return [_document(row) for row in rows]

    async def document(self, document_id: int) -> RoadmapDocument | None:
        row = await self._db.fetchone("SELECT * FROM roadmap_documents WHERE id=?", (document_id,))
        return _document(row) if row else None


def _item_from_row(row: aiosqlite.Row) -> RoadmapItem | None:
    try:
        return make_item(
            row["number"],
            None,
            row["content"],
            deadline_from_mapping(json.loads(row["deadline"])),
            row["result"],
            json.loads(row["responsible"]),
        )
    except (RoadmapError, ValueError, TypeError):
        return None


def _document(row: aiosqlite.Row) -> RoadmapDocument:
    return RoadmapDocument(
        id=row["id"],
        number=row["number"],
        programme_year=row["programme_year"],
        kind=row["kind"],
        file_id=row["file_id"],
        file_name=row["file_name"],
        attached_at=parse_iso(row["attached_at"]),
        attached_by=row["attached_by"],
    )
