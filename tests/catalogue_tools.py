"""Reading the message catalogue and the code that uses it, for tests/test_catalogue.py and tests/test_voice.py."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

from fluent.syntax import FluentParser
from fluent.syntax import ast as ftl
from fluent.syntax.visitor import Visitor

from bot.i18n import LOCALES_DIR, Audience

ROOT = Path(__file__).resolve().parent.parent
CODE_DIRS = ("bot", "handlers", "scheduler", "storage")
AUDIENCE_LINE = re.compile(r"^audience:\s*(.*)$")


@dataclass
class Message:
    id: str
    file: str
    variables: set[str]
    #: Variables a select expression chooses on, with the keys of its variants (numbers for plurals).
    selectors: dict[str, set[str]]
    audiences: tuple[Audience, ...]
    line: int = 0


class _Variables(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.variables: set[str] = set()
        self.selectors: dict[str, set[str]] = {}

    def visit_VariableReference(self, node: ftl.VariableReference) -> None:
        self.variables.add(node.id.name)

    def visit_SelectExpression(self, node: ftl.SelectExpression) -> None:
        if isinstance(node.selector, ftl.VariableReference):
            keys = self.selectors.setdefault(node.selector.id.name, set())
            for variant in node.variants:
                key = variant.key
                keys.add(key.value if isinstance(key, ftl.NumberLiteral) else key.name)
        self.generic_visit(node)


def catalogue() -> dict[str, Message]:
    """Every message of every .ftl file, with its placeholders and the audiences its group comment declares."""
    parser = FluentParser(with_spans=True)
    messages: dict[str, Message] = {}
    for path in sorted(LOCALES_DIR.glob("*.ftl")):
        source = path.read_text(encoding="utf-8")
        resource = parser.parse(source)
        audiences: tuple[Audience, ...] = ()
        for entry in resource.body:
            if isinstance(entry, ftl.Junk):
                raise AssertionError(f"{path.name}: cannot parse {entry.content[:80]!r}: {entry.annotations}")
            if isinstance(entry, ftl.GroupComment):
                found = AUDIENCE_LINE.match(entry.content.strip())
                audiences = tuple(Audience(word) for word in found.group(1).split()) if found else ()
            if isinstance(entry, ftl.Message):
                seen = _Variables()
                seen.visit(entry)
                line = source.count("\n", 0, entry.span.start) + 1 if entry.span else 0
                messages[entry.id.name] = Message(
                    entry.id.name, path.name, seen.variables, seen.selectors, audiences, line
                )
    return messages


@dataclass
class Use:
    file: str
    line: int
    msg_id: str | None  # None: the id is computed
    prefix: str | None  # the literal start of an f-string id
    keywords: set[str] | None  # None: **kwargs passed


@dataclass
class CodeScan:
    strings: set[str] = field(default_factory=set)
    prefixes: set[str] = field(default_factory=set)
    calls: list[Use] = field(default_factory=list)


def scan_code() -> CodeScan:
    """String literals, f-string prefixes and `tr(...)` calls in the product's code."""
    scan = CodeScan()
    for folder in CODE_DIRS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            rel = str(path.relative_to(ROOT))
            for node in ast.walk(tree):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    scan.strings.add(node.value)
                elif isinstance(node, ast.JoinedStr):
                    prefix = _prefix(node)
                    if prefix:
                        scan.prefixes.add(prefix)
                elif isinstance(node, ast.Call) and _is_tr(node) and node.args:
                    first = node.args[0]
                    keywords = None if any(k.arg is None for k in node.keywords) else {k.arg for k in node.keywords}
                    literal = first.value if isinstance(first, ast.Constant) else None
                    prefix = _prefix(first) if isinstance(first, ast.JoinedStr) else None
                    scan.calls.append(Use(rel, node.lineno, literal, prefix, keywords))  # type: ignore[arg-type]
    return scan


def _is_tr(node: ast.Call) -> bool:
    return (isinstance(node.func, ast.Name) and node.func.id == "tr") or (
        isinstance(node.func, ast.Attribute) and node.func.attr == "tr"
    )


def _prefix(node: ast.JoinedStr) -> str | None:
    if node.values and isinstance(node.values[0], ast.Constant) and isinstance(node.values[0].value, str):
        return node.values[0].value
    return None
