"""The MAX adapter: the application layer (`bot.flows`) on MAX, through maxapi's client.

- `client.py`: the requests, paced within MAX's limits, with MAX's errors as `MaxError`;
- `updates.py`: MAX's update JSON as events;
- `adapter.py`: an event through `bot.flows.act`, its effects as MAX requests;
- `polling.py`: long polling with the marker kept in SQLite, or the webhook endpoint;
- `sender.py`: the outbox's MAX rows.

maxapi's Dispatcher and its FSM are not used: the flows route through the core's table and keep their dialog in
SQLite (a restart loses nothing), which maxapi's in-memory FSM would not.
"""
