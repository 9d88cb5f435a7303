"""Every template keeps to the Content-Security-Policy (destek/lib/security_headers.py): no
inline script, no on…= handler, no hx-on (htmx would have to eval it). Behaviour goes in
destek/static/destek/destek.js behind data attributes. New templates are scanned too."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "destek"
TEMPLATES = sorted(PACKAGE.rglob("templates/**/*.html"))
TAG = re.compile(r"<[a-zA-Z][^<>]*>", re.S)
HANDLER = re.compile(r"""\s(on[a-z]+|hx-on[\w:.-]*)\s*=""", re.I)
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.I)


def problems(text: str) -> list[str]:
    found = [f"inline script {m.group(0)!r}" for m in INLINE_SCRIPT.finditer(text)]
    for tag in TAG.finditer(text):
        found += [
            f"handler {m.group(1)!r} in {tag.group(0)[:60]!r}"
            for m in HANDLER.finditer(tag.group(0))
        ]
        found += [
            f"javascript: URL in {tag.group(0)[:60]!r}" for m in JS_URL.finditer(tag.group(0))
        ]
    return found


def test_the_scan_finds_what_it_is_for():
    assert len(TEMPLATES) > 30
    assert problems('<form onsubmit="return confirm(1)">') == [
        "handler 'onsubmit' in '<form onsubmit=\"return confirm(1)\">'"
    ]
    assert problems("<a hx-get='/x' hx-on::after-request='go()'>")[0].startswith("handler 'hx-on")
    assert problems("<script>alert(1)</script>") == ["inline script '<script>'"]
    assert problems('<a href="javascript:alert(1)">')[0].startswith("javascript: URL")
    assert problems('<script src="/static/x.js" defer></script><p>on=1 is text</p>') == []


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_template_has_no_inline_script(path):
    assert problems(path.read_text(encoding="utf-8")) == []
