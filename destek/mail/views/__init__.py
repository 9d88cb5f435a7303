"""The email channel's pages: mailboxes and their setup wizard for admins, the quarantine, and
the email side of the ticket page. ``urls.py`` reaches them through this package."""

from destek.mail.views.mailboxes import (
    mailbox_active,
    mailbox_detail,
    mailbox_import,
    mailbox_list,
    mailbox_test,
)
from destek.mail.views.quarantine import inbound_force, inbound_raw, inbound_retry, quarantine
from destek.mail.views.ticket_mail import message_eml, outbound_resend
from destek.mail.views.wizard import mailbox_new

__all__ = [
    "inbound_force",
    "inbound_raw",
    "inbound_retry",
    "mailbox_active",
    "mailbox_detail",
    "mailbox_import",
    "mailbox_list",
    "mailbox_new",
    "mailbox_test",
    "message_eml",
    "outbound_resend",
    "quarantine",
]
