"""Every template of the project keeps to what the Content Security Policy allows (settings
CONTENT_SECURITY_POLICY): scripts and styles come from files, so a template may not contain an
inline <script> without the request's nonce, an on*= event handler, a <style> element or a style="..."
attribute, nor an htmx hx-on attribute (htmx evaluates it as code). A new template that does fails here
instead of in a browser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR) / "open12348"
TEMPLATES = sorted(p for p in ROOT.rglob("templates/**/*.html"))

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
STYLE_TAG = re.compile(r"<style\b([^>]*)>", re.IGNORECASE)
# An attribute named on<something> inside a tag, e.g. onchange="..." or onclick='...'.
EVENT_HANDLER = re.compile(r"<[a-zA-Z][^>]*\s(on[a-z]+)\s*=", re.IGNORECASE | re.DOTALL)
STYLE_ATTRIBUTE = re.compile(r"<[a-zA-Z][^>]*\sstyle\s*=", re.IGNORECASE | re.DOTALL)
HX_ON = re.compile(r"\shx-on(?:[:\-][\w:-]*)?\s*=", re.IGNORECASE)
ALPINE = re.compile(r"\s(?:x-data|x-show|x-on:[\w-]+|x-bind:[\w-]+|x-model|@click)\s*=", re.IGNORECASE)


def problems(text: str) -> list[str]:
    found = []
    for match in SCRIPT_TAG.finditer(text):
        attributes = match.group(1)
        if not re.search(r"\ssrc\s*=", attributes) and "nonce=" not in attributes \
                and not re.search(r"type=[\"']application/(ld\+)?json", attributes):
            found.append(f"inline <script{attributes}> without a nonce")
    for match in STYLE_TAG.finditer(text):
        if "nonce=" not in match.group(1):
            found.append("<style> element")
    found += [f"{m.group(1)}= event handler" for m in EVENT_HANDLER.finditer(text)]
    found += ["style= attribute" for _ in STYLE_ATTRIBUTE.finditer(text)]
    found += ["hx-on attribute (evaluated as code)" for _ in HX_ON.finditer(text)]
    found += ["Alpine.js attribute (needs 'unsafe-eval')" for _ in ALPINE.finditer(text)]
    return found


def test_the_scan_finds_templates():
    assert len(TEMPLATES) > 100


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_template_keeps_to_the_content_security_policy(path):
    assert problems(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("snippet", [
    "<script>alert(1)</script>",
    '<script type="text/javascript">x()</script>',
    '<select name="a" onchange="this.form.submit()">',
    '<a href="#"\n   onclick="go()">',
    '<div class="x" style="width: 10%">',
    "<style>.a{}</style>",
    """<select hx-get="/x" hx-on::before-request="f()">""",
    """<form x-data="{ a: 1 }">""",
])
def test_the_scan_catches_each_kind_of_inline_code(snippet):
    assert problems(snippet) != []


@pytest.mark.parametrize("snippet", [
    '<script src="/static/js/behaviour.js" defer></script>',
    '<script nonce="{{ request.csp_nonce }}">x()</script>',
    '<script id="data" type="application/json">{"a": 1}</script>',
    '<select name="a" data-autosubmit data-online="1">',
    '<p>Call us online="yes"</p>',
])
def test_the_scan_allows_what_the_policy_allows(snippet):
    assert problems(snippet) == []
