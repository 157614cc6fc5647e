"""The repositories the app injects into handlers by name (dispatcher workflow data)."""

from __future__ import annotations

from typing import Any

from bot.clock import Clock
from storage.audit import AuditLog
from storage.campaigns import CampaignRepo
from storage.database import Database
from storage.informing import InformingRepo
from storage.invites import InviteRepo
from storage.matching import MatchingRepo
from storage.meetings import MeetingRepo
from storage.outbox import Outbox
from storage.participants import ParticipantRepo
from storage.reports import ReportRepo
from storage.roadmap import RoadmapRepo


def build_repositories(db: Database, clock: Clock) -> dict[str, Any]:
    return {
        "audit": AuditLog(db, clock),
        "invites": InviteRepo(db, clock),
        "participants": ParticipantRepo(db, clock),
        "outbox": Outbox(db, clock),
        "matching": MatchingRepo(db, clock),
        "meetings": MeetingRepo(db, clock),
        "informing": InformingRepo(db, clock),
        "campaigns": CampaignRepo(db, clock),
        "reports": ReportRepo(db, clock),
        "roadmap": RoadmapRepo(db, clock),
    }
