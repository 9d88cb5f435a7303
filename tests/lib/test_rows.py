"""destek.lib.rows writes what Django's own save would write."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.db import connection

from destek.lib.rows import insert
from destek.mail.models import InboundEmail
from tests.mail.inbound import make_mailbox

pytestmark = pytest.mark.django_db

MOMENTS = [
    datetime(2026, 11, 24, 7, 30, 0, tzinfo=UTC),  # no microseconds: none in the text either
    datetime(2026, 11, 24, 7, 30, 0, 120, tzinfo=UTC),
    datetime(2026, 11, 24, 10, 30, 0, 5, tzinfo=timezone(timedelta(hours=3))),  # Istanbul
]


def _inbound(mailbox, digest: str, moment: datetime) -> InboundEmail:
    return InboundEmail(
        workspace_id=mailbox.workspace_id,
        mailbox=mailbox,
        source="pipe",
        size=0,
        sha256=digest,
        received_at=moment,
    )


@pytest.mark.parametrize("moment", MOMENTS, ids=["utc", "utc-micro", "istanbul"])
def test_a_moment_is_stored_as_a_save_stores_it(workspace, moment):
    mailbox = make_mailbox(workspace)
    saved = _inbound(mailbox, "1", moment)
    saved.save()
    inserted = _inbound(mailbox, "2", moment)
    insert([inserted])

    with connection.cursor() as cursor:
        cursor.execute(
            # As text: the driver would turn both spellings into the same datetime.
            "SELECT received_at || '' FROM mail_inboundemail WHERE id IN (%s, %s) ORDER BY id",
            [saved.pk, inserted.pk],
        )
        stored = [row[0] for row in cursor.fetchall()]

    assert stored[0] == stored[1]
    assert InboundEmail.objects.get(pk=inserted.pk).received_at == moment
