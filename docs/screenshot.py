"""Take the README's screenshot of the sandbox, `docs/sandbox.png`.

Starts `python -m bot sandbox` on a free port with a fresh database, loads the demo programme when the server has
one, has the curator open the menu and a pupil open the bot, then photographs the page in Debian's Chromium
(`/usr/bin/chromium`) through Playwright. Debian's `fonts-noto-color-emoji` draws the page's emoji (📎 🙂); without
it they are boxes.

    .venv/bin/python docs/screenshot.py [--out docs/sandbox.png] [--width 1440 --height 900]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"


def call(url: str, body: dict[str, Any] | None = None, timeout: float = 600) -> tuple[int, Any]:
    """GET (no body) or POST JSON; the status and the decoded answer."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def wait_state(url: str, done: Any, timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        status, state = call(f"{url}api/state")
        if status == 200 and done(state):
            return state
        if time.monotonic() > deadline:
            raise SystemExit(f"the sandbox did not get there in {timeout:.0f} s: {state}")
        time.sleep(0.3)


def fill(url: str) -> None:
    """Something to look at: the demo programme at matching and the curator's menu; without a demo, a pupil."""
    status, answer = call(f"{url}api/demo", {"stage": "matching"})
    if status in (200, 202):
        state = wait_state(url, lambda s: s.get("demo") not in (None, "loading") or s.get("demo_error"), timeout=600)
        print(f"demo: {state.get('demo')} {state.get('demo_error') or ''}", flush=True)
        if not state.get("demo_error"):
            call(f"{url}api/chat/tg-1000/text", {"text": "/menu"})
            time.sleep(2)
            return
    print(f"no demo ({status}): {str(answer)[:100]}", flush=True)
    call(f"{url}api/chat/tg-1000/text", {"text": "/menu"})
    status, pupil = call(f"{url}api/personas", {"name": "Маша Иванова", "kind": "pupil", "messenger": "telegram"})
    if status == 200 and isinstance(pupil, dict):
        call(f"{url}api/chat/{pupil['key']}/text", {"text": "/start"})
    time.sleep(2)


def photograph(url: str, out: Path, width: int, height: int) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=1)
            page.goto(url)  # the page long-polls its state: it is never "network idle"
            page.wait_for_selector('[data-testid="chat-tg-1000"]', timeout=60_000)
            page.wait_for_timeout(4000)
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out))
        finally:
            browser.close()
    shrink(out)


def shrink(path: Path) -> None:
    """256 colours are plenty for a page of flat colours and text: a third of the bytes in the repository."""
    from PIL import Image  # Pillow comes with matplotlib, a dependency of the bot

    with Image.open(path) as image:
        palette = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    palette.save(path, optimize=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "sandbox.png")
    parser.add_argument("--width", type=int, default=1440)
    parser.add_argument("--height", type=int, default=900)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sandbox-screenshot-") as tmp:
        env = {k: v for k, v in os.environ.items() if not k.endswith("TOKEN") and k != "DATABASE_PATH"}
        env["PYTHONPATH"] = str(ROOT)
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bot",
                "sandbox",
                "--no-browser",
                "--port",
                "0",
                "--db",
                f"{tmp}/screenshot.sqlite3",
            ],
            cwd=tmp,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert process.stdout is not None
            line = process.stdout.readline()
            match = re.search(r"http://127\.0\.0\.1:\d+/", line)
            if match is None:
                raise SystemExit(f"the sandbox did not start: {line!r}")
            url = match.group(0)
            wait_state(url, lambda s: s.get("ready") is True, timeout=120)
            fill(url)
            photograph(url, args.out, args.width, args.height)
            print(f"wrote {args.out}", flush=True)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
