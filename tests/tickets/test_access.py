"""Access helpers: every lookup is scoped to the request's workspace."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.test import RequestFactory

from destek.accounts.models import Membership, Role
from destek.tickets import access, actions
from destek.tickets.models import CannedReply


def request_in(workspace):
    request = RequestFactory().get("/")
    request.workspace = workspace
    return request


def test_ticket_is_found_by_number_in_its_workspace(workspace, ticket):
    assert access.get_ticket_for(request_in(workspace), ticket.number) == ticket


def test_ticket_of_another_workspace_is_not_found(other_workspace, ticket):
    with pytest.raises(Http404):
        access.get_ticket_for(request_in(other_workspace), ticket.number)


def test_same_number_resolves_to_each_workspaces_own_ticket(workspace, other_workspace, ticket):
    customer = actions.get_or_create_customer(workspace=other_workspace, email="b@baska.test")
    theirs = actions.create_ticket(
        workspace=other_workspace, customer=customer, subject="Başka", text="x"
    )

    assert theirs.number == ticket.number
    assert access.get_ticket_for(request_in(other_workspace), 1) == theirs
    assert access.get_ticket_for(request_in(workspace), 1) == ticket


def test_bulk_lookup_leaves_out_other_workspaces(workspace, other_workspace, ticket):
    assert list(access.get_tickets_for(request_in(other_workspace), [ticket.number])) == []
    assert list(access.get_tickets_for(request_in(workspace), [ticket.number, 99])) == [ticket]


def test_customer_of_another_workspace_is_not_found(other_workspace, customer):
    with pytest.raises(Http404):
        access.get_customer_for(request_in(other_workspace), customer.pk)


def test_attachment_needs_its_own_ticket_number(workspace, attachment, ticket):
    number = attachment.message.ticket.number

    assert access.get_attachment_for(request_in(workspace), number, attachment.pk) == attachment
    with pytest.raises(Http404):
        access.get_attachment_for(request_in(workspace), ticket.number, attachment.pk)


def test_attachment_of_another_workspace_is_not_found(other_workspace, attachment):
    with pytest.raises(Http404):
        access.get_attachment_for(
            request_in(other_workspace), attachment.message.ticket.number, attachment.pk
        )


def test_canned_reply_of_another_workspace_is_not_found(workspace, other_workspace, agent):
    foreign = CannedReply.objects.filter(workspace=other_workspace).first()
    request = request_in(workspace)
    request.user = agent

    with pytest.raises(Http404):
        access.get_canned_reply_for(request, foreign.pk)


def test_someone_elses_personal_canned_reply_is_not_found(workspace, admin, agent):
    theirs = CannedReply.objects.create(workspace=workspace, title="Y", body="y", owner=admin)
    request = request_in(workspace)
    request.user = agent

    with pytest.raises(Http404):
        access.get_canned_reply_for(request, theirs.pk)
    request.user = admin
    assert access.get_canned_reply_for(request, theirs.pk) == theirs


def test_agents_are_active_admins_and_agents_only(workspace, owner, admin, agent, other_agent):
    removed = Membership.objects.create(
        workspace=workspace,
        user=type(agent).objects.create_user("eski@anadolu.test", "x"),
        role=Role.AGENT,
        is_active=False,
    )

    agents = access.workspace_agents(workspace)

    assert set(agents) == {admin, agent}
    assert removed.user not in agents
