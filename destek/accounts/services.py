"""Account rules: creating workspaces, inviting and removing people, roles, trial and seats."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from destek.accounts import audit
from destek.accounts.models import Invitation, Membership, Role, User, Workspace
from destek.accounts.signals import member_removed, workspace_created
from destek.lib.system_mail import KIND_HEADER, WORKSPACE_HEADER, StoredMail, stored_mails


class AccountError(ValueError):
    """A request the account rules refuse; the message is for the person who asked."""


def seats_used(workspace: Workspace) -> int:
    """Active members plus open invitations: an invitation reserves its seat."""
    members = Membership.objects.for_workspace(workspace).active().count()
    return members + Invitation.objects.filter(workspace=workspace).pending().count()


def _check_seat(workspace: Workspace) -> None:
    if seats_used(workspace) >= workspace.seat_limit:
        raise AccountError(
            ngettext(
                "Koltuk sınırına ulaşıldı (%(limit)d kişi). Yeni kişi eklemek için bir üyeyi "
                "çıkarın veya koltuk sınırını artırın.",
                "Koltuk sınırına ulaşıldı (%(limit)d kişi). Yeni kişi eklemek için bir üyeyi "
                "çıkarın veya koltuk sınırını artırın.",
                workspace.seat_limit,
            )
            % {"limit": workspace.seat_limit}
        )


def _check_writable(workspace: Workspace) -> None:
    if workspace.is_read_only():
        raise AccountError(
            _("%(name)s çalışma alanının deneme süresi bitti; değişiklik yapılamaz.")
            % {"name": workspace.name}
        )


def _user_for(email: str, *, name: str = "", password: str | None = None) -> User:
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email, password, name=name)
    elif password and not user.has_usable_password():
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def create_workspace(
    *,
    name: str,
    slug: str,
    prefix: str,
    owner_email: str,
    owner_password: str | None = None,
    owner_name: str = "",
    admin_email: str | None = None,
    admin_password: str | None = None,
    language: str = "tr",
    new_owner: bool = False,
    request: HttpRequest | None = None,
) -> Workspace:
    """A new tenant with its owner (and optionally a first admin); the trial starts now.

    ``new_owner`` (sign-up by a visitor) refuses an owner address that already has an account,
    checked inside the transaction, so a sign-up can never hand someone else's account over.
    """
    if Workspace.objects.filter(slug=slug).exists():
        raise AccountError(_("“%(slug)s” kısa adı kullanımda.") % {"slug": slug})
    if new_owner and User.objects.filter(email__iexact=owner_email).exists():
        raise AccountError(_("Bu e-posta adresiyle zaten bir hesap var."))
    workspace = Workspace(
        name=name,
        slug=slug,
        prefix=prefix.upper(),
        language=language,
        seat_limit=settings.DEFAULT_SEAT_LIMIT,
    )
    workspace.full_clean()
    workspace.save()
    owner = _user_for(owner_email, name=owner_name, password=owner_password)
    Membership.objects.create(workspace=workspace, user=owner, role=Role.OWNER)
    if admin_email:
        admin = _user_for(admin_email, password=admin_password)
        Membership.objects.create(workspace=workspace, user=admin, role=Role.ADMIN)
    workspace_created.send(sender=Workspace, workspace=workspace)
    audit.record(
        "workspace.created", workspace=workspace, actor=owner, target=slug, request=request
    )
    return workspace


@transaction.atomic
def add_member(
    *, workspace: Workspace, user: User, role: str, actor: User | None = None
) -> Membership:
    membership = Membership.objects.filter(workspace=workspace, user=user).first()
    if membership and membership.is_active:
        raise AccountError(_("%(email)s zaten bu çalışma alanında.") % {"email": user.email})
    _check_seat(workspace)
    if membership:
        membership.is_active, membership.role = True, role
        membership.save(update_fields=["is_active", "role"])
    else:
        membership = Membership.objects.create(workspace=workspace, user=user, role=role)
    audit.record("member.added", workspace=workspace, actor=actor, target=user.email, role=role)
    return membership


@transaction.atomic
def invite(
    *, workspace: Workspace, email: str, role: str, actor: User, request: HttpRequest | None = None
) -> Invitation:
    email = email.strip().lower()
    if role == Role.OWNER:
        raise AccountError(_("Hesap sahibi davetle eklenemez."))
    if role not in (Role.ADMIN, Role.AGENT):
        raise AccountError(_("Geçersiz rol."))
    if Membership.objects.for_workspace(workspace).active().filter(user__email=email).exists():
        raise AccountError(_("%(email)s zaten bu çalışma alanında.") % {"email": email})
    Invitation.objects.filter(workspace=workspace, email=email, accepted_at__isnull=True).delete()
    _check_seat(workspace)
    invitation = Invitation.objects.create(
        workspace=workspace,
        email=email,
        role=role,
        invited_by=actor,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_DAYS),
    )
    audit.record(
        "member.invited", workspace=workspace, actor=actor, target=email, role=role, request=request
    )
    message = invitation_email(invitation, actor)
    transaction.on_commit(message.send)
    return invitation


def invitation_email(invitation: Invitation, actor: User) -> EmailMessage:
    """The invitation in the workspace's language, built now: the mail leaves on commit, when
    the language active for this request may no longer be in force."""
    workspace = invitation.workspace
    link = settings.BASE_URL + reverse("accept_invitation", args=[invitation.token])
    with translation.override(workspace.language):
        subject = _("%(name)s sizi Destek'e davet etti") % {"name": workspace.name}
        body = ngettext(
            "%(inviter)s sizi %(workspace)s çalışma alanına %(role)s olarak davet etti.\n\n"
            "Daveti kabul etmek için: %(link)s\n\nBu bağlantı %(days)d gün geçerlidir.",
            "%(inviter)s sizi %(workspace)s çalışma alanına %(role)s olarak davet etti.\n\n"
            "Daveti kabul etmek için: %(link)s\n\nBu bağlantı %(days)d gün geçerlidir.",
            settings.INVITATION_DAYS,
        ) % {
            "inviter": actor.display_name,
            "workspace": workspace.name,
            "role": Role(invitation.role).label,
            "link": link,
            "days": settings.INVITATION_DAYS,
        }
    return EmailMessage(
        subject,
        body,
        to=[invitation.email],
        headers={WORKSPACE_HEADER: workspace.slug, KIND_HEADER: "invitation"},
    )


@transaction.atomic
def cancel_invitation(
    *, invitation: Invitation, actor: User, request: HttpRequest | None = None
) -> None:
    """Withdraw a pending invitation; its link stops working and its seat is free again."""
    if invitation.accepted_at is not None:
        raise AccountError(_("Bu davet zaten kabul edilmiş."))
    invitation.delete()
    audit.record(
        "invitation.cancelled",
        workspace=invitation.workspace,
        actor=actor,
        target=invitation.email,
        request=request,
    )


@transaction.atomic
def accept_invitation(
    *, invitation: Invitation, name: str = "", password: str | None = None, user: User | None = None
) -> Membership:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable():
        raise AccountError(_("Bu davet geçersiz veya süresi dolmuş."))
    _check_writable(invitation.workspace)
    if user is None:
        user = _user_for(invitation.email, name=name, password=password)
    elif user.email.lower() != invitation.email.lower():
        raise AccountError(_("Bu davet başka bir e-posta adresi için."))
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    # The invitation held a seat; release it before the seat check of add_member.
    membership = Membership.objects.filter(workspace=invitation.workspace, user=user).first()
    if membership and membership.is_active:
        return membership
    return add_member(workspace=invitation.workspace, user=user, role=invitation.role, actor=user)


@transaction.atomic
def remove_member(
    *, membership: Membership, actor: User, request: HttpRequest | None = None
) -> None:
    if membership.role == Role.OWNER:
        raise AccountError(_("Hesap sahibi çıkarılamaz."))
    if membership.user_id == actor.pk:
        raise AccountError(_("Kendinizi çıkaramazsınız."))
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    member_removed.send(sender=Membership, membership=membership, actor=actor)
    audit.record(
        "member.removed",
        workspace=membership.workspace,
        actor=actor,
        target=membership.user.email,
        request=request,
    )


@transaction.atomic
def change_role(
    *, membership: Membership, role: str, actor: User, request: HttpRequest | None = None
) -> Membership:
    if role == Role.OWNER or membership.role == Role.OWNER:
        raise AccountError(_("Hesap sahibinin rolü değiştirilemez."))
    if role not in Role.values:
        raise AccountError(_("Geçersiz rol."))
    if membership.user_id == actor.pk:
        raise AccountError(_("Kendi rolünüzü değiştiremezsiniz."))
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    audit.record(
        "member.role_changed",
        workspace=membership.workspace,
        actor=actor,
        target=membership.user.email,
        old=old,
        new=role,
        request=request,
    )
    return membership


@transaction.atomic
def activate_workspace(*, workspace: Workspace, actor: User | None = None) -> Workspace:
    """End the trial: the workspace accepts changes again, for good."""
    workspace.activated_at = timezone.now()
    workspace.save(update_fields=["activated_at"])
    audit.record("workspace.activated", workspace=workspace, actor=actor, target=workspace.slug)
    return workspace


def system_mail_for(workspace: Workspace) -> list[StoredMail]:
    """Kept system mail this workspace's admins may read, newest first: mail marked with the
    workspace, and unmarked mail (password resets, …) to its members and invitees — never mail
    marked with another workspace, even when the recipient belongs to both."""
    people = set(
        Membership.objects.for_workspace(workspace).active().values_list("user__email", flat=True)
    )
    people.update(Invitation.objects.filter(workspace=workspace).values_list("email", flat=True))
    people = {address.lower() for address in people}
    return [
        mail
        for mail in stored_mails()
        if mail.workspace == workspace.slug or (not mail.workspace and people.intersection(mail.to))
    ]


def mail_body_visible_to(mail: StoredMail, user: User) -> bool:
    """A password-reset link opens the account it was sent to, so only its recipient may read
    it: an admin must not be able to take over the owner's or another workspace's account."""
    return mail.kind != "password-reset" or user.email.lower() in mail.to


def create_workspace_safely(**kwargs: object) -> Workspace:
    """``create_workspace`` that turns a lost race on the slug into an ``AccountError``."""
    try:
        return create_workspace(**kwargs)
    except IntegrityError as exc:
        raise AccountError(_("Bu kısa ad veya e-posta kullanımda.")) from exc
