"""Server time of the REST API on the benchmark workspace: the ticket list (50 rows), one
ticket, its messages, the customer list, and every report at once for the owner.

    DESTEK_DATA_DIR=… python bench/api.py [-n 40]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench1m python bench/api.py

Needs the workspace built by bench/generate.py. Requests go in-process through Django's test
client (middleware, token check, serialisation; no network) with API tokens made for the run and
deleted after it; the table shows the median, the 95th percentile and the queries of one call.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "destek.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from destek.accounts.models import Membership  # noqa: E402
from destek.api.models import ApiToken  # noqa: E402
from destek.tickets.models import Ticket  # noqa: E402

SLUG = "bench"
WARM_UP = 3


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(client: Client, url: str, token: str, repeat: int) -> tuple[float, float, int]:
    headers = {"Authorization": f"Bearer {token}"}
    for _ in range(WARM_UP):
        response = client.get(url, headers=headers)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
    queries: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url, headers=headers)
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        client.get(url, headers=headers)
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), percentile(times, 0.95), len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=40, help="measured requests per call")
    args = parser.parse_args()
    settings.API_RATE_LIMIT_PER_MINUTE = 10**9
    members = Membership.objects.filter(workspace__slug=SLUG)
    agent = members.get(user__email="temsilci01@bench.test")
    owner = members.get(user__email="patron@bench.test")
    tokens = {
        "agent": ApiToken.issue(membership=agent, name="bench", scopes=["read"]),
        "owner": ApiToken.issue(membership=owner, name="bench", scopes=["read"]),
    }
    number = (
        Ticket.objects.filter(workspace__slug=SLUG)
        .order_by("-number")
        .values_list("number", flat=True)[100]
    )
    calls = [
        ("tickets, open queue (50 rows)", "agent", "/api/v1/tickets?limit=50"),
        ("tickets, all, P1 (50 rows)", "agent", "/api/v1/tickets?queue=all&priority=P1&limit=50"),
        ("one ticket", "agent", f"/api/v1/tickets/{number}"),
        ("its messages", "agent", f"/api/v1/tickets/{number}/messages"),
        ("customers (50 rows)", "agent", "/api/v1/customers?limit=50"),
        ("every report (30 days)", "owner", "/api/v1/reports"),
    ]
    client = Client(HTTP_HOST="127.0.0.1")
    try:
        print(f"database: {connection.vendor}, {args.n} requests per call after {WARM_UP} warm-ups")
        print("| call | p50 ms | p95 ms | queries |")
        print("|---|---:|---:|---:|")
        for label, who, url in calls:
            p50, p95, count = measure(client, url, tokens[who][1], args.n)
            print(f"| {label} | {p50:.0f} | {p95:.0f} | {count} |", flush=True)
    finally:
        for token, _raw in tokens.values():
            token.delete()


if __name__ == "__main__":
    main()
