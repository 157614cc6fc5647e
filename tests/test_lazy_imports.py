"""The idle bot does not hold the libraries of the curator's files (issue 11, «Memory»).

matplotlib, numpy/scipy, openpyxl, python-docx, Pillow and lxml add about 100 MiB of RSS to the ~165 MiB of
aiogram; they are imported on first use, in the worker that renders a chart, writes a file or runs the solver.
Each check runs in a fresh interpreter: this test process has long imported them all for other tests.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

HEAVY = ("matplotlib", "scipy", "numpy", "openpyxl", "docx", "PIL", "lxml")

# The workers: the only modules of the bot that may import a heavy library at module level.
WORKERS = {
    "bot.reports.charts",  # matplotlib
    "bot.documents.docx_order",  # python-docx, lxml
    "bot.matching.solver",  # numpy, scipy
    "bot.matching.scoring",  # numpy
    "bot.matching.baselines",  # numpy
}

_RUNNING_APP = """
import asyncio, json, sys, tempfile
from pathlib import Path

from bot.app import create_app
from bot.settings import load_settings
from bot.sandbox.telegram import FakeTelegram


async def main() -> None:
    tg = FakeTelegram()
    await tg.start()
    tg.user(1000, "Куратор")
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(
            env_file=None,
            telegram={"bot_token": tg.token, "bot_api_base_url": tg.base_url, "curator_ids": "1000"},
            storage={"database_path": Path(tmp) / "nastavnik.sqlite3"},
            institution={"organization_name": "Школа"},
        )
        app = await create_app(settings)
        started = asyncio.Event()
        app.dp.startup.register(lambda: started.set())
        polling = asyncio.create_task(
            app.dp.start_polling(app.bot, handle_signals=False, close_bot_session=False, polling_timeout=1)
        )
        await asyncio.wait_for(started.wait(), 20)
        await app.services["jobs"].tick()  # what the scheduler does while the bot idles
        await app.dp.stop_polling()
        await asyncio.wait_for(polling, 20)
        await app.close()
    await tg.stop()


asyncio.run(main())
print(json.dumps(sorted(sys.modules)))
"""

_EVERY_MODULE = """
import importlib, json, pkgutil, sys

workers = set(json.loads(sys.argv[1]))
imported = []
for package in ("bot", "handlers", "storage", "scheduler"):
    root = importlib.import_module(package)
    for info in pkgutil.walk_packages(root.__path__, package + "."):
        if info.name in workers or info.name == "bot.__main__":
            continue
        importlib.import_module(info.name)
        imported.append(info.name)
print(json.dumps({"imported": imported, "modules": sorted(sys.modules)}))
"""


def _run(code: str, *args: str) -> object:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _heavy(modules: list[str]) -> list[str]:
    return sorted({m.split(".")[0] for m in modules} & set(HEAVY))


def test_running_app_loads_no_heavy_library() -> None:
    """`bot.app` imported, the dispatcher and routers built, polling started and a scheduler tick run."""
    modules = _run(_RUNNING_APP)
    assert isinstance(modules, list)
    assert "aiogram" in modules and "handlers.curator.reports" in modules
    assert _heavy(modules) == []
    # MAX's adapter and maxapi's models (6 MiB of the idle bot's peak RSS) only in a bot that runs on MAX.
    assert [m for m in modules if m == "maxapi" or m.startswith("handlers.max")] == []


def test_only_the_workers_import_heavy_libraries() -> None:
    """Every other module of the bot imports without them, so a new import chain cannot pull them in."""
    out = _run(_EVERY_MODULE, json.dumps(sorted(WORKERS)))
    assert isinstance(out, dict)
    assert "handlers.curator.matching" in out["imported"] and "bot.roadmap.export" in out["imported"]
    assert _heavy(out["modules"]) == []
