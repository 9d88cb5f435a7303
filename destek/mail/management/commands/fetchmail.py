"""``destek fetchmail [--once] [--mailbox ID]``: read new mail from the mailboxes over IMAP."""

from __future__ import annotations

import signal
from argparse import ArgumentParser

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from destek.mail import daemon, poller
from destek.mail.idle import IdleWatchers, Wakeup
from destek.mail.models import Mailbox


class Command(BaseCommand):
    help = (
        "Fetch new mail from every active IMAP mailbox: once (--once), or every "
        "DESTEK_POLL_SECONDS and at once when IMAP IDLE announces new mail."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--once", action="store_true", help="one pass, then exit")
        parser.add_argument("--mailbox", type=int, metavar="ID", help="only this mailbox")
        parser.add_argument("--no-idle", action="store_true", help="poll only, no IMAP IDLE")

    def handle(self, *args: object, **options: object) -> None:
        mailbox_ids = None
        if options["mailbox"] is not None:
            mailbox_ids = [self._mailbox(options["mailbox"]).pk]
        if options["once"]:
            # Named on the command line: fetch it now, even while it waits out a backoff.
            outcomes = poller.poll_once(
                mailbox_ids=mailbox_ids, force=mailbox_ids is not None, progress=self._progress
            )
            self._report(outcomes)
            if any(outcome.error for outcome in outcomes):
                raise CommandError("some mailboxes could not be fetched")
            return
        wakeup = Wakeup()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda signum, frame: wakeup.stop())
        self.stdout.write(
            f"Fetching mail every {settings.MAIL_POLL_SECONDS} s"
            f"{'' if options['no_idle'] else ' and on IMAP IDLE'}; SIGTERM or Ctrl-C stops."
        )
        daemon.run_forever(
            wakeup,
            interval=settings.MAIL_POLL_SECONDS,
            mailbox_ids=mailbox_ids,
            watchers=None if options["no_idle"] else IdleWatchers(wakeup),
            progress=self._progress,
            report=self._report,
        )
        self.stdout.write("Destek mail fetcher stopped.")

    def _mailbox(self, pk: int) -> Mailbox:
        mailbox = Mailbox.objects.filter(pk=pk).first()
        if mailbox is None:
            raise CommandError(f"no mailbox with id {pk}")
        if not mailbox.is_active:
            raise CommandError(f"mailbox {pk} ({mailbox.address}) is switched off")
        if not mailbox.has_imap():
            raise CommandError(
                f"mailbox {pk} ({mailbox.address}) has no IMAP settings; "
                "its mail arrives through `destek ingest`"
            )
        return mailbox

    def _progress(self, mailbox: Mailbox, done: int, total: int) -> None:
        # About twenty lines for a backlog of any size.
        if done == total or done % max(1, total // 20) == 0:
            self.stdout.write(f"{mailbox.address}: imported {done}/{total}")

    def _report(self, outcomes: list[poller.FetchOutcome]) -> None:
        for outcome in outcomes:
            if outcome.error:
                self.stderr.write(f"{outcome.address}: failed: {outcome.error}")
            elif outcome.busy:
                self.stdout.write(f"{outcome.address}: another worker is fetching it")
            elif outcome.fetched:
                self.stdout.write(f"{outcome.address}: {outcome.fetched} new")
