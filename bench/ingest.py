"""Messages per second through parse + thread + store (DESIGN §9: ≥ 1,000/s on SQLite).

Generates realistic Turkish support mail into a fresh database and workspace — new requests,
replies threaded by In-Reply-To, by the signed Message-ID of our acknowledgement and by the
tracking code in the subject, some with attachments or an HTML part — and runs every message
through ``ingest.receive_many`` + ``ingest.process_many`` in batches exactly as ``destek ingest``
does with many files and the IMAP poller with each FETCH (up to 50): each batch is committed raw
before it is processed, then processed in one transaction (``--batch 1``: one message at a time,
as a single mail arriving under IDLE or through the MTA pipe).

    python bench/ingest.py [-n 5000] [--profile]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ingest_bench python bench/ingest.py

The database is a throw-away test database (``test_…``) created and dropped by the run; with
SQLite it lives in a temporary data directory.
"""

from __future__ import annotations

import argparse
import cProfile
import logging
import os
import pstats
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from email.message import EmailMessage
from email.utils import format_datetime
from itertools import pairwise
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

FIRST = ["Ayşe", "Mehmet", "Zeynep", "Mustafa", "Elif", "Ahmet", "Gülşen", "Çağrı", "Hakan",
         "Şule", "Özge", "İsmail", "Büşra", "Oğuz", "Ümit", "Derya", "Serkan", "Işıl"]  # fmt: skip
LAST = ["Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Öztürk", "Aydın", "Arslan",
        "Doğan", "Kılıç", "Aslan", "Çetin", "Koç", "Kurt", "Özdemir"]  # fmt: skip
DOMAINS = ["gmail.com", "hotmail.com", "yandex.com.tr", "outlook.com", "kaya-insaat.com.tr",
           "ornek-market.com.tr", "yurt-tekstil.com.tr", "icloud.com"]  # fmt: skip
SUBJECTS = [
    "Kredi kartıyla ödeme alamıyorum",
    "Siparişim hâlâ kargoya verilmedi",
    "Fatura bilgilerimde hata var",
    "İade talebim hakkında",
    "Sitede ürün görselleri açılmıyor",
    "Kupon kodu çalışmıyor",
    "Toptan fiyat listesi rica ediyorum",
    "Şifremi sıfırlayamıyorum",
    "Yanlış ürün gönderildi",
    "Ödeme sayfası çok yavaş açılıyor",
]
SENTENCES = [
    "Merhaba, dün verdiğim siparişle ilgili yazıyorum.",
    "Ödeme adımında kartım reddedildi ama bankam sorun olmadığını söylüyor.",
    "Sipariş numaram 2024-{n} ve kargo takip numarası henüz gelmedi.",
    "Ekte ekran görüntüsünü gönderiyorum, hata mesajı açıkça görünüyor.",
    "Faturadaki vergi numaramız yanlış yazılmış, düzeltilmiş fatura rica ederiz.",
    "Ürün paketten hasarlı çıktı, değişim yapabilir misiniz?",
    "Mobil uygulamada sepete eklediğim ürünler kayboluyor.",
    "Geçen hafta da aynı sorunu yaşamıştım, tekrar ediyor.",
    "Müşterilerimiz şikâyet ediyor, acil dönüş yapabilirseniz seviniriz.",
    "İyi çalışmalar dilerim.",
]
ADDRESS = "destek@anadolukahve.com.tr"


def _paragraphs(rng: random.Random) -> str:
    count = rng.randint(2, 6)
    lines = [rng.choice(SENTENCES).format(n=rng.randint(1000, 9999)) for _ in range(count)]
    return "\n\n".join(lines) + "\n"


def _mail(
    rng: random.Random,
    *,
    sender: tuple[str, str],
    subject: str,
    message_id: str,
    text: str,
    in_reply_to: str | None = None,
) -> bytes:
    msg = EmailMessage()
    msg["From"] = f"{sender[0]} <{sender[1]}>"
    msg["To"] = f"Anadolu Kahve Destek <{ADDRESS}>"
    msg["Subject"] = subject
    msg["Date"] = format_datetime(time_now())
    msg["Message-ID"] = f"<{message_id}>"
    if in_reply_to:
        msg["In-Reply-To"] = f"<{in_reply_to}>"
        msg["References"] = f"<{in_reply_to}>"
    msg.set_content(text)
    if rng.random() < 0.3:
        html = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
        msg.add_alternative(f"<html><body>{html}</body></html>", subtype="html")
    if rng.random() < 0.1:
        data = rng.randbytes(rng.randint(5_000, 60_000))
        name = rng.choice(["ekran-görüntüsü.png", "fatura-2024.pdf", "sipariş özeti.pdf"])
        maintype, subtype = ("image", "png") if name.endswith(".png") else ("application", "pdf")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg.as_bytes()


