"""The shared cast (STYLE §9): an owner, an admin and an agent of one workspace, an agent of
another workspace, and a customer with a ticket."""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from destek.accounts.models import Membership, Role, User, Workspace
from destek.accounts.services import create_workspace
from destek.tickets import actions
from destek.tickets.models import Customer, Ticket

# How fast examples are drawn and run depends on how busy the machine is (CI runs beside other
# jobs), never on the property being checked: no deadline, no "generation is slow" failure.
hypothesis_settings.register_profile(
    "destek", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("destek")

PASSWORD = "doğru-at-pil-zımba-42"

# Browser tests drive Playwright's sync API, which runs an event loop in the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def require_service(available: bool, reason: str) -> None:
    """Skip a test whose real service is missing — or fail it when DESTEK_REQUIRE_SERVICES=1
    (CI), so a missing service can never pass as a skip there."""
    if available:
        return
    if settings.REQUIRE_SERVICES:
        pytest.fail(f"required service missing: {reason}")
    pytest.skip(reason)


def make_user(email: str, name: str = "") -> User:
    return User.objects.create_user(email, PASSWORD, name=name)


@pytest.fixture(autouse=True)
def _isolated_data_dir(settings, tmp_path):
    # Argon2 is deliberately slow; thousands of test users don't need it (tests/accounts checks
    # that production settings use it).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.SYSTEM_MAIL_DIR = tmp_path / "system-mail"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate limits (automatic mail per sender) count in the cache: every test starts at zero."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def workspace(db) -> Workspace:
    return create_workspace(
        name="Anadolu Kahve",
        slug="anadolu",
        prefix="DST",
        owner_email="patron@anadolu.test",
        owner_password=PASSWORD,
        owner_name="Patron Bey",
        admin_email="yonetici@anadolu.test",
        admin_password=PASSWORD,
    )


@pytest.fixture
def owner(workspace) -> User:
    return Membership.objects.get(workspace=workspace, role=Role.OWNER).user


@pytest.fixture
def admin(workspace) -> User:
    return Membership.objects.get(workspace=workspace, role=Role.ADMIN).user


@pytest.fixture
def agent(workspace) -> User:
    user = make_user("ayse@anadolu.test", "Ayşe Yılmaz")
    Membership.objects.create(workspace=workspace, user=user, role=Role.AGENT)
    return user


@pytest.fixture
def other_workspace(db) -> Workspace:
    return create_workspace(
        name="Başka Firma",
        slug="baska",
        prefix="BSK",
        owner_email="patron@baska.test",
        owner_password=PASSWORD,
    )


@pytest.fixture
def other_agent(other_workspace) -> User:
    user = make_user("mehmet@baska.test", "Mehmet Demir")
    Membership.objects.create(workspace=other_workspace, user=user, role=Role.AGENT)
    return user


@pytest.fixture
def customer(workspace) -> Customer:
    return actions.get_or_create_customer(
        workspace=workspace, email="zeynep.kaya@musteri.test", name="Zeynep Kaya"
    )


@pytest.fixture
def ticket(workspace, customer) -> Ticket:
    return actions.create_ticket(
        workspace=workspace,
        customer=customer,
        subject="Kredi kartıyla ödeme alamıyorum",
        text="Sepette ödeme adımında hata alıyorum, sipariş tamamlanmıyor.",
    )


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def owner_client(owner) -> Client:
    return client_for(owner)


@pytest.fixture
def admin_client(admin) -> Client:
    return client_for(admin)


@pytest.fixture
def agent_client(agent) -> Client:
    return client_for(agent)


@pytest.fixture
def other_agent_client(other_agent) -> Client:
    return client_for(other_agent)
