"""The application layer: the programme's flows with no messenger in them.

A messenger adapter (`handlers/` for Telegram) turns an update into an event (`events.py`), calls the flow, and
carries out the effects it returns (`effects.py`): screens to show or edit, notices to others, files. Screens are
data (`screens.py`): text in the small HTML subset both Telegram and MAX render, buttons with compact payloads.
This package imports no messenger library and no SQL; flows reach storage through the repositories they are given.
"""
