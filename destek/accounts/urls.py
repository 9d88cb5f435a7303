from django.urls import path

from destek.accounts import audit_views, security_views, views, workspace_views

urlpatterns = [
    path("", views.home, name="home"),
    path("signup/", views.signup, name="signup"),
    path("workspaces/", views.workspace_chooser, name="workspace_chooser"),
    path("accounts/login/", views.login, name="login"),
    path("accounts/logout/", views.logout, name="logout"),
    path("accounts/login/code/", security_views.login_2fa, name="login_2fa"),
    path("account/security/", security_views.account_security, name="account_security"),
    path("account/security/2fa/enable/", security_views.two_factor_enable, name="2fa_enable"),
    path("account/security/2fa/disable/", security_views.two_factor_disable, name="2fa_disable"),
    path(
        "account/security/2fa/recovery-codes/",
        security_views.recovery_codes_regenerate,
        name="2fa_recovery_codes",
    ),
    path("account/security/sessions/", security_views.sessions_revoke, name="sessions_revoke"),
    path("accounts/password-reset/", views.password_reset, name="password_reset"),
    path("accounts/password-reset/sent/", views.password_reset_done, name="password_reset_done"),
    path(
        "accounts/password-reset/complete/",
        views.password_reset_complete,
        name="password_reset_complete",
    ),
    path(
        "accounts/password-reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("invite/<str:token>/", views.accept_invitation, name="accept_invitation"),
]

# Included under "w/<slug:workspace_slug>/" by destek/urls.py, next to the tickets' routes.
workspace_urlpatterns = [
    path("members/", workspace_views.member_list, name="member_list"),
    path("members/invite/", workspace_views.member_invite, name="member_invite"),
    path(
        "members/<int:membership_id>/remove/",
        workspace_views.member_remove,
        name="member_remove",
    ),
    path("members/require-2fa/", security_views.workspace_require_2fa, name="require_2fa"),
    path("members/<int:membership_id>/role/", workspace_views.member_role, name="member_role"),
    path(
        "members/invitations/<int:invitation_id>/cancel/",
        workspace_views.invitation_cancel,
        name="invitation_cancel",
    ),
    path("system-mail/", workspace_views.system_mail, name="system_mail"),
    path("system-mail/<str:name>/", workspace_views.system_mail_detail, name="system_mail_detail"),
    path("audit/", audit_views.audit_log, name="audit_log"),
    path("audit/export.csv", audit_views.audit_export, name="audit_export"),
]
