"""`python -m bot`: the settings first (a bad one is one line and exit 2 within a second), then the app, whose
messenger libraries take seconds to import. `python -m bot sandbox` is `bot/sandbox/cli.py`."""

import asyncio
import logging
import sys

from bot.questionnaires import QuestionnaireError
from bot.settings import SettingsError, load_settings


def main() -> int:
    if sys.argv[1:2] == ["sandbox"]:
        from bot.sandbox.cli import main as sandbox

        return sandbox(sys.argv[2:])
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=settings.logging.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # aiogram logs every handled update at INFO; that is noise (and user ids) in a production log.
    logging.getLogger("aiogram.event").setLevel(logging.WARNING)
    from bot.app import run

    try:
        return asyncio.run(run(settings))
    except QuestionnaireError as exc:
        print(f"Questionnaire files are broken:\n{exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
