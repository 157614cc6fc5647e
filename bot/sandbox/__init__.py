"""The sandbox: the whole bot on one machine with no token and no network (`python -m bot sandbox`).

It runs the real app against embedded strict fakes of the Telegram Bot API (`telegram.py`) and of MAX's
(`max.py`), which the tests use too, on a clock the visitor moves, and shows every persona's chat on a web page
served on 127.0.0.1.
"""
