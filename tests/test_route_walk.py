"""Walk every URL as every role and hold the answers to the DESIGN §3 matrix.

New routes join the walk automatically; a route whose URL parameters the walk cannot fill, or a
view that bypasses the permission layer, fails here instead of slipping through.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver

from destek.accounts.models import Invitation, Role
from destek.accounts.permissions import GRANTED_CAPABILITIES, ROLE_CAPABILITIES, Capability
from destek.accounts.services import invite
from destek.tickets import actions
from destek.tickets.models import Category
from tests.api.world import api_world
from tests.conftest import client_for

# Distinctive strings that must never reach the owner or another workspace.
SECRET_SUBJECT = "Gizli-konu-7f3a iade talebi"
SECRET_CUSTOMER = "Sır Müşteri Özdemir"
SECRET_EMAIL = "sir.musteri.7f3a@musteri.test"
SECRET_BODY = "gizli-govde-7f3a kart numaram 4111"
SECRET_NOTE = "gizli-not-7f3a"
SECRET_FILE = "gizli-ek-7f3a.pdf"
SECRETS = [SECRET_SUBJECT, SECRET_CUSTOMER, SECRET_EMAIL, SECRET_BODY, SECRET_NOTE, SECRET_FILE]

# A role that may do it only when its workspace allows it; the walk runs with the default (off).
IF_ALLOWED = "if allowed"

# DESIGN §3, written out by hand: (owner, admin, agent) may …
DESIGN_MATRIX = {
    Capability.VIEW_STATS: (True, True, True),
    Capability.VIEW_ALL_STATS: (True, True, False),
    Capability.READ_TICKETS: (False, True, True),
    Capability.WORK_TICKETS: (False, True, True),
    Capability.MANAGE_DESK: (False, True, False),
    Capability.MANAGE_MEMBERS: (True, True, False),
    Capability.VIEW_AUDIT: (True, True, False),
    Capability.VIEW_SYSTEM_MAIL: (False, True, False),
    Capability.MANAGE_PRIVACY: (False, True, False),
    Capability.USE_WORKSPACE: (True, True, True),
    Capability.EDIT_KB: (False, True, IF_ALLOWED),
}
ROLES = ("owner", "admin", "agent")


def test_role_capabilities_follow_the_design_matrix():
    assert set(DESIGN_MATRIX) == set(Capability)
    for capability, allowed in DESIGN_MATRIX.items():
        for role, expected in zip(ROLES, allowed, strict=True):
            fixed = capability in ROLE_CAPABILITIES[Role(role)]
            granted = capability in GRANTED_CAPABILITIES.get(Role(role), {})
            assert (fixed, granted) == (expected is True, expected == IF_ALLOWED), (
                role,
                capability,
            )


@dataclass(frozen=True)
class Route:
    pattern: str
    name: str | None
    view: object


def _walk(patterns, prefix: str = "") -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield Route(prefix + str(entry.pattern), entry.name, entry.callback)


ROUTES = list(_walk(get_resolver().url_patterns))


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.pattern)
def test_every_view_goes_through_the_permission_layer(route):
    # "api": a REST API operation, which checks its token's capability itself; proven
    # operation by operation in tests/api/test_api_walk.py.
    assert getattr(route.view, "destek_access", None) in {"public", "login", "workspace", "api"}, (
        f"{route.pattern} is not wrapped by public_view, login_view or workspace_view"
    )


@pytest.fixture
def world(workspace, other_workspace, admin, agent, owner, other_agent):
    customer = actions.get_or_create_customer(
        workspace=workspace, email=SECRET_EMAIL, name=SECRET_CUSTOMER
    )
    ticket = actions.create_ticket(
        workspace=workspace,
        customer=customer,
        subject=SECRET_SUBJECT,
        text=SECRET_BODY,
        files=[SimpleUploadedFile(SECRET_FILE, b"%PDF-1.4 gizli", "application/pdf")],
    )
    actions.add_note(ticket=ticket, actor=agent, text=SECRET_NOTE)
    actions.reply(ticket=ticket, actor=agent, text="Merhaba, inceliyoruz.")
    invitation = invite(workspace=workspace, email="yeni@anadolu.test", role="agent", actor=admin)
    attachment = ticket.messages.first().attachments.get()
    return {
        "workspace_slug": workspace.slug,
        "number": ticket.number,
        "code": ticket.code,
        "pk": customer.pk,
        "customer_id": customer.pk,
        "attachment_id": attachment.pk,
        "message_id": ticket.messages.first().pk,
        "canned_id": _first_canned(workspace).pk,
        "category_id": Category.objects.filter(workspace=workspace).first().pk,
        "membership_id": workspace.memberships.get(user=agent).pk,
        "token": invitation.token,
        "invitation_id": invitation.pk,
        "name": _any_system_mail_name(),
        "uidb64": "MQ",
        "ticket": ticket,
        "closed_day_id": _sla_closed_day(workspace).pk,
        "rule_id": _first_rule(workspace).pk,
        "team_id": _team(workspace, agent).pk,
        "notification_id": _notification(ticket, agent).pk,
        "view_id": _saved_view(workspace, agent).pk,
        "own_canned_id": _own_canned(workspace, agent).pk,
        **_mail_world(workspace, ticket),
        **api_world(workspace, agent),
        **_kb_world(workspace),
    }


def _saved_view(workspace, agent):
    from destek.search.models import SavedView

    return SavedView.objects.create(
        workspace=workspace, owner=agent, name="Gizli", query="queue=open"
    )


def _first_rule(workspace):
    from destek.automation.models import Rule

    return Rule.objects.filter(workspace=workspace).first()


def _mail_world(workspace, ticket) -> dict:
    """A failing mailbox, the ticket's first message as received mail (raw kept, also in the
    quarantine) and its reply as a failed outbox row: mail content the owner must never see."""
    from destek.mail.models import InboundEmail, Mailbox, MessageEnvelope, OutboundEmail

    mailbox = Mailbox.objects.create(
        workspace=workspace,
        address="destek@anadolu.test",
        imap_host="mail.anadolu.test",
        imap_port=993,
        failure_count=3,
        last_error="Bağlantı reddedildi",
    )
    raw = f"Subject: {SECRET_SUBJECT}\r\nFrom: {SECRET_EMAIL}\r\n\r\n{SECRET_BODY}\r\n".encode()
    inbound = InboundEmail.objects.create(
        workspace=workspace,
        mailbox=mailbox,
        source="pipe",
        raw=raw,
        size=len(raw),
        sha256="7f3a" * 16,
        status="quarantined",
        error="Gönderen adresi yok",
    )
    first, reply = ticket.messages.filter(kind__in=["customer", "reply"]).order_by("created_at")
    MessageEnvelope.objects.create(
        workspace=workspace, ticket_message=first, ticket=ticket, mailbox=mailbox, inbound=inbound
    )
    outbound = OutboundEmail.objects.create(
        workspace=workspace,
        mailbox=mailbox,
        ticket=ticket,
        ticket_message=reply,
        kind="reply",
        to=[SECRET_EMAIL],
        subject=SECRET_SUBJECT,
        message_id="<walk-7f3a@anadolu.test>",
        status="failed",
        last_error="550 mailbox unavailable",
    )
    return {"mailbox_id": mailbox.pk, "inbound_id": inbound.pk, "outbound_id": outbound.pk}


def _own_canned(workspace, agent):
    from destek.tickets.models import CannedReply

    return CannedReply.objects.create(workspace=workspace, title="Benim", body="b", owner=agent)


def _notification(ticket, agent):
    from destek.notifications.services import notify

    return notify(recipients=[agent], ticket=ticket, kind="customer_replied")[0]


def _team(workspace, agent):
    from destek.tickets.models import Team

    team = Team.objects.create(workspace=workspace, name="Teknik")
    team.members.add(workspace.memberships.get(user=agent))
    return team


def _sla_closed_day(workspace):
    from datetime import date

    from destek.sla.models import ClosedDay

    return ClosedDay.objects.create(workspace=workspace, date=date(2026, 12, 31), name="Sayım")


def _first_canned(workspace):
    from destek.tickets.models import CannedReply

    return CannedReply.objects.filter(workspace=workspace).first()


def _any_system_mail_name() -> str:
    from destek.lib.system_mail import stored_mails

    mail = next(iter(stored_mails()), None)
    return mail.name if mail else "none.eml"


def _kb_world(workspace) -> dict:
    """A published public SSS article in a category: its public and staff pages answer."""
    from destek.kb.models import Article, KbCategory

    category = KbCategory.objects.create(workspace=workspace, name="Ödeme", slug="odeme")
    article = Article.objects.create(
        workspace=workspace,
        category=category,
        slug="odeme-alinamiyor",
        title="Ödeme alınamıyor",
        body="Kartınızın internet alışverişine açık olduğundan emin olun.",
        status="published",
    )
    return {
        "category_slug": category.slug,
        "kb_category_id": category.pk,
        "article_slug": article.slug,
        "article_id": article.pk,
    }


def _url(route: Route, world: dict) -> str:
    import re

    path = route.pattern

    def fill(match: re.Match) -> str:
        name = match.group(2)
        assert name in world, f"route {route.pattern}: the walk does not know <{name}>"
        return str(world[name])

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, path).lstrip("^").rstrip("$")


def _expected_for(route: Route, role: str) -> set[int]:
    access = route.view.destek_access
    if access == "public":
        return {200, 302, 400, 404, 405}
    if access == "login":
        return {200, 302, 405}
    if access == "api":  # a session is no API token; POST-only operations answer GET with 405
        return {401, 405}
    capability = route.view.destek_capability
    allowed = DESIGN_MATRIX[capability][ROLES.index(role)] is True
    return {200, 302, 405} if allowed else {403}


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.pattern)
def test_walk_every_route_as_every_role(route, world, owner, admin, agent, other_agent):
    url = _url(route, world)
    access = route.view.destek_access

    anonymous = client_for(None).get(url)
    if access == "api":
        assert anonymous.status_code in {401, 405}, url
    elif access != "public":
        assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    _assert_no_secrets(anonymous, "anonymous", url)

    for role, user in (("owner", owner), ("admin", admin), ("agent", agent)):
        response = client_for(user).get(url)
        assert response.status_code in _expected_for(route, role), (role, url)
        if role == "owner":
            _assert_no_secrets(response, role, url)

    stranger = client_for(other_agent).get(url)
    if access == "workspace":
        assert stranger.status_code == 404, url
    _assert_no_secrets(stranger, "other workspace", url)


@pytest.mark.parametrize(
    "route", [r for r in ROUTES if r.view.destek_access == "workspace"], ids=lambda r: r.pattern
)
def test_posting_as_owner_or_stranger_changes_nothing(route, world, owner, other_agent):
    from destek.tickets.models import Message, Ticket, TicketEvent

    def snapshot():
        return (
            list(Ticket.objects.values_list("status", "assignee_id", "priority", "category_id")),
            Message.objects.count(),
            TicketEvent.objects.count(),
            Invitation.objects.count(),
        )

    before = snapshot()
    url = _url(route, world)
    form = {"status": "closed", "text": "x", "assignee": "", "priority": "P0", "role": "admin"}
    stranger = client_for(other_agent).post(url, form)
    assert stranger.status_code == 404, url
    owner_answer = client_for(owner).post(url, form)
    allowed_for_owner = DESIGN_MATRIX[route.view.destek_capability][0] is True
    if not allowed_for_owner:
        assert owner_answer.status_code == 403, url
        assert snapshot() == before, url
    _assert_no_secrets(owner_answer, "owner", url)


def _assert_no_secrets(response, who: str, url: str) -> None:
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content).decode("utf-8", "replace")
    else:
        body = response.content.decode("utf-8", "replace")
    for secret in SECRETS:
        assert secret not in body, f"{who} saw {secret!r} at {url}"


# --- The customer portal (/s/<slug>/): public_view plus the portal's own customer session ------

PORTAL_ROUTES = [r for r in ROUTES if r.pattern.startswith("s/")]
OTHER_SECRETS = ["B-konu-5d1e kargo", "B-govde-5d1e adresim", "b.musteri.5d1e@baska.test"]


@pytest.mark.parametrize("route", PORTAL_ROUTES, ids=lambda r: r.pattern)
def test_walk_portal_routes_as_a_customer(route, world, other_workspace):
    """A signed-in customer of workspace A sees no internal note anywhere and nothing of
    workspace B, whether the URL names A or B."""
    from destek.tickets.models import Customer
    from tests.portal.conftest import signed_in

    stranger = actions.get_or_create_customer(
        workspace=other_workspace, email=OTHER_SECRETS[2], name="B Müşteri"
    )
    actions.create_ticket(
        workspace=other_workspace,
        customer=stranger,
        subject=OTHER_SECRETS[0],
        text=OTHER_SECRETS[1],
    )
    client = signed_in(Customer.objects.get(email=SECRET_EMAIL))
    for slug in (world["workspace_slug"], other_workspace.slug):
        url = _url(route, {**world, "workspace_slug": slug})
        response = client.get(url)
        assert response.status_code in {200, 302, 400, 404, 405}, url
        if getattr(response, "streaming", False):
            body = b"".join(response.streaming_content).decode("utf-8", "replace")
        else:
            body = response.content.decode("utf-8", "replace")
        for secret in [SECRET_NOTE, *OTHER_SECRETS]:
            assert secret not in body, f"customer saw {secret!r} at {url}"
        if slug == other_workspace.slug and "talepler/" in route.pattern:
            assert response.status_code == 302 and "/giris/" in response["Location"], url
