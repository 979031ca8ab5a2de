"""docs/security.md names, for every row of QUALITY.md's security and reliability tables, the tests
that prove it. A test renamed or removed would leave a row unproved without anyone noticing: here
every `path::test` the document names must exist as a test function (or a method of a test class)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.conf import settings

DOC = Path(settings.BASE_DIR) / "docs" / "security.md"
APP = Path(settings.BASE_DIR) / "open12348"
NAMED = re.compile(r"`((?:[\w/]+/)?tests/[\w/]+\.py)::([\w:]+)`")


def named_tests() -> list[tuple[str, str]]:
    return NAMED.findall(DOC.read_text(encoding="utf-8"))


def defined(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test"):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            names |= {f"{node.name}::{item.name}" for item in node.body
                      if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and item.name.startswith("test")}
    return names


def test_the_document_names_tests_for_both_tables():
    text = DOC.read_text(encoding="utf-8")
    assert "## Security, row by row" in text and "## Reliability, row by row" in text
    assert len(named_tests()) > 60


def test_every_test_the_document_names_exists():
    missing = [f"{path}::{name}" for path, name in named_tests()
               if not (APP / path).is_file() or name not in defined(APP / path)]
    assert missing == []
