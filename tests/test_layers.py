"""The layer rules of README.md as import-linter contracts (`[tool.importlinter]` in pyproject.toml)."""

from __future__ import annotations

import os
import pkgutil
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import bot

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "handlers", "storage", "scheduler")
# `bot` modules that wire the adapters together, so they are not the domain.
WIRING = {"bot.app", "bot.__main__", "bot.sandbox"}


def _lint(cwd: Path) -> subprocess.CompletedProcess[str]:
    code = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"
    return subprocess.run(
        [sys.executable, "-c", code, "pyproject.toml", "--no-cache", "--no-logo"],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(cwd)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _contracts() -> list[dict[str, object]]:
    with (ROOT / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)["tool"]["importlinter"]["contracts"]


def test_the_layer_contracts_are_kept() -> None:
    done = _lint(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"Contracts: {len(_contracts())} kept, 0 broken." in done.stdout


def test_the_domain_contract_covers_every_domain_module() -> None:
    """A new module of `bot` is domain unless it is added to WIRING: it must be in the contract."""
    domain = next(c for c in _contracts() if str(c["name"]).startswith("The domain"))
    listed = set(domain["source_modules"])  # type: ignore[arg-type]
    top = {f"bot.{m.name}" for m in pkgutil.iter_modules(bot.__path__)}
    assert listed == top - WIRING


def test_a_broken_rule_fails_the_lint(tmp_path: Path) -> None:
    """The contracts have teeth: a copy of the code with one forbidden import per rule fails each of them."""
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    (tmp_path / "bot" / "i18n.py").write_text(
        (ROOT / "bot" / "i18n.py").read_text(encoding="utf-8") + "\nimport sqlite3  # noqa\n", encoding="utf-8"
    )
    (tmp_path / "storage" / "leak.py").write_text("from handlers import ui  # noqa\n", encoding="utf-8")
    (tmp_path / "scheduler" / "leak.py").write_text("import handlers.menu  # noqa\n", encoding="utf-8")
    (tmp_path / "scheduler" / "talks.py").write_text("from aiogram import Bot  # noqa\n", encoding="utf-8")
    (tmp_path / "handlers" / "max" / "mixed.py").write_text("from aiogram import Bot  # noqa\n", encoding="utf-8")
    done = _lint(tmp_path)
    assert done.returncode != 0
    for contract in _contracts():
        assert f"{contract['name']} BROKEN" in done.stdout, done.stdout
    assert "bot.i18n -> sqlite3" in done.stdout
    assert "scheduler.talks -> aiogram" in done.stdout
    assert "handlers.max.mixed -> aiogram" in done.stdout
