"""The bot's commands: which a participant and which a curator may use (descriptions: `cmd-*` in the catalogue)."""

from __future__ import annotations

from bot.i18n import tr

PARTICIPANT_COMMANDS: tuple[str, ...] = ("menu", "help", "cancel", "forget", "ask")
CURATOR_COMMANDS: tuple[str, ...] = (
    "invite",
    "invites",
    "participants",
    "consent_paper",
    "curators",
    "destruction_act",
    "groupmeeting",
    "preferences",
    "match",
    "pairs",
    "bases",
    "broadcast",
    "materials",
    "campaign",
    "summary",
    "export",
    "surveys",
    "roadmap",
)


def described(names: tuple[str, ...]) -> dict[str, str]:
    """Each command with its description, in the order given (for setMyCommands)."""
    return {name: tr(f"cmd-{name}") for name in names}
