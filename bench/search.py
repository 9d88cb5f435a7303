"""Server time of full-text search, the agent queue and a ticket page with 200 messages on the
benchmark workspace (DESIGN §9: search p95 ≤ 100 ms, queue p95 ≤ 50 ms, ticket p95 ≤ 80 ms).

    DESTEK_DATA_DIR=… python bench/search.py [-n 40]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench1m python bench/search.py

Needs the workspace built by bench/generate.py and its search index
(``destek manage search_rebuild``: the generator inserts in bulk, past the index). The first
run adds one ticket with 200 messages to the workspace (through the actions, so it is indexed)
and reuses it afterwards. Pages are requested in-process through Django's test client (all
middleware and templates, no network) after a few warm-ups; the table shows the median, the
95th percentile and the queries of one request.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "destek.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from destek.accounts.models import User, Workspace  # noqa: E402
from destek.search.engines import engine  # noqa: E402
from destek.search.query import search_terms  # noqa: E402
from destek.tickets import actions  # noqa: E402
from destek.tickets.models import Ticket  # noqa: E402

SLUG = "bench"
AGENT = "temsilci01@bench.test"
LONG_SUBJECT = "bench: 200 mesajlık yazışma"
WARM_UP = 3

# Two-word queries as agents type them: without Turkish letters, word starts, common and rare.
TWO_WORDS = [
    "odeme kart",
    "siparis kargo",
    "fatura hata",
    "iade talebi",
    "sifre sifirlama",
    "kupon kodu",
    "urun gorsel",
    "toptan fiyat",
    "yanlis urun",
    "odeme yavas",
]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(client: Client, urls: list[str], repeat: int) -> tuple[float, float, int]:
    """p50, p95 (ms) over ``repeat`` requests cycling through ``urls``, and the query count of
    the first url."""
    for url in urls[:WARM_UP]:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
    queries: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(urls[0])
    times = []
    for index in range(repeat):
        began = time.perf_counter()
        client.get(urls[index % len(urls)])
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), percentile(times, 0.95), len(queries)


def engine_only(workspace: Workspace, repeat: int) -> tuple[float, float]:
    """p50, p95 (ms) of the index lookup alone (the ids of the newest 26 matches)."""
    index = engine()
    times = []
    for index_of_run in range(repeat + WARM_UP):
        terms = search_terms(TWO_WORDS[index_of_run % len(TWO_WORDS)])
        began = time.perf_counter()
        index.match(workspace.pk, terms, include_notes=True, before=None, limit=26)
        if index_of_run >= WARM_UP:
            times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), percentile(times, 0.95)


def long_ticket(workspace: Workspace) -> Ticket:
    """The workspace's ticket with 200 messages, written once through the actions."""
    found = Ticket.objects.filter(workspace=workspace, subject=LONG_SUBJECT).first()
    if found is not None:
        return found
    agent = User.objects.get(email=AGENT)
    customer = Ticket.objects.filter(workspace=workspace).order_by("pk").first().customer
    ticket = actions.create_ticket(
        workspace=workspace, customer=customer, subject=LONG_SUBJECT, text="İlk mesaj."
    )
    for index in range(1, 200):
        if index % 2:
            actions.reply(
                ticket=ticket, actor=agent, text=f"Yanıt {index}: ödeme kontrol ediliyor."
            )
        else:
            actions.add_customer_message(
                ticket=ticket, customer=customer, text=f"Müşteri {index}: hâlâ bekliyorum."
            )
    return ticket


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=40, help="measured requests per row")
    args = parser.parse_args()
    workspace = Workspace.objects.get(slug=SLUG)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(email=AGENT))
    base = f"/w/{SLUG}"
    ticket = long_ticket(workspace)
    search = [f"{base}/search/?{urlencode({'q': q})}" for q in TWO_WORDS]
    rows = [
        ("search, two words (10 queries)", search),
        ("search, two words + status open", [f"{url}&status=open" for url in search]),
        ("search, one rare word", [f"{base}/search/?q=sifirlayamiyorum"]),
        ("agent queue (50 rows)", [f"{base}/tickets/"]),
        ("ticket page, 200 messages", [f"{base}/t/{ticket.number}/"]),
    ]
    tickets = Ticket.objects.filter(workspace=workspace).count()
    print(f"database: {connection.vendor}, {tickets:,} tickets, {args.n} requests per row")
    print("| page | p50 ms | p95 ms | queries |")
    print("|---|---:|---:|---:|")
    p50, p95 = engine_only(workspace, args.n)
    print(f"| index lookup only, two words | {p50:.1f} | {p95:.1f} | 1–3 |", flush=True)
    for label, urls in rows:
        p50, p95, count = timed(client, urls, args.n)
        print(f"| {label} | {p50:.0f} | {p95:.0f} | {count} |", flush=True)


if __name__ == "__main__":
    main()
