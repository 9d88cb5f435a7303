"""How many messages per second ``destek.mail.parse.parse_email`` handles (DESIGN §9).

Parses every ``*.box``/``*.eml`` file of a folder (by default the shared Zammad corpus beside
the repository, ``../shared/corpus/zammad-mail``) N times on one core and prints the rate, once
over all messages and once over the "typical" ones (under 10 kB, like most support mail). For
scale it also times the stdlib alone on the typical ones: ``compat32`` without any decoding
(the floor), and ``policy.default`` reading the same headers and body (the slow path we avoid).

    python bench/parse_bench.py [FOLDER] [-n ROUNDS]
"""

from __future__ import annotations

import argparse
import email
import sys
import time
from collections.abc import Callable
from email import policy
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from destek.mail.parse import parse_email  # noqa: E402

DEFAULT_FOLDER = REPO.parent / "shared" / "corpus" / "zammad-mail"
TYPICAL_SIZE = 10_000


def load(folder: Path) -> list[bytes]:
    paths = sorted([*folder.glob("*.box"), *folder.glob("*.eml")])
    return [path.read_bytes() for path in paths]


def rate(
    messages: list[bytes], rounds: int, parse: Callable[[bytes], object] = parse_email
) -> tuple[float, float]:
    """Messages per second and milliseconds per message."""
    started = time.perf_counter()
    for _ in range(rounds):
        for raw in messages:
            parse(raw)
    elapsed = time.perf_counter() - started
    count = len(messages) * rounds
    return count / elapsed, elapsed / count * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("-n", "--rounds", type=int, default=20)
    args = parser.parse_args()
    messages = load(args.folder)
    if not messages:
        print(f"no .box or .eml files in {args.folder}", file=sys.stderr)
        return 1
    typical = [raw for raw in messages if len(raw) < TYPICAL_SIZE]
    rate(messages, 1)  # warm-up: imports, regex compilation, codec lookups
    for label, group in (("all", messages), (f"under {TYPICAL_SIZE // 1000} kB", typical)):
        if not group:
            continue
        per_second, ms = rate(group, args.rounds)
        size = sum(map(len, group)) // len(group)
        print(
            f"{label:>10}: {len(group):4d} messages, mean {size:7d} bytes: "
            f"{per_second:8.0f} messages/s ({ms:.3f} ms each)"
        )
    for label, parse in (("compat32 only", _stdlib_floor), ("policy.default", _stdlib_default)):
        per_second, ms = rate(typical, args.rounds, parse)
        print(f"{label:>15} (typical): {per_second:8.0f} messages/s ({ms:.3f} ms each)")
    return 0


def _stdlib_floor(raw: bytes) -> object:
    return email.message_from_bytes(raw, policy=policy.compat32)


def _stdlib_default(raw: bytes) -> object:
    message = email.message_from_bytes(raw, policy=policy.default)
    fields = [message[name] for name in ("from", "to", "cc", "subject", "date", "message-id")]
    body = message.get_body(("plain", "html"))
    try:
        content = body.get_content() if body is not None else ""
    except (LookupError, ValueError):  # mail060's unknown charset
        content = ""
    return fields, content


if __name__ == "__main__":
    raise SystemExit(main())
