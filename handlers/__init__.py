"""aiogram routers, one module per flow, assembled in an explicit order (first match wins).

Commands come before the dialogs' free-input handlers, so /menu or /cancel work in the middle of a
questionnaire; the questionnaire's buttons and plain-text answers come first of all (most of the traffic, and
tied to its own states); the fallback router is last and answers whatever nobody took.

The questionnaire's two routers (`FIRST`) are offered their events directly, without aiogram's walk through
the routers (`handlers/first_routers.py`, wired in `bot/app.py`).

None of them sees an update from a group, a supergroup or a channel: `handlers/private_only.py`, an outer
middleware on the dispatcher (wired in `bot/app.py`), stops those before any router.
"""

from aiogram import Router

from handlers import (
    campaigns,
    common,
    curator,
    errors,
    informing,
    joining,
    meetings,
    membership,
    menu,
    preferences,
    renewal,
    survey,
)

#: The routers whose events `handlers.first_routers.FirstRouters` hands to them directly, and the event types.
FIRST = ("survey-buttons", "survey-input")
FIRST_EVENTS = ("callback_query", "message")


def build_routers() -> list[Router]:
    """Fresh routers for each dispatcher (a router can belong to one parent only, and tests build many)."""
    return [
        errors.build_router(),
        survey.build_button_router(),
        survey.build_router(),
        membership.build_router(),
        curator.curators.build_public_router(),
        joining.build_router(),
        common.build_router(),
        menu.build_router(),
        curator.build_router(),
        preferences.build_router(),
        meetings.build_router(),
        renewal.build_router(),
        informing.build_router(),
        campaigns.build_router(),
        survey.build_command_router(),
        joining.build_state_router(),
        curator.curators.build_refusal_router(),
        common.build_fallback_router(),
    ]
