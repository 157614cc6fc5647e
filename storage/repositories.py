"""The repositories the app injects into handlers by name (dispatcher workflow data), and the services every
front end is built on (`build_services`: the Telegram app, the test front end with no messenger, the bench)."""

from __future__ import annotations

from typing import Any

from bot.clock import Clock
from bot.flows.ports import Repos
from bot.questionnaires import load_directory
from bot.settings import Settings
from storage.audit import AuditLog
from storage.campaigns import CampaignRepo
from storage.curators import CuratorRepo
from storage.database import Database
from storage.dialogs import DialogTable
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


def build_services(settings: Settings, db: Database, clock: Clock) -> dict[str, Any]:
    """The settings, the database, the clock, the questionnaires, every repository, the dialog table and `repos`
    (what the flows are given): one set per running app, whatever its messengers."""
    services: dict[str, Any] = {
        "settings": settings,
        "db": db,
        "clock": clock,
        "questionnaires": load_directory(),
        **build_repositories(db, clock),
    }
    services["curators"] = CuratorRepo(db, clock, settings.roster)
    services["dialogs"] = DialogTable(db)
    services["repos"] = Repos.of(services)
    return services
