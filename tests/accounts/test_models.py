from datetime import timedelta

import pytest
from django.utils import timezone

from destek.accounts.models import Invitation, Role

pytestmark = pytest.mark.django_db


def test_new_trial_has_all_its_days_left(workspace):
    assert workspace.trial_days_left() == 7


def test_last_hour_of_the_trial_counts_as_a_day(workspace):
    assert workspace.trial_days_left(workspace.trial_ends_at - timedelta(hours=1)) == 1


def test_ended_trial_has_no_days_left(workspace):
    assert workspace.trial_days_left(workspace.trial_ends_at + timedelta(days=3)) == 0


def test_pending_invitations_are_neither_accepted_nor_expired(workspace):
    now = timezone.now()
    soon = now + timedelta(days=1)
    pending = Invitation.objects.create(workspace=workspace, email="a@x.test", expires_at=soon)
    Invitation.objects.create(workspace=workspace, email="b@x.test", expires_at=now)
    Invitation.objects.create(
        workspace=workspace, email="c@x.test", expires_at=soon, accepted_at=now, role=Role.ADMIN
    )

    assert list(Invitation.objects.pending(now)) == [pending]
