"""Defaults every new workspace starts with (DESIGN §6): categories and canned replies."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from destek.accounts.models import Workspace
from destek.tickets.models import CannedReply, Category, Priority


def default_categories() -> list[tuple[str, str, bool]]:
    return [
        (_("Ödeme / Checkout"), Priority.P0, True),
        (_("Site erişimi / hata"), Priority.P0, True),
        (_("Sipariş / fatura"), Priority.P1, False),
        (_("İçerik / görsel düzen"), Priority.P2, False),
        (_("SEO / performans"), Priority.P2, False),
        (_("Geliştirme talebi"), Priority.P3, False),
    ]


def default_canned_replies() -> list[tuple[str, str]]:
    """The four seed replies (DESIGN §6), in the active language: first response, more
    information needed (three questions), solution notice, waiting on a third party."""
    return [
        (
            _("İlk yanıt"),
            _(
                "Merhaba {{ customer.first_name }},\n\nTalebinizi aldık ({{ ticket.code }}). "
                "İnceleyip size dönüş yapacağız; hedefimiz talebinizi "
                "{{ ticket.resolution_due }} tarihine kadar çözmek.\n\nSaygılarımızla,\n"
                "{{ agent.name }}"
            ),
        ),
        (
            _("Ek bilgi gerekiyor"),
            _(
                "Merhaba {{ customer.first_name }},\n\nTalebinizi ({{ ticket.code }}) "
                "çözebilmemiz için birkaç bilgiye ihtiyacımız var:\n\n"
                "1. Sorunu hangi sayfada ya da adımda yaşıyorsunuz?\n"
                "2. Sorun ilk ne zaman ortaya çıktı (tarih ve saat)?\n"
                "3. Ekranda gördüğünüz hata mesajını ya da bir ekran görüntüsünü "
                "paylaşabilir misiniz?\n\nTeşekkürler,\n{{ agent.name }}"
            ),
        ),
        (
            _("Çözüm bildirimi"),
            _(
                "Merhaba {{ customer.first_name }},\n\n{{ ticket.code }} numaralı "
                "talebinizdeki sorun giderildi. Herhangi bir aksaklık görürseniz bu e-postayı "
                "yanıtlamanız yeterli.\n\nİyi çalışmalar,\n{{ agent.name }}"
            ),
        ),
        (
            _("Üçüncü taraf bekleniyor"),
            _(
                "Merhaba {{ customer.first_name }},\n\n{{ ticket.code }} numaralı talebiniz "
                "için ilgili hizmet sağlayıcıdan yanıt bekliyoruz. Gelişme olduğunda sizi hemen "
                "bilgilendireceğiz.\n\nSaygılarımızla,\n{{ agent.name }}"
            ),
        ),
    ]


def seed_workspace(sender: object = None, *, workspace: Workspace, **kwargs: object) -> None:
    """Create the default categories and canned replies in the workspace's language."""
    with translation.override(workspace.language):
        Category.objects.bulk_create(
            Category(
                workspace=workspace,
                name=name,
                default_priority=priority,
                is_critical=critical,
                position=index,
            )
            for index, (name, priority, critical) in enumerate(default_categories())
        )
        CannedReply.objects.bulk_create(
            CannedReply(workspace=workspace, title=title, body=body, position=index)
            for index, (title, body) in enumerate(default_canned_replies())
        )


def release_removed_member(sender: object = None, *, membership, actor=None, **kwargs) -> None:
    from destek.tickets.actions import release_tickets_of

    release_tickets_of(workspace=membership.workspace, user=membership.user, actor=actor)
