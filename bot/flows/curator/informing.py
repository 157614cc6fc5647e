"""(being written)"""

from __future__ import annotations

from bot.flows.routes import FlowRoutes

ROUTES = FlowRoutes()
