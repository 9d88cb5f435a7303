"""``destek smtpd [--listen HOST:PORT]``: Destek's own SMTP receiver (DESIGN §5, §10)."""

from __future__ import annotations

import signal
import threading
from argparse import ArgumentParser

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from destek.mail import smtpd


class Command(BaseCommand):
    help = (
        "Receive mail over SMTP for the active mailboxes' addresses and turn it into tickets "
        "(other recipients get 550). Stops on SIGTERM or Ctrl-C."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--listen",
            default=settings.SMTPD_LISTEN or "127.0.0.1:2525",
            help="HOST:PORT to listen on (default: DESTEK_SMTPD_LISTEN, else 127.0.0.1:2525)",
        )

    def handle(self, *args: object, **options: object) -> None:
        try:
            host, port = smtpd.parse_listen(str(options["listen"]))
        except ValueError as exc:
            raise CommandError(f"--listen: {exc}") from exc
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda signum, frame: stop.set())
        try:
            controller = smtpd.start(host, port)
        except OSError as exc:
            raise CommandError(
                f"cannot listen on {host}:{port}: {exc.strerror or exc} "
                "(set DESTEK_SMTPD_LISTEN or --listen to another address)"
            ) from exc
        self.stdout.write(f"Destek SMTP receiver listening on {host}:{port}", ending="\n")
        self.stdout.flush()
        try:
            stop.wait()
        finally:
            controller.stop()
        self.stdout.write("Destek SMTP receiver stopped.")
