"""“Test connection” (DESIGN §5 setup): IMAP and SMTP checked separately, failures named.

CONTRACT (used by the setup wizard and ``destek mailbox test``):
- ``check_imap(mailbox) -> CheckResult`` and ``check_smtp(mailbox) -> CheckResult`` where
  ``CheckResult(ok: bool, stage: str, message: str)``; stage is one of dns, connect, tls,
  starttls, auth, folder, ok; message is translated for the user.
"""

from __future__ import annotations
