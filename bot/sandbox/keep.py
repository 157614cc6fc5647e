"""What a kept sandbox (`--db PATH`) remembers beside its database: the personas and the clock's present.

The bot's own state is in the database; the fakes' chats live in memory and start empty after a restart. The
personas and the time are kept in `<db>.sandbox.json` (written atomically at every change), so a restarted
sandbox has the same people and its clock goes on from where it was, never back.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any


def sidecar(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".sandbox.json")


@dataclass
class Kept:
    now: datetime | None = None
    personas: list[dict[str, Any]] = field(default_factory=list)


def load(db_path: Path) -> Kept:
    path = sidecar(db_path)
    if not path.is_file():
        return Kept()
    data = json.loads(path.read_text(encoding="utf-8"))
    now = datetime.fromisoformat(data["now"]) if data.get("now") else None
    return Kept(now=now, personas=list(data.get("personas", [])))


def save(db_path: Path, now: datetime, personas: list[dict[str, Any]]) -> None:
    path = sidecar(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_name(path.name + ".tmp")
    scratch.write_text(json.dumps({"now": now.isoformat(), "personas": personas}, ensure_ascii=False), "utf-8")
    os.replace(scratch, path)
