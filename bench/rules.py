"""What automation rules cost ingestion: messages per second with no active rule, then with
the three example rules and ``--extra`` more phrase rules switched on.

Same mail and the same batched path as ``bench/ingest.py`` (receive_many + process_many, every
receiver connected), each run in its own throw-away database:

    python bench/rules.py [-n 3000] [--extra 20]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rules_bench python bench/rules.py
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

BATCH = 100


def _workspace(slug: str, address: str):
    from destek.accounts.services import create_workspace
    from destek.mail.models import Mailbox

    workspace = create_workspace(
        name=slug.title(), slug=slug, prefix="DST", owner_email=f"patron@{slug}.test"
    )
    mailbox = Mailbox.objects.create(workspace=workspace, address=address)
    return workspace, Mailbox.objects.select_related("workspace").get(pk=mailbox.pk)


def _switch_on(workspace, extra: int) -> int:
    from destek.automation.models import Rule

    Rule.objects.filter(workspace=workspace).update(is_active=True)
    for index in range(extra):
        Rule.objects.create(
            workspace=workspace,
            name=f"Sözcük kuralı {index}",
            position=10 + index,
            trigger="ticket_created",
            match="any",
            conditions=[
                {"kind": "subject_or_body", "value": [f"yok böyle bir ifade {index}", "zzq"]}
            ],
            actions=[{"kind": "add_tags", "value": ["hic"]}],
        )
    Rule.objects.first().save()  # bumps the cache version once for the bulk update above
    return Rule.objects.filter(workspace=workspace, is_active=True).count()


def _rate(mailbox, mails: list[bytes]) -> float:
    from destek.mail import ingest

    started = time.perf_counter()
    for index in range(0, len(mails), BATCH):
        batch = mails[index : index + BATCH]
        ingest.process_many(ingest.receive_many(mailbox, batch, source="pipe"))
    return len(mails) / (time.perf_counter() - started)


def _check_cost(workspace) -> float:
    """Microseconds per message to decide which rules apply (lookup + matching, no actions),
    over every customer message stored: what rules add to ingestion besides their actions."""
    from destek.automation.cache import rules_for
    from destek.automation.engine import Facts
    from destek.tickets.models import Message

    messages = list(
        Message.objects.filter(workspace=workspace, kind="customer").select_related(
            "ticket__workspace", "customer"
        )
    )
    started = time.perf_counter()
    for message in messages:
        facts = Facts(message.ticket, message, message.created_at)
        for rule in rules_for(workspace.pk, "ticket_created"):
            rule.matches(facts)
    return (time.perf_counter() - started) / len(messages) * 1e6


def _phase(args: argparse.Namespace, rules: bool) -> tuple[int, float, float]:
    """One fresh database, one workspace: (active rules, messages per second, µs to check)."""
    from django.db import connection

    from bench.ingest import ADDRESS, generate

    database = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        workspace, mailbox = _workspace("anadolu", ADDRESS)
        active = _switch_on(workspace, args.extra) if rules else 0
        rate = _rate(mailbox, generate(args.messages, workspace.pk))
        return active, rate, _check_cost(workspace)
    finally:
        connection.creation.destroy_test_db(database, verbosity=0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--messages", type=int, default=3000)
    parser.add_argument("--extra", type=int, default=20, help="phrase rules beyond the examples")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    data_dir = tempfile.mkdtemp(prefix="destek-bench-")
    os.environ["DESTEK_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "destek.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.MEDIA_ROOT = Path(data_dir) / "files"
    try:
        _none, without, check_none = _phase(args, rules=False)
        active, with_rules, check = _phase(args, rules=True)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    print(f"{connection.vendor}: {args.messages} messages, batches of {BATCH}")
    print(f"  no active rule:  {without:8.0f} msg/s, deciding: {check_none:6.1f} µs/message")
    print(f"  {active:2d} active rules: {with_rules:8.0f} msg/s, deciding: {check:6.1f} µs/message")
    return 0


if __name__ == "__main__":
    sys.exit(main())
