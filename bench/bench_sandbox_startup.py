"""Start-up of the sandbox: from starting `python -m bot sandbox --no-browser --port 0` to (a) the page answering
`GET /` with 200 and (b) `/api/state` saying `ready: true` (the bot up on its fakes), N runs, the median.

Reference runs beside it, as the floor: `python -c pass`, `python -c "import aiogram"`, and `python -m bot` with a
bad setting (it exits 2 after reading its settings, before the app loads). `--profile` prints where the bot's
imports spend their time (`python -X importtime -c "import bot.app"`, by top-level package).

    python bench/bench_sandbox_startup.py --runs 5
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = ("BOT_TOKEN", "MAX_BOT_TOKEN", "DATABASE_PATH", "BOT_API_BASE_URL", "MAX_API_BASE_URL", "MAX_WEBHOOK_URL")
GOAL_PAGE = 5.0


def environment(tmp: str, **values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS}
    env.update(PYTHONPATH=str(ROOT), TMPDIR=tmp, **values)
    return env


def get(port: int, path: str) -> tuple[int, bytes] | None:
    """One GET on 127.0.0.1; None while nothing answers."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    except OSError:
        return None
    finally:
        connection.close()


def one_run(timeout: float) -> dict[str, float]:
    """Seconds from the spawn to: the link printed, `GET /` 200, `ready: true`; then SIGTERM to exit."""
    with tempfile.TemporaryDirectory(prefix="bench-sandbox-") as tmp:
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "sandbox", "--no-browser", "--port", "0"],
            cwd=tmp,
            env=environment(tmp),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            lines: list[str] = []
            link = threading.Event()

            def read() -> None:
                assert process.stdout is not None
                for line in process.stdout:
                    lines.append(line)
                    link.set()

            threading.Thread(target=read, daemon=True).start()
            if not link.wait(timeout):
                raise RuntimeError("no link printed")
            printed = time.perf_counter() - started
            match = re.search(r"http://127\.0\.0\.1:(\d+)/", lines[0])
            if match is None:
                raise RuntimeError(f"unexpected first line: {lines[0]!r}")
            port = int(match.group(1))
            page = ready = None
            while time.perf_counter() - started < timeout:
                if page is None:
                    answer = get(port, "/")
                    if answer is not None and answer[0] == 200:
                        page = time.perf_counter() - started
                answer = get(port, "/api/state")
                if answer is not None and answer[0] == 200 and json.loads(answer[1]).get("ready") is True:
                    ready = time.perf_counter() - started
                    break
                time.sleep(0.02)
            if page is None or ready is None:
                raise RuntimeError(f"not ready in {timeout} s: {''.join(lines)}")
            stopping = time.perf_counter()
            process.send_signal(signal.SIGTERM)
            code = process.wait(30)
            stop = time.perf_counter() - stopping
            if code != 0:
                raise RuntimeError(f"exit status {code} after SIGTERM: {''.join(lines)}")
            left = list(Path(tmp).glob("nastavnik-sandbox-*"))
            if left:
                raise RuntimeError(f"the temporary database was left: {left}")
            return {"link": printed, "page": page, "ready": ready, "stop": stop}
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()


def timed(command: list[str], **env: str) -> tuple[float, int]:
    with tempfile.TemporaryDirectory(prefix="bench-sandbox-") as tmp:
        started = time.perf_counter()
        result = subprocess.run(command, cwd=tmp, env=environment(tmp, **env), capture_output=True, check=False)
        return time.perf_counter() - started, result.returncode


def import_profile(top: int = 12) -> list[tuple[str, float]]:
    """Cumulative import time of `bot.app` by top-level package (self times summed), the largest first."""
    with tempfile.TemporaryDirectory() as tmp:
        result = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", "import bot.app"],
            cwd=tmp,
            env=environment(tmp),
            capture_output=True,
            text=True,
            check=True,
        )
    totals: dict[str, float] = defaultdict(float)
    for line in result.stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) != 3 or not parts[0].strip().isdigit():
            continue
        totals[parts[2].strip().split(".")[0]] += int(parts[0]) / 1e6
    return sorted(totals.items(), key=lambda item: -item[1])[:top]


def machine() -> str:
    cpu = "?"
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    versions = ", ".join(f"{name} {metadata.version(name)}" for name in ("aiogram", "aiohttp", "maxapi"))
    return f"nproc {os.cpu_count()}, CPU {cpu!r}, Python {platform.python_version()}, {versions}"


def row(name: str, values: list[float], goal: str = "") -> str:
    return f"| {name} | {statistics.median(values):.2f} s | {min(values):.2f} s | {max(values):.2f} s | {goal} |"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--profile", action="store_true", help="also print the import profile of bot.app")
    args = parser.parse_args()

    print(f"Machine: {machine()}")
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    # Interleaved (a sandbox, then each reference), so that a busy machine weighs on both alike.
    runs: list[dict[str, float]] = []
    floors: dict[str, list[float]] = defaultdict(list)
    for _ in range(args.runs):
        runs.append(one_run(args.timeout))
        floors['python -c "pass"'].append(timed([sys.executable, "-c", "pass"])[0])
        floors['python -c "import aiogram"'].append(timed([sys.executable, "-c", "import aiogram"])[0])
        seconds, code = timed([sys.executable, "-m", "bot"], BOT_TOKEN="broken")
        assert code == 2, code
        floors["python -m bot, a bad BOT_TOKEN (exit 2)"].append(seconds)
        seconds, code = timed([sys.executable, "-c", "import bot.app"])
        assert code == 0, code
        floors['python -c "import bot.app"'].append(seconds)

    page = [r["page"] for r in runs]
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    print()
    print(
        f"| from the start of `python -m bot sandbox --no-browser --port 0` to | median (N={args.runs}) "
        "| min | max | goal |"
    )
    print("| --- | ---: | ---: | ---: | --- |")
    print(row("the link printed", [r["link"] for r in runs]))
    ok = statistics.median(page) < GOAL_PAGE
    print(row("(a) `GET /` answers 200", page, f"< {GOAL_PAGE:g} s {'✅' if ok else '❌'}"))
    print(row("(b) `/api/state`: `ready: true`", [r["ready"] for r in runs]))
    print(row("SIGTERM → exit 0, temporary database gone", [r["stop"] for r in runs]))
    print()
    print(f"| reference | median (N={args.runs}) | min | max | |")
    print("| --- | ---: | ---: | ---: | --- |")
    for name, values in floors.items():
        print(row(name, values))
    if args.profile:
        print()
        print("| package | import time (self, summed) |")
        print("| --- | ---: |")
        for name, seconds in import_profile():
            print(f"| {name} | {seconds:.2f} s |")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
