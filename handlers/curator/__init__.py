"""The curator's flows, behind one router-level role filter: nobody else reaches any of them."""

from aiogram import Router

from handlers.curator import (
    campaigns,
    curators,
    destruction,
    grouping,
    informing,
    invites,
    matching,
    pairs,
    participants,
    reports,
    roadmap,
)
from handlers.filters import IsCurator


def build_router() -> Router:
    router = Router(name="curator")
    router.message.filter(IsCurator())
    router.callback_query.filter(IsCurator())
    router.include_routers(
        invites.build_router(),
        curators.build_router(),
        participants.build_router(),
        destruction.build_router(),
        grouping.build_router(),
        matching.build_router(),
        pairs.build_router(),
        informing.build_router(),
        campaigns.build_router(),
        reports.build_router(),
        roadmap.build_router(),
    )
    return router
