"""What SSS search and suggestions cost: p50/p95 of ``public_search`` and ``suggest`` over a
workspace with ``-n`` published articles (DESIGN §9: full-text search p95 ≤ 100 ms), in a
throw-away database:

    python bench/kb_search.py [-n 2000] [--queries 300]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kb_bench python bench/kb_search.py
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

TOPICS = [
    "ödeme",
    "kart",
    "taksit",
    "havale",
    "fatura",
    "sipariş",
    "kargo",
    "teslimat",
    "iade",
    "iptal",
    "değişim",
    "şifre",
    "üyelik",
    "e-posta",
    "imap",
    "smtp",
    "outlook",
    "iphone",
    "android",
    "kampanya",
    "kupon",
    "indirim",
    "stok",
    "beden",
    "renk",
    "garanti",
    "servis",
    "kurulum",
    "site",
    "hız",
    "görsel",
    "önbellek",
    "kvkk",
    "sözleşme",
    "mesafeli",
    "satış",
    "adres",
    "telefon",
]
FILLER = [
    "lütfen",
    "adımları",
    "sırayla",
    "izleyin",
    "ve",
    "sorun",
    "devam",
    "ederse",
    "bize",
    "yazın",
]
QUERIES = ["odeme", "KARGO takip", "iade nasil", "imap 993", "sifre degistirme", "fatura kes"]


def _articles(workspace, count: int, rng: random.Random) -> None:
    """Bulk-insert ``count`` published articles, search columns folded as Article.save does."""
    from destek.kb.models import Article
    from destek.lib.turkish import fold

    rows = []
    for n in range(count):
        title = " ".join(rng.sample(TOPICS, 3)).capitalize()
        body = " ".join(rng.choice(TOPICS + FILLER) for _ in range(180))
        rows.append(
            Article(
                workspace=workspace,
                slug=f"yazi-{n}",
                title=title,
                body=body,
                status="published",
                view_count=rng.randrange(1000),
                search_title=fold(f"{title}\n"),
                search_body=fold(f"{body}\n"),
            )
        )
    Article.objects.bulk_create(rows, batch_size=500)


def _timed(call, queries: list[str]) -> list[float]:
    times = []
    for query in queries:
        started = time.perf_counter()
        call(query)
        times.append((time.perf_counter() - started) * 1000)
    return times


def _report(name: str, times: list[float]) -> None:
    p95 = statistics.quantiles(times, n=20)[-1]
    print(f"  {name:14s} p50 {statistics.median(times):6.1f} ms   p95 {p95:6.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--articles", type=int, default=2000)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    os.environ.setdefault("DESTEK_DATA_DIR", tempfile.mkdtemp(prefix="destek-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "destek.settings")
    import django

    django.setup()
    from django.db import connection

    from destek.accounts.services import create_workspace
    from destek.kb.search import public_search, suggest

    database = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        workspace = create_workspace(
            name="Bench", slug="kbbench", prefix="DST", owner_email="patron@kbbench.test"
        )
        rng = random.Random(6)
        _articles(workspace, args.articles, rng)
        queries = [rng.choice(QUERIES) for _ in range(args.queries)]
        print(f"{connection.vendor}: {args.articles} published articles, {len(queries)} queries")
        _report("search page", _timed(lambda q: public_search(workspace, q), queries))
        _report("suggest (5)", _timed(lambda q: suggest(workspace, q, language="tr"), queries))
    finally:
        connection.creation.destroy_test_db(database, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
