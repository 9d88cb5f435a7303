"""``destek createworkspace``: a new tenant with its owner (and a first admin), from a shell."""

from __future__ import annotations

import os
from argparse import ArgumentParser

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.urls import NoReverseMatch, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from destek.accounts.models import Role, User, Workspace
from destek.accounts.services import AccountError, create_workspace_safely


def password_setup_hint(user: User) -> str:
    """How a user created without a password gets one: a password-reset link under BASE_URL
    when the site serves ``password_reset_confirm``, otherwise the shell command."""
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    try:
        path = reverse("password_reset_confirm", kwargs={"uidb64": uidb64, "token": token})
    except NoReverseMatch:
        return f"set a password with: destek manage changepassword {user.email}"
    return f"set a password at {settings.BASE_URL}{path}"


def password_from_env(variable: str | None) -> str | None:
    """The password held in the named environment variable; never taken on the command line,
    where it would end up in the shell history and the process list."""
    if not variable:
        return None
    value = os.environ.get(variable, "")
    if not value:
        raise CommandError(f"environment variable {variable} is empty or not set")
    return value


def _email(value: str, option: str) -> str:
    try:
        validate_email(value)
    except ValidationError as exc:
        raise CommandError(f"{option}: {value!r} is not an email address") from exc
    return value.strip().lower()


def _validation_message(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in exc.message_dict.items()
        )
    return " ".join(exc.messages)


class Command(BaseCommand):
    help = "Create a workspace with its owner and, optionally, a first admin."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--name", required=True, help="the business's name")
        parser.add_argument("--slug", required=True, help="short name in URLs, e.g. anadolu")
        parser.add_argument("--prefix", required=True, help="tracking code prefix, e.g. DST")
        parser.add_argument("--owner-email", required=True)
        parser.add_argument("--owner-name", default="")
        parser.add_argument("--admin-email")
        parser.add_argument(
            "--owner-password-env", metavar="VAR", help="read the owner's password from $VAR"
        )
        parser.add_argument(
            "--admin-password-env", metavar="VAR", help="read the admin's password from $VAR"
        )
        parser.add_argument("--language", default="tr", choices=["tr", "en"])

    def handle(self, *args: object, **options: str | None) -> None:
        owner_email = _email(options["owner_email"], "--owner-email")
        admin_email = options["admin_email"]
        if admin_email:
            admin_email = _email(admin_email, "--admin-email")
        try:
            workspace = create_workspace_safely(
                name=options["name"],
                slug=options["slug"],
                prefix=options["prefix"],
                owner_email=owner_email,
                owner_name=options["owner_name"] or "",
                owner_password=password_from_env(options["owner_password_env"]),
                admin_email=admin_email,
                admin_password=password_from_env(options["admin_password_env"]),
                language=options["language"],
            )
        except AccountError as exc:
            raise CommandError(str(exc)) from exc
        except ValidationError as exc:
            raise CommandError(_validation_message(exc)) from exc
        self._report(workspace)

    def _report(self, workspace: Workspace) -> None:
        self.stdout.write(
            f"Created workspace {workspace.name!r} (slug {workspace.slug}, tracking codes "
            f"{workspace.prefix}-1, {workspace.prefix}-2, …); trial ends "
            f"{workspace.trial_ends_at:%Y-%m-%d}."
        )
        self.stdout.write(
            f"Open {settings.BASE_URL}{reverse('workspace_home', args=[workspace.slug])}"
        )
        order = list(Role)
        memberships = sorted(
            workspace.memberships.select_related("user"), key=lambda m: order.index(m.role)
        )
        for membership in memberships:
            user = membership.user
            line = f"  {membership.role}: {user.email}"
            if not user.has_usable_password():
                line += f" — {password_setup_hint(user)}"
            self.stdout.write(line)
