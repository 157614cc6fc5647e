"""The curator's roadmap tracker (/roadmap): its buttons' actions and keyboards are the flow's
(`bot.flows.curator.roadmap`); the aiogram twin of its payload is `handlers.kb.notices.RoadmapCb`.

Every button names the programme year `y` it was shown for, so a card opened for 2026/2027 acts on that year
even after 1 September has passed. Item numbers («6.1.1») go into the data as they are: no ':' in them.
"""

from __future__ import annotations

from bot.flows.curator.roadmap import (
    ADD,
    ATTACH,
    CANCEL,
    CARD,
    DELETE,
    DELETE_YES,
    DOCUMENTS_SHOWN,
    DONE,
    EDIT,
    EDIT_FIELD,
    EDIT_FIELDS,
    FINISH,
    GET_DOCUMENT,
    HOME,
    REOPEN,
    SECTION,
    SKIP_NOTE,
    STATUS_MARKS,
    XLSX,
)
from handlers.kb.notices import RoadmapCb

__all__ = [
    "ADD",
    "ATTACH",
    "CANCEL",
    "CARD",
    "DELETE",
    "DELETE_YES",
    "DOCUMENTS_SHOWN",
    "DONE",
    "EDIT",
    "EDIT_FIELD",
    "EDIT_FIELDS",
    "FINISH",
    "GET_DOCUMENT",
    "HOME",
    "REOPEN",
    "SECTION",
    "SKIP_NOTE",
    "STATUS_MARKS",
    "XLSX",
    "RoadmapCb",
]
