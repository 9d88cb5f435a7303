"""``destek mailbox add|list|test|rotate-keys``: support addresses from a shell (DESIGN §10).

Passwords are never taken on the command line (shell history, process list): ``--imap-
password-env VAR`` names the environment variable that holds one, and it is stored encrypted.
"""

from __future__ import annotations

from argparse import ArgumentParser

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from destek.accounts.management.commands.createworkspace import password_from_env
from destek.accounts.models import Workspace
from destek.lib import crypto
from destek.mail import check
from destek.mail.connect import default_port
from destek.mail.models import Mailbox, Security

PROTOCOLS = ("imap", "smtp")


class Command(BaseCommand):
    help = "Add, list, test mailboxes, or re-encrypt their passwords with the newest key."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        add = actions.add_parser(
            "add",
            help="a new support address (without IMAP: pipe-only; without SMTP: mail waits)",
        )
        add.add_argument("--workspace", required=True, metavar="SLUG")
        add.add_argument("--address", required=True, metavar="ADDR")
        add.add_argument("--display-name", default="")
        add.add_argument(
            "--import-days",
            type=int,
            metavar="N",
            help="on the first fetch, import mail of the last N days (default: only new mail)",
        )
        add.add_argument("--imap-folder", default="INBOX", metavar="FOLDER")
        add.add_argument(
            "--only-addressed",
            action="store_true",
            help="only mail naming this address in To/Cc becomes a ticket",
        )
        add.add_argument(
            "--no-acknowledge", action="store_true", help="send no automatic acknowledgement"
        )
        add.add_argument(
            "--sent-copy",
            action="store_true",
            help="append what goes out to customers to the IMAP Sent folder",
        )
        add.add_argument(
            "--sent-folder",
            default="",
            metavar="FOLDER",
            help="that folder's name (default: the one the server marks as Sent)",
        )
        for protocol in PROTOCOLS:
            name = protocol.upper()
            add.add_argument(f"--{protocol}-host", default="", metavar="H")
            add.add_argument(f"--{protocol}-port", type=int, metavar="P")
            add.add_argument(
                f"--{protocol}-security", choices=Security.values, default=Security.SSL
            )
            add.add_argument(f"--{protocol}-user", default="", metavar="U", help="default: ADDR")
            add.add_argument(
                f"--{protocol}-password-env",
                metavar="VAR",
                help=f"read the {name} password from $VAR",
            )
        actions.add_parser("list", help="every mailbox with its servers and fetch state")
        test = actions.add_parser("test", help="check the IMAP and SMTP settings of a mailbox")
        test.add_argument("mailbox", metavar="ID", help="the mailbox's id (or its address)")
        actions.add_parser(
            "rotate-keys", help="re-encrypt every stored password with the newest key"
        )

    def handle(self, *args: object, action: str, **options: object) -> None:
        handlers = {
            "add": self.add,
            "list": self.list_mailboxes,
            "test": self.test,
            "rotate-keys": self.rotate_keys,
        }
        handlers[action](**options)

    # --- add ------------------------------------------------------------------------------

    def add(self, *, workspace: str, address: str, **options: object) -> None:
        target = Workspace.objects.filter(slug=workspace).first()
        if target is None:
            raise CommandError(
                f"no workspace with slug {workspace!r} (see `destek workspace list`)"
            )
        address = address.strip().lower()
        try:
            validate_email(address)
        except ValidationError as exc:
            raise CommandError(f"--address: {address!r} is not an email address") from exc
        if Mailbox.objects.filter(address__iexact=address).exists():
            raise CommandError(f"mailbox {address} exists already")
        if options["import_days"] is not None and options["import_days"] < 1:
            raise CommandError("--import-days must be 1 or more")
        mailbox = Mailbox(
            workspace=target,
            address=address,
            display_name=str(options["display_name"]).strip(),
            import_days=options["import_days"],
            imap_folder=str(options["imap_folder"]) or "INBOX",
            only_addressed=bool(options["only_addressed"]),
            acknowledge=not options["no_acknowledge"],
            sent_copy=bool(options["sent_copy"]),
            sent_folder=str(options["sent_folder"]).strip(),
        )
        for protocol in PROTOCOLS:
            self._servers(mailbox, protocol, options)
        if mailbox.sent_copy and not mailbox.has_imap():
            raise CommandError("--sent-copy needs --imap-host: the copy is saved over IMAP")
        mailbox.save()
        self.stdout.write(
            f"Added mailbox #{mailbox.pk} {mailbox.address} to workspace {target.slug}."
        )
        self.stdout.write(f"  IMAP: {_server(mailbox, 'imap')}")
        self.stdout.write(f"  SMTP: {_server(mailbox, 'smtp')}")
        if mailbox.sent_copy:
            folder = mailbox.sent_folder or "the folder the server marks as Sent"
            self.stdout.write(f"  Sent mail copied to: {folder}")

    def _servers(self, mailbox: Mailbox, protocol: str, options: dict[str, object]) -> None:
        """Copy one protocol's options onto the mailbox (port and user have defaults)."""
        host = str(options[f"{protocol}_host"]).strip()
        extra = [name for name in ("port", "user", "password_env") if options[f"{protocol}_{name}"]]
        if not host:
            if extra:
                flags = ", ".join(f"--{protocol}-{name.replace('_', '-')}" for name in extra)
                raise CommandError(f"{flags} given without --{protocol}-host")
            return
        security = str(options[f"{protocol}_security"])
        port = options[f"{protocol}_port"] or default_port(protocol, security)
        setattr(mailbox, f"{protocol}_host", host)
        setattr(mailbox, f"{protocol}_security", security)
        setattr(mailbox, f"{protocol}_port", port)
        setattr(mailbox, f"{protocol}_user", str(options[f"{protocol}_user"]) or mailbox.address)
        password = password_from_env(options[f"{protocol}_password_env"])
        if password:
            setattr(mailbox, f"{protocol}_password", password)

    # --- list -----------------------------------------------------------------------------

    def list_mailboxes(self, **options: object) -> None:
        mailboxes = Mailbox.objects.select_related("workspace").order_by("pk")
        if not mailboxes:
            self.stdout.write("No mailboxes yet: add one with `destek mailbox add`.")
            return
        for mailbox in mailboxes:
            state = "active" if mailbox.is_active else "inactive"
            if mailbox.is_failing():
                state = f"failing ({mailbox.failure_count}×)"
            last = (
                mailbox.last_success_at.strftime("%Y-%m-%d %H:%M")
                if mailbox.last_success_at
                else "-"
            )
            self.stdout.write(
                f"#{mailbox.pk:<4} {mailbox.address:<32} {mailbox.workspace.slug:<16} "
                f"IMAP {_server(mailbox, 'imap'):<34} SMTP {_server(mailbox, 'smtp'):<34} "
                f"{state}, last fetch {last}"
            )

    # --- test -----------------------------------------------------------------------------

    def test(self, *, mailbox: str, **options: object) -> None:
        target = _find(mailbox)
        failed = False
        for protocol, run in (("IMAP", check.check_imap), ("SMTP", check.check_smtp)):
            if not getattr(target, f"{protocol.lower()}_host"):
                self.stdout.write(f"{protocol}: not configured ({_missing(protocol)})")
                continue
            result = run(target)
            failed = failed or not result.ok
            verdict = "ok" if result.ok else f"FAILED at {result.stage}"
            self.stdout.write(f"{protocol}: {verdict} — {result.message}")
        if failed:
            raise CommandError(f"mailbox {target.address}: the connection test failed")

    # --- rotate-keys ----------------------------------------------------------------------

    @transaction.atomic
    def rotate_keys(self, **options: object) -> None:
        count = 0
        for mailbox in Mailbox.objects.select_for_update().order_by("pk"):
            try:
                mailbox.imap_password_encrypted = crypto.rotate(mailbox.imap_password_encrypted)
                mailbox.smtp_password_encrypted = crypto.rotate(mailbox.smtp_password_encrypted)
            except crypto.SecretUnreadable as exc:
                raise CommandError(
                    f"mailbox #{mailbox.pk} {mailbox.address}: no configured key opens its "
                    "password; nothing was changed"
                ) from exc
            mailbox.save(update_fields=["imap_password_encrypted", "smtp_password_encrypted"])
            count += bool(mailbox.imap_password_encrypted) + bool(mailbox.smtp_password_encrypted)
        self.stdout.write(f"Re-encrypted {count} password(s) with the newest key.")


def _find(value: str) -> Mailbox:
    query = Mailbox.objects.select_related("workspace")
    mailbox = (
        query.filter(pk=int(value)).first()
        if value.isdigit()
        else query.filter(address__iexact=value.strip()).first()
    )
    if mailbox is None:
        raise CommandError(f"no mailbox {value!r} (see `destek mailbox list`)")
    return mailbox


def _server(mailbox: Mailbox, protocol: str) -> str:
    host = getattr(mailbox, f"{protocol}_host")
    if not host:
        return _missing(protocol.upper())
    port = getattr(mailbox, f"{protocol}_port") or default_port(
        protocol, getattr(mailbox, f"{protocol}_security")
    )
    return f"{host}:{port} {getattr(mailbox, f'{protocol}_security')}"


def _missing(protocol: str) -> str:
    return "pipe-only" if protocol == "IMAP" else "outgoing mail waits"
