from datetime import timedelta

from django.utils import timezone

from destek.portal import signin
from destek.portal.models import MagicLink
from destek.portal.tasks import purge_magic_links


def test_old_links_are_purged_and_fresh_ones_kept(workspace, customer):
    now = timezone.now()
    signin.issue_link(customer=customer, now=now - timedelta(days=2))  # expired long ago
    used = signin.issue_link(customer=customer, now=now - timedelta(hours=1)).link
    MagicLink.objects.filter(pk=used.pk).update(used_at=now - timedelta(days=2))
    fresh = signin.issue_link(customer=customer, now=now).link
    assert purge_magic_links(now=now) == 2
    assert list(MagicLink.objects.values_list("pk", flat=True)) == [fresh.pk]
