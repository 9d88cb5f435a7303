"""Forms of the accounts pages: they check input, the services in ``services.py`` act on it."""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, UsernameField
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.template import loader
from django.utils.translation import gettext_lazy as _

from destek.accounts.models import Role, User, Workspace
from destek.lib.system_mail import KIND_HEADER

logger = logging.getLogger(__name__)

INVITABLE_ROLES = [(Role.ADMIN.value, Role.ADMIN.label), (Role.AGENT.value, Role.AGENT.label)]


class LowerCaseField(forms.CharField):
    def to_python(self, value: Any) -> str:
        return super().to_python(value).lower()


class UpperCaseField(forms.CharField):
    def to_python(self, value: Any) -> str:
        return super().to_python(value).upper()


def _password_field() -> forms.CharField:
    return forms.CharField(
        label=_("Parola"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )


def _validate_password(form: forms.Form, password: str | None, user: User) -> None:
    if not password:
        return
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        form.add_error("password", error)


class SignupForm(forms.Form):
    """A new workspace and, for a visitor without an account, its owner."""

    name = forms.CharField(label=_("İşletme adı"), max_length=120)
    slug = LowerCaseField(
        label=_("Kısa ad"),
        max_length=50,
        validators=Workspace._meta.get_field("slug").validators,
        help_text=_("Adreste görünür: /w/kisa-ad/. Küçük harf, rakam ve tire."),
    )
    prefix = UpperCaseField(
        label=_("Takip kodu öneki"),
        max_length=8,
        validators=Workspace._meta.get_field("prefix").validators,
        help_text=_("Talep kodlarının başı: DST yazarsanız kodlar DST-1042 gibi olur."),
    )
    owner_name = forms.CharField(label=_("Adınız soyadınız"), max_length=150)
    email = forms.EmailField(
        label=_("E-posta"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = _password_field()

    ACCOUNT_FIELDS = ("owner_name", "email", "password")

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Someone already logged in opens another workspace as themselves.
        self.user = user if user is not None and user.is_authenticated else None
        if self.user is not None:
            for name in self.ACCOUNT_FIELDS:
                del self.fields[name]

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if Workspace.objects.filter(slug=slug).exists():
            raise ValidationError(_("Bu kısa ad kullanımda; başka bir tane seçin."))
        return slug

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(
                _(
                    "Bu e-posta adresiyle zaten bir hesap var. Giriş yaptıktan sonra yeni bir "
                    "çalışma alanı açabilirsiniz."
                )
            )
        return email

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.user is None:
            candidate = User(email=data.get("email", ""), name=data.get("owner_name", ""))
            _validate_password(self, data.get("password"), candidate)
        return data

    def workspace_arguments(self) -> dict[str, Any]:
        """Keyword arguments for ``services.create_workspace``."""
        data = self.cleaned_data
        arguments = {"name": data["name"], "slug": data["slug"], "prefix": data["prefix"]}
        if self.user is not None:
            return {**arguments, "owner_email": self.user.email}
        return {
            **arguments,
            "owner_email": data["email"],
            "owner_name": data["owner_name"],
            "owner_password": data["password"],
            "new_owner": True,
        }


class LoginForm(AuthenticationForm):
    """Email and password; the user manager looks the email up case-insensitively. An account
    or address with too many recent failures is refused before the password is even checked."""

    username = UsernameField(
        label=_("E-posta"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    def clean(self) -> dict[str, Any]:
        from destek.accounts import audit, throttle
        from destek.accounts.security_views import throttle_message

        email = self.cleaned_data.get("username") or ""
        locked = throttle.locked_for(email, audit.client_ip(self.request))
        if locked:
            user = User.objects.filter(email__iexact=email).first()
            if user is None:
                audit.record("login.locked", request=self.request, via="password")
            else:
                audit.record_for_user("login.locked", user=user, request=self.request)
            raise ValidationError(throttle_message(*locked), code="locked")
        return super().clean()


class SystemPasswordResetForm(PasswordResetForm):
    def get_users(self, email: str) -> Iterator[User]:
        """Active users with this address — also those without a password yet (created from the
        command line), for whom the reset mail is the way to set their first password."""
        wanted = _fold(email)
        for user in User.objects.filter(email__iexact=email, is_active=True):
            if _fold(user.email) == wanted:
                yield user

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        # Marked, so the "sent system mail" page shows the reset link to nobody but its owner.
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        message = EmailMultiAlternatives(
            subject, body, from_email, [to_email], headers={KIND_HEADER: "password-reset"}
        )
        try:
            message.send()
        except Exception:
            # As Django does: the page must not reveal whether the address has an account.
            logger.exception("password reset mail could not be sent")


def _fold(email: str) -> str:
    return unicodedata.normalize("NFKC", email).casefold()


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-posta"))
    role = forms.ChoiceField(label=_("Rol"), choices=INVITABLE_ROLES, initial=Role.AGENT)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Rol"), choices=INVITABLE_ROLES)


class AcceptInvitationForm(forms.Form):
    """A new person joining through an invitation picks their name and password."""

    name = forms.CharField(label=_("Adınız soyadınız"), max_length=150)
    password = _password_field()

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        candidate = User(email=self.email, name=data.get("name", ""))
        _validate_password(self, data.get("password"), candidate)
        return data
