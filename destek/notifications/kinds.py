"""What a notification says, per kind: a translatable template filled with the stored params at
display time, so each reader sees it in their own language."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ASSIGNED = "assigned"
ASSIGNED_AUTO = "assigned_auto"
CUSTOMER_REPLIED = "customer_replied"
SLA_FIRST_RESPONSE_WARNING = "sla_first_response_warning"
SLA_FIRST_RESPONSE_BREACH = "sla_first_response_breach"
SLA_RESOLUTION_WARNING = "sla_resolution_warning"
SLA_RESOLUTION_BREACH = "sla_resolution_breach"
MENTIONED = "mentioned"
FOLLOWED_UPDATE = "followed_update"

# Templates name params as %(name)s; ``code`` (the ticket's tracking code) and ``actor`` (who
# caused it) are always there. Other apps may add their kinds with :func:`register`.
TEMPLATES: dict[str, object] = {
    ASSIGNED: _("%(actor)s size %(code)s talebini atadı"),
    ASSIGNED_AUTO: _("%(code)s talebi otomatik atamayla size verildi"),
    CUSTOMER_REPLIED: _("Müşteri %(code)s talebine yanıt yazdı"),
    SLA_FIRST_RESPONSE_WARNING: _("%(code)s: ilk yanıt süresinin %%80'i doldu"),
    SLA_FIRST_RESPONSE_BREACH: _("%(code)s: ilk yanıt süresi aşıldı"),
    SLA_RESOLUTION_WARNING: _("%(code)s: çözüm süresinin %%80'i doldu"),
    SLA_RESOLUTION_BREACH: _("%(code)s: çözüm süresi aşıldı"),
    MENTIONED: _("%(actor)s sizden %(code)s talebinde bahsetti"),
    FOLLOWED_UPDATE: _("Takip ettiğiniz %(code)s talebinde yeni bir gelişme var"),
}

# Kinds that need no actor: the system raised them.
SYSTEM_KINDS = {
    ASSIGNED_AUTO,
    CUSTOMER_REPLIED,
    SLA_FIRST_RESPONSE_WARNING,
    SLA_FIRST_RESPONSE_BREACH,
    SLA_RESOLUTION_WARNING,
    SLA_RESOLUTION_BREACH,
}


def register(kind: str, template: object) -> None:
    """A new kind of notification (a lazily translated template with %(name)s params)."""
    TEMPLATES[kind] = template


def render(kind: str, params: dict[str, object]) -> str:
    template = TEMPLATES.get(kind)
    if template is None:
        return str(params.get("code", kind))
    values = {"code": "", "actor": "", **params}
    try:
        return str(template) % values
    except (KeyError, ValueError, TypeError):
        # A stored param set from an older template: still say something useful.
        return str(params.get("code", kind))
