"""Server time of the report pages and the agent queue on the benchmark workspace
(DESIGN §9: dashboard p95 ≤ 150 ms, queue p95 ≤ 50 ms).

    DESTEK_DATA_DIR=… python bench/pages.py [-n 40]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench1m python bench/pages.py

Needs the workspace built by bench/generate.py. Each page is requested in-process through
Django's test client (the whole middleware stack, templates included, no network), a few times
to warm up and then ``-n`` times; the table shows the median and 95th percentile of the wall
time, the median CPU time of this process (on SQLite that includes the database's own work, and
it does not grow when other jobs compete for the CPU) and the number of queries of one request.
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
from django.contrib.auth.models import update_last_login  # noqa: E402
from django.contrib.auth.signals import user_logged_in  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from destek.accounts.models import User  # noqa: E402
from destek.reports.pages import REPORTS  # noqa: E402

SLUG = "bench"
WARM_UP = 3


def pages() -> list[tuple[str, str, str]]:
    """(label, who, url): the owner reads the numbers, an agent works the queue."""
    owner, agent = "patron@bench.test", "temsilci01@bench.test"
    base = f"/w/{SLUG}"
    rows = [("dashboard (30 days)", owner, f"{base}/dashboard/")]
    rows += [(f"report {name} (30 days)", owner, f"{base}/reports/{name}/") for name in REPORTS]
    rows += [
        (f"report {name} (90 days)", owner, f"{base}/reports/{name}/?period=90d")
        for name in REPORTS
    ]
    rows += [
        ("dashboard, one agent's own", agent, f"{base}/dashboard/"),
        ("agent queue (50 rows)", agent, f"{base}/tickets/"),
    ]
    return rows


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(client: Client, url: str, repeat: int) -> tuple[float, float, float, int]:
    for _ in range(WARM_UP):
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
    queries: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    times, cpu = [], []
    for _ in range(repeat):
        began, began_cpu = time.perf_counter(), time.process_time()
        client.get(url)
        times.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
    return statistics.median(times), percentile(times, 0.95), statistics.median(cpu), len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=40, help="measured requests per page")
    parser.add_argument(
        "--only", help="only the pages whose label contains this text (e.g. 'dashboard')"
    )
    parser.add_argument("--skip", help="leave out the pages whose label contains this text")
    args = parser.parse_args()
    # Sessions in signed cookies and no last-login stamp: measuring writes nothing, so it runs
    # beside another job that holds the (shared) SQLite database's write lock.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    user_logged_in.disconnect(update_last_login)
    clients: dict[str, Client] = {}
    print(f"database: {connection.vendor}, {args.n} requests per page after {WARM_UP} warm-ups")
    print("| page | p50 ms | p95 ms | CPU p50 ms | queries |")
    print("|---|---:|---:|---:|---:|")
    for label, who, url in pages():
        if (args.only and args.only not in label) or (args.skip and args.skip in label):
            continue
        if who not in clients:
            clients[who] = Client(HTTP_HOST="127.0.0.1")
            clients[who].force_login(User.objects.get(email=who))
        p50, p95, cpu, count = measure(clients[who], url, args.n)
        print(f"| {label} | {p50:.0f} | {p95:.0f} | {cpu:.0f} | {count} |", flush=True)


if __name__ == "__main__":
    main()
