"""Every message of the shared Zammad corpus goes through store-then-process end to end.

Real-world mail of every kind (bounces, spam, broken MIME, forwarded mail, calendar invites)
must end up processed, deliberately ignored or visibly quarantined — never raise, never stay
half-done. The parser's field-by-field comparison is ``test_parse_corpus.py``.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache

from destek.mail import ingest
from destek.mail.models import InboundEmail, InboundStatus, MessageEnvelope
from destek.tickets.models import Message

from .corpus import box_id, corpus_boxes, require_corpus
from .inbound import make_mailbox

pytestmark = pytest.mark.django_db

FINAL = {InboundStatus.PROCESSED, InboundStatus.IGNORED, InboundStatus.QUARANTINED}


def test_every_corpus_message_ends_processed_ignored_or_quarantined(workspace):
    require_corpus()
    cache.clear()
    mailbox = make_mailbox(workspace)
    outcomes: dict[str, str] = {}
    for box in corpus_boxes():
        raw = box.read_bytes()
        inbound = ingest.receive_and_process(mailbox, raw, source="pipe")
        inbound.refresh_from_db()
        assert bytes(inbound.raw) == raw, box_id(box)
        outcomes[box_id(box)] = inbound.status
    assert set(outcomes.values()) <= FINAL, {k: v for k, v in outcomes.items() if v not in FINAL}
    processed = InboundEmail.objects.filter(status=InboundStatus.PROCESSED)
    # Each processed mail is exactly one ticket message with its envelope.
    assert Message.objects.filter(kind="customer").count() == processed.count()
    assert MessageEnvelope.objects.count() == processed.count()
    # Most of the corpus is ordinary mail: guard against a regression quarantining it wholesale.
    assert processed.count() >= 80, outcomes


def test_the_corpus_a_second_time_adds_nothing(workspace):
    require_corpus()
    mailbox = make_mailbox(workspace)
    boxes = corpus_boxes()
    for box in boxes:
        ingest.receive_and_process(mailbox, box.read_bytes(), source="pipe")
    messages = Message.objects.count()
    for box in boxes:
        ingest.receive_and_process(mailbox, box.read_bytes(), source="pipe")
    assert InboundEmail.objects.count() == len(boxes)
    assert Message.objects.count() == messages
