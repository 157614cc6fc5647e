"""The application layer: the programme's flows with no messenger in them.

A messenger adapter (`handlers/` for Telegram) turns an update into an event (`events.py`), calls the flow, and
carries out the effects it returns (`effects.py`): screens to show or edit, notices to others, files. Screens are
data (`screens.py`): text in the small HTML subset both Telegram and MAX render, buttons with compact payloads.
This package imports no messenger library and no SQL; flows reach storage through the repositories they are given.

Event → flow → effects, with the menu (`menu.py`) as the example:

1. Event. A Telegram user sends /menu. `handlers/menu.py` (the adapter) knows the person,
   `Person(Messenger.TELEGRAM, from_user.id)`, and builds `Repos` (`ports.py`): the app's repositories, the
   settings and the questionnaires, typed by Protocols so that nothing here imports storage.
2. Flow. `await menu.open_menu(person, repos)` finds who the person is (a participant, a parent, nobody), reads
   the pair and its next meeting, and returns `[Show(Screen(text, rows))]`. Each button is `Button(label,
   payload)`; payloads are packed by `payloads.py` exactly as aiogram's CallbackData packs them
   (`MenuPayload("profile").pack() == "m:profile"`), so the buttons sent before keep working.
3. Effects. The adapter hands the list to `handlers.ui.render`: a `Show` becomes the edit-or-send of Telegram
   (`edit=True` edits the message whose button was pressed), a `Toast` the answer to the button's callback.
   A press is the same round: `menu.press(person, "m:profile", repos)` → `[Show(profile screen)]`; a press
   that opens another flow's dialog (the questionnaire, the withdrawal) returns that flow's first screen.
   `Notify` (a notice to someone else) goes into the outbox in the action's transaction (`act.py`).

The same flow runs with no messenger at all: tests/frontends/core.py passes events to `routes.handle` (the
table of which flow takes which command or payload) on a real database and keeps each person's screens, and
tests/test_core_stories.py runs the same stories on it and on Telegram.
"""
