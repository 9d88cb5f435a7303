"""Writing the audit log (who did what to accounts and data)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from destek.accounts.models import AuditLog, Membership, Role, User, Workspace

# What the audit page shows for each action; actions of other apps fall back to their code.
ACTION_LABELS = {
    "workspace.created": _("Çalışma alanı oluşturuldu"),
    "workspace.activated": _("Çalışma alanı etkinleştirildi"),
    "member.invited": _("Davet gönderildi"),
    "member.added": _("Üye eklendi"),
    "member.removed": _("Üye çıkarıldı"),
    "member.role_changed": _("Rol değiştirildi"),
    "invitation.cancelled": _("Davet geri alındı"),
    "login": _("Giriş"),
    "login.failed": _("Başarısız giriş"),
    "password.reset": _("Parola sıfırlandı"),
    "workspace.exported": _("Veriler dışa aktarıldı"),
    "mail.forced_ticket": _("Karantinadaki iletiden talep açıldı"),
    "login.locked": _("Giriş kilitlendi (çok fazla deneme)"),
    "login.2fa_failed": _("Yanlış doğrulama kodu"),
    "2fa.enabled": _("İki adımlı doğrulama açıldı"),
    "2fa.disabled": _("İki adımlı doğrulama kapatıldı"),
    "2fa.recovery_regenerated": _("Kurtarma kodları yenilendi"),
    "sessions.revoked": _("Diğer oturumlar kapatıldı"),
    "workspace.require_2fa": _("İki adımlı doğrulama zorunluluğu değişti"),
    "customer.exported": _("Müşteri verileri dışa aktarıldı (KVKK)"),
    "customer.erased": _("Müşteri verileri silindi (KVKK)"),
    "retention.purged": _("Saklama süresi dolan talepler temizlendi"),
    "ticket.evidence_exported": _("Kanıt paketi indirildi"),
    "audit.exported": _("Denetim kaydı dışa aktarıldı"),
    "rule.created": _("Otomasyon kuralı eklendi"),
    "rule.updated": _("Otomasyon kuralı değiştirildi"),
    "rule.deleted": _("Otomasyon kuralı silindi"),
    "rule.enabled": _("Otomasyon kuralı açıldı"),
    "rule.disabled": _("Otomasyon kuralı kapatıldı"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def describe(entry: AuditLog) -> str:
    """The details worth a column on the audit page: the role given or changed."""

    def role(value: object) -> str:
        return str(Role(value).label) if value in Role.values else str(value)

    data = entry.data or {}
    if "old" in data and "new" in data:
        return f"{role(data['old'])} → {role(data['new'])}"
    if "role" in data:
        return role(data["role"])
    return ""


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    action: str,
    *,
    workspace: Workspace | None = None,
    actor: User | None = None,
    target: str = "",
    request: HttpRequest | None = None,
    **data: object,
) -> AuditLog:
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        actor = user if user is not None and user.is_authenticated else None
    return AuditLog.objects.create(
        workspace=workspace,
        actor=actor,
        action=action,
        target=target[:255],
        ip_address=client_ip(request),
        data=data,
    )


def record_for_user(
    action: str,
    *,
    user: User,
    actor: User | None = None,
    request: HttpRequest | None = None,
    **data: object,
) -> list[AuditLog]:
    """One entry in each workspace the user belongs to, so every workspace's admins see what
    happened to their own people (logins, password resets) and nothing of other tenants."""
    memberships = Membership.objects.active().filter(user=user).select_related("workspace")
    workspaces = [membership.workspace for membership in memberships]
    return [
        record(action, workspace=workspace, actor=actor, target=user.email, request=request, **data)
        for workspace in workspaces or [None]
    ]


def record_login(sender: object, request: HttpRequest | None, user: User, **kwargs: object) -> None:
    """Receiver for ``user_logged_in``."""
    record_for_user("login", user=user, actor=user, request=request)


def throttle_login_failed(
    sender: object, credentials: dict, request: HttpRequest | None = None, **kwargs: object
) -> None:
    """Receiver for ``user_login_failed``: the failure counts towards the lockout."""
    from destek.accounts import throttle

    email = str(credentials.get("username") or credentials.get("email") or "")
    throttle.record_failure(email, client_ip(request))


def record_login_failed(
    sender: object, credentials: dict, request: HttpRequest | None = None, **kwargs: object
) -> None:
    """Receiver for ``user_login_failed``. An address that matches nobody is not stored: people
    type their password into the email field often enough."""
    email = str(credentials.get("username") or credentials.get("email") or "")
    user = User.objects.filter(email__iexact=email).first() if email else None
    if user is None:
        record("login.failed", request=request)
    else:
        record_for_user("login.failed", user=user, request=request)
