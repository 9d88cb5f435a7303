"""Account security: the second login step, the user's security page (authenticator, recovery
codes, other sessions) and the workspace's "require two-step login" switch."""

from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth import login as log_in
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from destek.accounts import audit, throttle, twofactor
from destek.accounts.forms import LoginForm
from destek.accounts.models import Membership, User
from destek.accounts.permissions import Capability, login_view, public_view, workspace_view
from destek.accounts.security_forms import CodeForm, PasswordConfirmForm

PENDING = "login_2fa_pending"
SETUP_SECRET = "2fa_setup_secret"
# The password step is good for this long; after it the person starts again.
PENDING_SECONDS = 300


class LoginView(auth_views.LoginView):
    """Email and password; a user with an authenticator is asked for a code next."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: LoginForm) -> HttpResponse:
        user = form.get_user()
        if twofactor.is_enabled(user):
            self.request.session[PENDING] = {
                "user": user.pk,
                "backend": user.backend,
                "at": time.time(),
                "next": self.get_success_url(),
            }
            return redirect("login_2fa")
        throttle.clear(user.email)
        return super().form_valid(form)


login = public_view(LoginView.as_view())


def _pending_user(request: HttpRequest) -> tuple[User | None, dict]:
    pending = request.session.get(PENDING) or {}
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None, {}
    return User.objects.filter(pk=pending["user"], is_active=True).first(), pending


@public_view
def login_2fa(request: HttpRequest) -> HttpResponse:
    user, pending = _pending_user(request)
    if user is None:
        request.session.pop(PENDING, None)
        messages.error(request, _("Oturum açma süresi doldu; yeniden giriş yapın."))
        return redirect("login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ip = audit.client_ip(request)
        locked = throttle.locked_for(user.email, ip)
        kind = None if locked else twofactor.verify(user=user, code=form.cleaned_data["code"])
        if locked:
            audit.record_for_user("login.locked", user=user, request=request, via="2fa")
            form.add_error(None, throttle_message(*locked))
        elif kind is None:
            throttle.record_failure(user.email, ip)
            audit.record_for_user("login.2fa_failed", user=user, request=request)
            form.add_error("code", _("Kod geçersiz ya da kullanılmış."))
        else:
            del request.session[PENDING]
            log_in(request, user, backend=pending["backend"])
            throttle.clear(user.email)
            if kind == "recovery":
                left = twofactor.remaining_codes(user)
                messages.warning(
                    request,
                    _("Bir kurtarma kodu kullandınız; %(count)s kod kaldı.") % {"count": left},
                )
            return redirect(_safe_next(request, pending.get("next")))
    return render(request, "accounts/login_2fa.html", {"form": form})


def throttle_message(kind: str, minutes: int) -> str:
    if kind == "ip":
        return _(
            "Bu bağlantıdan çok fazla başarısız giriş denemesi yapıldı. %(minutes)s dakika "
            "sonra tekrar deneyin."
        ) % {"minutes": minutes}
    return _(
        "Bu hesaba çok fazla başarısız giriş denemesi yapıldı; güvenliğiniz için %(minutes)s "
        "dakika kilitlendi. Sonra tekrar deneyin ya da parolanızı sıfırlayın."
    ) % {"minutes": minutes}


def _safe_next(request: HttpRequest, url: str | None) -> str:
    allowed = {request.get_host()}
    if url and url_has_allowed_host_and_scheme(url, allowed, require_https=request.is_secure()):
        return url
    return "/"


def _required_by(user: User) -> list[str]:
    """Names of the user's workspaces that require two-step login."""
    memberships = Membership.objects.for_user(user).active().filter(workspace__require_2fa=True)
    return list(memberships.values_list("workspace__name", flat=True))


def _security_page(request: HttpRequest, **extra: object) -> HttpResponse:
    user = request.user
    device = twofactor.device_for(user)
    context: dict[str, object] = {
        "device": device,
        "remaining": len(device.recovery_codes) if device else 0,
        "required_by": _required_by(user),
        "code_form": CodeForm(),
        "password_form": PasswordConfirmForm(user=user),
        "next": _safe_next(request, request.GET.get("next")) if request.GET.get("next") else "",
        **extra,
    }
    if device is None:
        secret = request.session.get(SETUP_SECRET) or twofactor.new_secret()
        request.session[SETUP_SECRET] = secret
        uri = twofactor.provisioning_uri(user, secret)
        context |= {"secret": secret, "qr": twofactor.qr_svg(uri)}
    return render(request, "accounts/security.html", context)


@login_view
def account_security(request: HttpRequest) -> HttpResponse:
    return _security_page(request)


@login_view
@require_POST
def two_factor_enable(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST)
    secret = request.session.get(SETUP_SECRET)
    valid = form.is_valid()
    if secret and valid and twofactor.code_matches_secret(secret, form.cleaned_data["code"]):
        codes = twofactor.enable(user=request.user, secret=secret, request=request)
        del request.session[SETUP_SECRET]
        messages.success(request, _("İki adımlı doğrulama açıldı."))
        return _security_page(request, recovery_codes=codes)
    form.add_error("code", _("Kod tutmadı; uygulamadaki güncel kodu girin."))
    return _security_page(request, code_form=form)


@login_view
@require_POST
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    form = PasswordConfirmForm(request.POST, user=request.user)
    if _required_by(request.user):
        messages.error(request, _("Çalışma alanınız iki adımlı doğrulamayı zorunlu tutuyor."))
        return redirect("account_security")
    if not form.is_valid():
        return _security_page(request, password_form=form)
    twofactor.disable(user=request.user, request=request)
    messages.success(request, _("İki adımlı doğrulama kapatıldı."))
    return redirect("account_security")


@login_view
@require_POST
def recovery_codes_regenerate(request: HttpRequest) -> HttpResponse:
    form = PasswordConfirmForm(request.POST, user=request.user)
    if not twofactor.is_enabled(request.user):
        return redirect("account_security")
    if not form.is_valid():
        return _security_page(request, password_form=form)
    codes = twofactor.regenerate_codes(user=request.user, request=request)
    messages.success(request, _("Yeni kurtarma kodları oluşturuldu; eskileri artık geçmez."))
    return _security_page(request, recovery_codes=codes)


@login_view
@require_POST
def sessions_revoke(request: HttpRequest) -> HttpResponse:
    """Every other session of this user ends; this one stays."""
    user = request.user
    User.objects.filter(pk=user.pk).update(session_version=user.session_version + 1)
    user.refresh_from_db(fields=["session_version"])
    update_session_auth_hash(request, user)
    audit.record_for_user("sessions.revoked", user=user, actor=user, request=request)
    messages.success(request, _("Diğer bütün oturumlar kapatıldı."))
    return redirect("account_security")


@workspace_view(Capability.MANAGE_MEMBERS)
@require_POST
def workspace_require_2fa(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace
    required = request.POST.get("require_2fa") == "on"
    if required and not twofactor.is_enabled(request.user):
        messages.error(
            request, _("Önce kendi hesabınızda iki adımlı doğrulamayı açın, sonra zorunlu tutun.")
        )
        return redirect("member_list", workspace.slug)
    if required != workspace.require_2fa:
        workspace.require_2fa = required
        workspace.save(update_fields=["require_2fa"])
        audit.record(
            "workspace.require_2fa", workspace=workspace, request=request, required=required
        )
    if required:
        messages.success(request, _("İki adımlı doğrulama artık bütün ekip için zorunlu."))
    else:
        messages.success(request, _("İki adımlı doğrulama artık isteğe bağlı."))
    return redirect("member_list", workspace.slug)
