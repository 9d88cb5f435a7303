"""The outbox (DESIGN §5 outbound): rows written in the caller's transaction, sent by a worker.

CONTRACT (used by ingest and the UI):
- ``acknowledge(*, ticket, message, inbound, parsed) -> OutboundEmail | None``: queue the
  automatic acknowledgement for a new emailed ticket unless a loop guard says no.
- ``mark_bounced(*, mailbox, parsed) -> OutboundEmail | None``: a DSN came back; mark the mail it
  concerns failed.
- ``resend(outbound, *, actor) -> OutboundEmail``: put a failed mail back in the queue.
"""

from __future__ import annotations
