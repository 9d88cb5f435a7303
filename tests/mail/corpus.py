"""The shared Zammad mail corpus: where it lives, how to read its expectations.

The corpus is AGPL test data kept beside the repository (``<repo>/../shared/corpus/
zammad-mail``), never inside it. Without it the corpus tests skip — except in CI
(``CI=true``) or with ``DESTEK_REQUIRE_SERVICES=1``, where a missing corpus fails instead of
passing as a skip.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path
from typing import Any

import pytest
import yaml

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "zammad-mail"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
_UNSET = {"", "0", "false", "no", "off"}


def corpus_boxes() -> list[Path | None]:
    """Every ``mailNNN*.box`` of the main folder (``newer-upstream/`` follows newer Zammad
    rules and is left out); ``[None]`` when the corpus is absent, so the test still runs and
    reports why."""
    return sorted(CORPUS.glob("mail*.box")) or [None]


def require_corpus(box: Path | None = None) -> Path:
    """The given message (or the corpus folder), skipping or failing when it isn't there."""
    if box is not None and box.is_file():
        return box
    if box is None and any(CORPUS.glob("mail*.box")):
        return CORPUS
    reason = f"the shared Zammad mail corpus is not at {CORPUS}"
    if _is_set("CI") or _is_set("DESTEK_REQUIRE_SERVICES"):
        pytest.fail(f"{reason} (required in CI)")
    pytest.skip(reason)


def _is_set(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() not in _UNSET


def box_id(box: Path | None) -> str:
    return box.stem if box is not None else "corpus-missing"


class _PsychLoader(yaml.SafeLoader):
    """Reads the YAML that Ruby's Psych wrote: ``!ruby/hash:…`` is a mapping, ``!binary`` is
    base64-encoded bytes."""


def _ruby_hash(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[Any, Any]:
    return loader.construct_mapping(node, deep=True)


def _binary(loader: yaml.SafeLoader, node: yaml.Node) -> bytes:
    return base64.b64decode(loader.construct_scalar(node))


_PsychLoader.add_multi_constructor("!ruby/hash:", _ruby_hash)
_PsychLoader.add_constructor("!binary", _binary)


def expected(box: Path) -> dict[str, Any]:
    """Zammad's expected parse result for ``box`` (the ``.yml`` beside it)."""
    with box.with_suffix(".yml").open("rb") as handle:
        return yaml.load(handle, Loader=_PsychLoader)