def time_now():
    from django.utils import timezone

    return timezone.now().replace(microsecond=0)


def generate(count: int, workspace_id: int, seed: int = 20240318) -> list[bytes]:
    """``count`` mails: ~60 % new requests, the rest replies threaded by In-Reply-To (25 %), by
    our acknowledgement's signed Message-ID (5 %) or by the code in the subject (10 %).

    Ticket numbers are predictable because the database is fresh: the k-th new request becomes
    ticket k (its primary key too)."""
    from destek.mail.tokens import make_message_id

    rng = random.Random(seed)
    customers = [
        (f"{rng.choice(FIRST)} {rng.choice(LAST)}", f"musteri{n}@{rng.choice(DOMAINS)}")
        for n in range(count // 3)
    ]
    tickets: list[tuple[int, tuple[str, str], str, str]] = []  # number, sender, subject, last id
    mails = []
    for n in range(count):
        kind = rng.random()
        if not tickets or kind < 0.6:
            sender, subject = rng.choice(customers), rng.choice(SUBJECTS)
            message_id = f"yeni.{n}@{sender[1].split('@')[1]}"
            mails.append(_mail(rng, sender=sender, subject=subject, message_id=message_id,
                               text=_paragraphs(rng)))  # fmt: skip
            tickets.append((len(tickets) + 1, sender, subject, message_id))
            continue
        index = rng.randrange(len(tickets))
        number, sender, subject, last_id = tickets[index]
        quoted = "".join(f"> {line}\n" for line in _paragraphs(rng).splitlines())
        text = f"{rng.choice(SENTENCES)}\n\n{number} tarihinde Destek şunu yazdı:\n{quoted}"
        message_id = f"yanit.{n}@{sender[1].split('@')[1]}"
        if kind < 0.85:
            mail = _mail(rng, sender=sender, subject=f"Re: {subject}", message_id=message_id,
                         text=text, in_reply_to=last_id)  # fmt: skip
        elif kind < 0.9:
            ack = make_message_id(workspace_id=workspace_id, ticket_id=number, domain="x.test")
            mail = _mail(rng, sender=sender, subject=f"Re: {subject}", message_id=message_id,
                         text=text, in_reply_to=ack)  # fmt: skip
        else:
            mail = _mail(rng, sender=sender, subject=f"Re: [DST-{number}] {subject}",
                         message_id=message_id, text=text)  # fmt: skip
        tickets[index] = (number, sender, subject, message_id)
        mails.append(mail)
    return mails


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--messages", type=int, default=5000)
    parser.add_argument(
        "--profile",
        action="store_true",
        help="print the top functions by cumulative and by own time",
    )
    parser.add_argument(
        "--profile-out",
        metavar="FILE",
        help="with --profile: also write the whole profile to FILE (pstats), for print_callers",
    )
    parser.add_argument(
        "--queries", action="store_true", help="print the SQL of message 100 (a new ticket)"
    )
    parser.add_argument(
        "--sql-times",
        action="store_true",
        help="time every statement and print the costliest kinds, per message",
    )
    parser.add_argument(
        "--core",
        action="store_true",
        help="without the receivers of ticket signals (SLA clocks, agent notifications), to "
        "see what they cost",
    )
    parser.add_argument(
        "--batch",
        type=int,
        default=200,
        help=(
            "messages stored and processed per transaction, 200 as `destek ingest` and the IMAP "
            "fetch (1: one at a time, as a lone mail)"
        ),
    )
    args = parser.parse_args()
    logging.disable(logging.INFO)  # one "new by rule …" line per message is not what we measure
    data_dir = tempfile.mkdtemp(prefix="destek-bench-")
    os.environ["DESTEK_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "destek.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.MEDIA_ROOT = Path(data_dir) / "files"
    database = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        return run(args, database, CaptureQueriesContext)
    finally:
        connection.creation.destroy_test_db(database, verbosity=0)
        shutil.rmtree(data_dir, ignore_errors=True)  # the attachments and the job queue


def run(args: argparse.Namespace, database: str, capture) -> int:
    from django.db import connection
    from django.dispatch import Signal

    from destek.accounts.services import create_workspace
    from destek.lib.process import settle_after_startup
    from destek.mail import ingest
    from destek.mail.models import InboundEmail, Mailbox
    from destek.mail.parse import parse_email
    from destek.tickets.models import Ticket

    workspace = create_workspace(
        name="Anadolu Kahve", slug="anadolu", prefix="DST", owner_email="patron@anadolu.test"
    )
    mailbox = Mailbox.objects.select_related("workspace").get(
        pk=Mailbox.objects.create(workspace=workspace, address=ADDRESS).pk
    )
    *mails, extra = generate(args.messages + 1, workspace.pk)
    if args.core:
        from destek.tickets import signals

        for signal in vars(signals).values():
            if isinstance(signal, Signal):
                signal.receivers.clear()
                signal.sender_receivers_cache.clear()
    size = sum(len(raw) for raw in mails) / len(mails)
    print(f"{connection.vendor} ({database}): {len(mails)} messages, {size / 1000:.1f} kB average")

    started = time.perf_counter()
    for raw in mails[:200]:
        parse_email(raw)
    parse_rate = 200 / (time.perf_counter() - started)

    # As the `destek ingest`, `fetchmail` and `worker` processes do before their first mail.
    settle_after_startup()
    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiler.enable()
    executed = [0]

    sql_times: Counter = Counter()

    def count(execute, sql, params, many, context):
        executed[0] += 1
        if not args.sql_times:
            return execute(sql, params, many, context)
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            sql_times[" ".join(sql.split()[:4])[:70] + (" (many)" if many else "")] += (
                time.perf_counter() - began
            )

    wrapper = connection.execute_wrapper(count)
    wrapper.__enter__()
    cpu_started = time.process_time()  # every thread's, the WAL checkpointer's included
    started = time.perf_counter()
    laps = [started]  # every 1,000 messages: a rate that falls shows a cost growing with size
    for index in range(0, len(mails), args.batch):
        if index and index % 1000 < args.batch:
            laps.append(time.perf_counter())
        batch = mails[index : index + args.batch]
        if args.batch == 1:
            ingest.receive_and_process(mailbox, batch[0], source="pipe")
        else:
            ingest.process_many(ingest.receive_many(mailbox, batch, source="pipe"))
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    wrapper.__exit__(None, None, None)
    if profiler:
        profiler.disable()
    # Timed apart from the profile: a statement's own time, grouped by its first words.
    for statement, seconds in sql_times.most_common(25):
        print(f"  {seconds / len(mails) * 1000:.3f} ms/msg  {statement}")
    # One more message's queries, counted once the workspace has some history.
    with capture(connection) as context:
        ingest.process_many(ingest.receive_many(mailbox, [extra], source="pipe"))
    queries = len(context)
    if args.queries:
        for query in context.captured_queries:
            print("   ", query["sql"][:160])

    outcomes = Counter(InboundEmail.objects.values_list("status", flat=True))
    print(f"  outcomes: {dict(outcomes)}; tickets: {Ticket.objects.count()}")
    print(f"  parse alone: {parse_rate:,.0f} msg/s; queries per message: "
          f"{executed[0] / len(mails):.1f} (a batch of one: {queries})")  # fmt: skip
    laps.append(started + elapsed)
    rates = [min(1000, len(mails) - 1000 * n) / (b - a) for n, (a, b) in enumerate(pairwise(laps))]
    print("  per 1,000 messages: " + ", ".join(f"{r:,.0f}" for r in rates) + " msg/s")
    print(f"  parse + thread + store: {len(mails) / elapsed:,.0f} msg/s "
          f"({elapsed / len(mails) * 1000:.2f} ms per message, {elapsed:.1f} s)")  # fmt: skip
    print(f"  CPU time of the process: {cpu / len(mails) * 1000:.2f} ms per message")
    if profiler:
        stats = pstats.Stats(profiler)
        if args.profile_out:
            stats.dump_stats(args.profile_out)
        stats.sort_stats("cumulative").print_stats(25)
        stats.sort_stats("tottime").print_stats(40)  # where the time itself goes
    return 0


if __name__ == "__main__":
    sys.exit(main())
