"""The weekly summary: numbers of the week before to the owner and the admins who want it."""

from __future__ import annotations

from django.core import mail

from destek.reports import digest
from destek.reports.tasks import weekly_summary
from tests.reports.conftest import NOW
from tests.reports.test_views import SECRETS

BODY = """\
Anadolu Kahve · 26.10.2026 – 01.11.2026 haftalık özeti

- Gelen talepler: 5 (+400,0%) · önceki hafta: 1
- Çözülen talepler: 3 · önceki hafta: 1
- İlk yanıt ortancası (iş saatleri): 1 sa 0 dk · önceki hafta: 20 dk
- Çözüm ortancası (iş saatleri): 7 sa 0 dk · önceki hafta: 9 sa 0 dk
- İlk yanıt SLA uyumu: %75,0 · önceki hafta: %100,0
- Çözüm SLA uyumu: %75,0 · önceki hafta: %100,0
- Yeniden açılma oranı: %33,3
- Müşteri memnuniyeti (4–5 puan): %50,0, 2 değerlendirme
- Şu an açık: 2, atanmamış: 1

Ayrıntılar: http://127.0.0.1:8000/w/anadolu/dashboard/
Bu e-postayı almak istemiyorsanız panodan kapatabilirsiniz.
"""


def test_owner_and_admin_get_the_numbers_of_last_week(workspace, owner, admin, history, settings):
    settings.BASE_URL = "http://127.0.0.1:8000"

    assert digest.send_weekly(NOW) == 2

    assert sorted(m.to[0] for m in mail.outbox) == sorted([owner.email, admin.email])
    message = mail.outbox[0]
    assert message.subject == "Anadolu Kahve: haftalık destek özeti"
    assert message.body == BODY
    assert message.extra_headers["X-Destek-Mail"] == "weekly-summary"
    for secret in SECRETS:
        assert secret not in message.body


def test_whoever_turned_it_off_gets_nothing(workspace, owner, admin, agent):
    digest.set_wanted(workspace, admin, False)

    assert digest.send_weekly(NOW) == 1
    assert [m.to for m in mail.outbox] == [[owner.email]]


def test_the_periodic_task_sends_the_summary(workspace, owner, admin):
    weekly_summary.call_local()

    assert len(mail.outbox) == 2
