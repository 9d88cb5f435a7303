"""Store, then process (DESIGN §5): raw mail is committed first, then threaded into a ticket.

CONTRACT (used by fetch, smtpd, the CLI and the quarantine page):
- ``receive(mailbox, raw, *, source, uidvalidity=None, uid=None) -> InboundEmail``: stores and
  COMMITS the raw bytes (its own transaction); a duplicate returns the existing row.
- ``process(inbound) -> InboundEmail``: parse + thread + create/append in one transaction; on
  failure the row is quarantined with its error (never raises for bad mail).
- ``receive_and_process(...)``: both.
- ``force_ticket(inbound, *, actor) -> Ticket``: "create ticket anyway" from quarantine.
"""

from __future__ import annotations
