"""The two ways processing a mail can fail (STYLE §7).

:class:`MailRejected` is the sender's fault (no sender address, an empty message): the mail goes
to quarantine and is logged at info. :class:`MailProcessingError` is ours (a bug, a missing
setting): the raw mail is kept, the error is logged at error level, and a retry may succeed.
"""

from __future__ import annotations


class MailRejected(Exception):
    """The mail itself cannot become a ticket; the message says why, for the quarantine page."""


class MailProcessingError(Exception):
    """Destek could not process a good mail; the raw bytes stay and a retry is possible."""
