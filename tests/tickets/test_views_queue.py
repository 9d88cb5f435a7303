"""The queue page, bulk changes and manual ticket creation."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from destek.accounts.models import Membership, Role
from destek.accounts.settings_cache import forget_all
from destek.tickets import actions
from destek.tickets.models import Category, Customer, EventKind, Message, Ticket
from destek.tickets.status import Status
from tests.conftest import make_user
from tests.tickets.conftest import page_text, shown_messages


@pytest.fixture
def queue_url(workspace) -> str:
    return reverse("ticket_queue", args=[workspace.slug])


@pytest.fixture
def bulk_url(workspace) -> str:
    return reverse("ticket_bulk", args=[workspace.slug])


def numbers(response) -> list[int]:
    return [ticket.number for ticket in response.context["page_obj"]]


def test_owner_is_refused_the_queue(owner_client, queue_url, ticket):
    response = owner_client.get(queue_url)

    assert response.status_code == 403
    assert ticket.subject not in page_text(response)


def test_other_workspace_agent_gets_404(other_agent_client, queue_url):
    assert other_agent_client.get(queue_url).status_code == 404


def test_default_tab_is_all_open_work(agent_client, agent, queue_url, make_ticket):
    new, pending, resolved = make_ticket(), make_ticket(), make_ticket()
    actions.change_status(ticket=pending, actor=agent, status=Status.PENDING)
    actions.change_status(ticket=resolved, actor=agent, status=Status.RESOLVED)

    response = agent_client.get(queue_url)

    assert response.status_code == 200
    assert response.context["queue"] == "open"
    assert sorted(numbers(response)) == [new.number, pending.number]


def test_unassigned_tab_leaves_out_assigned_and_finished(
    agent_client, agent, queue_url, make_ticket
):
    free, taken, done = make_ticket(), make_ticket(), make_ticket()
    actions.assign(ticket=taken, actor=agent, assignee=agent)
    actions.change_status(ticket=done, actor=agent, status=Status.CLOSED)

    response = agent_client.get(queue_url, {"queue": "unassigned"})

    assert numbers(response) == [free.number]


def test_mine_tab_shows_my_active_tickets(agent_client, agent, admin, queue_url, make_ticket):
    mine, theirs, mine_done = make_ticket(), make_ticket(), make_ticket()
    actions.assign(ticket=mine, actor=agent, assignee=agent)
    actions.assign(ticket=theirs, actor=admin, assignee=admin)
    actions.assign(ticket=mine_done, actor=agent, assignee=agent)
    actions.change_status(ticket=mine_done, actor=agent, status=Status.RESOLVED)

    response = agent_client.get(queue_url, {"queue": "mine"})

    assert numbers(response) == [mine.number]


def test_done_tab_shows_resolved_and_closed(agent_client, agent, queue_url, make_ticket):
    resolved, closed, _open = make_ticket(), make_ticket(), make_ticket()
    actions.change_status(ticket=resolved, actor=agent, status=Status.RESOLVED)
    actions.change_status(ticket=closed, actor=agent, status=Status.CLOSED)

    response = agent_client.get(queue_url, {"queue": "done"})

    assert sorted(numbers(response)) == [resolved.number, closed.number]


def test_tabs_show_their_counts(agent_client, agent, queue_url, make_ticket):
    mine, _free, pending = make_ticket(), make_ticket(), make_ticket()
    actions.claim(ticket=mine, actor=agent)
    actions.change_status(ticket=pending, actor=agent, status=Status.PENDING)

    response = agent_client.get(queue_url)

    assert {tab.key: tab.count for tab in response.context["tabs"]} == {
        "unassigned": 2,
        "mine": 1,
        "open": 3,
        "pending": 1,
        "done": None,
    }


def test_the_done_tab_has_no_count(agent_client, agent, queue_url, make_ticket):
    # The whole history sits there: counting it would cost more than the page may.
    done = make_ticket()
    actions.change_status(ticket=done, actor=agent, status=Status.RESOLVED)

    response = agent_client.get(queue_url)

    tabs = {tab.key: tab.count for tab in response.context["tabs"]}
    assert tabs["done"] is None
    assert tabs["open"] == 0


def test_filter_by_priority(agent_client, queue_url, make_ticket):
    urgent, _normal = make_ticket(priority="P0"), make_ticket(priority="P2")

    response = agent_client.get(queue_url, {"priority": "P0"})

    assert numbers(response) == [urgent.number]


def test_filter_by_customer_name_or_email(agent_client, workspace, queue_url, make_ticket):
    other = Customer.objects.create(workspace=workspace, email="ali@firma.test", name="Ali Veli")
    theirs, _mine = make_ticket(customer=other), make_ticket()

    by_name = agent_client.get(queue_url, {"customer": "veli"})
    by_email = agent_client.get(queue_url, {"customer": "FIRMA.test"})

    assert numbers(by_name) == numbers(by_email) == [theirs.number]


def test_filter_by_unassigned_and_by_tag(agent_client, agent, queue_url, make_ticket):
    tagged, taken = make_ticket(), make_ticket()
    actions.set_tags(ticket=tagged, actor=agent, names=["kargo"])
    actions.set_tags(ticket=taken, actor=agent, names=["kargo"])
    actions.assign(ticket=taken, actor=agent, assignee=agent)

    response = agent_client.get(queue_url, {"assignee": "none", "tag": "Kargo"})

    assert numbers(response) == [tagged.number]


def test_invalid_filter_values_are_ignored(agent_client, queue_url, ticket):
    response = agent_client.get(queue_url, {"category": "999999", "status": "gone"})

    assert response.status_code == 200
    assert numbers(response) == [ticket.number]


def test_sort_by_priority_puts_p0_first(agent_client, queue_url, make_ticket):
    low, urgent, high = (
        make_ticket(priority="P3"),
        make_ticket(priority="P0"),
        make_ticket(priority="P1"),
    )

    response = agent_client.get(queue_url, {"sort": "priority"})

    assert numbers(response) == [urgent.number, high.number, low.number]


def test_sort_oldest_first(agent_client, queue_url, make_ticket):
    first, second = make_ticket(), make_ticket()

    response = agent_client.get(queue_url, {"sort": "oldest"})

    assert numbers(response) == [first.number, second.number]


def test_queue_pages_by_fifty(agent_client, queue_url, make_ticket):
    for _ in range(51):
        make_ticket()

    first = agent_client.get(queue_url)
    second = agent_client.get(queue_url, {"page": 2})

    assert len(numbers(first)) == 50
    assert len(numbers(second)) == 1


def test_row_shows_critical_category_tags_and_time_in_workspace_zone(
    agent_client, agent, workspace, queue_url, make_ticket
):
    category = Category.objects.get(workspace=workspace, name="Ödeme / Checkout")
    ticket = make_ticket("Ödeme sayfası açılmıyor", category=category)
    actions.set_tags(ticket=ticket, actor=agent, names=["checkout"])
    Ticket.objects.filter(pk=ticket.pk).update(updated_at=datetime(2026, 11, 20, 9, 5, tzinfo=UTC))

    text = page_text(agent_client.get(queue_url))

    assert '<span class="critical" title="Kritik kategori">⚠ Ödeme / Checkout</span>' in text
    assert '<span class="tag">checkout</span>' in text
    assert ">20 Kas 12:05</time>" in text  # 09:05 UTC is 12:05 in Istanbul


def test_queue_query_count_does_not_grow_with_rows(agent_client, agent, queue_url, make_ticket):
    agent_client.get(queue_url)  # the session learns its workspace once, with a write

    def queries_for(count: int) -> int:
        Ticket.objects.all().delete()
        for index in range(count):
            ticket = make_ticket(f"Talep {index}")
            actions.set_tags(ticket=ticket, actor=agent, names=["a", "b"])
            actions.assign(ticket=ticket, actor=agent, assignee=agent)
        forget_all()  # each count includes the workspace's settings, read once per process
        with CaptureQueriesContext(connection) as captured:
            assert len(numbers(agent_client.get(queue_url))) == count
        return len(captured)

    assert queries_for(3) == queries_for(30)


def test_rows_of_a_former_agent_show_their_name_in_constant_queries(
    agent_client, agent, workspace, queue_url, make_ticket
):
    """Assignees come from the list kept for pages; one who left the workspace is not on it
    and is read for the whole page at once, not per row."""
    agent_client.get(queue_url)
    former = make_user("eski@anadolu.test", "Eski Temsilci")
    membership = Membership.objects.create(workspace=workspace, user=former, role=Role.AGENT)

    def queries_for(count: int) -> int:
        Ticket.objects.all().delete()
        for index in range(count):
            actions.assign(ticket=make_ticket(f"Talep {index}"), actor=agent, assignee=former)
        Membership.objects.filter(pk=membership.pk).update(is_active=False)
        forget_all()
        with CaptureQueriesContext(connection) as captured:
            text = page_text(agent_client.get(queue_url))
        Membership.objects.filter(pk=membership.pk).update(is_active=True)
        assert text.count('<td class="hide-sm">Eski Temsilci</td>') == count
        return len(captured)

    assert queries_for(2) == queries_for(12)


def test_htmx_filter_request_gets_only_the_results(agent_client, queue_url, ticket):
    response = agent_client.get(
        queue_url, {"priority": "P2"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="queue-results"
    )

    assert [t.name for t in response.templates][0] == "tickets/_queue_results.html"
    assert "<html" not in page_text(response)
    assert ticket.subject in page_text(response)


# --- bulk ---------------------------------------------------------------------------------------


def test_bulk_assign_gives_the_chosen_tickets_to_an_agent(
    agent_client, agent, bulk_url, make_ticket
):
    one, two, untouched = make_ticket(), make_ticket(), make_ticket()

    response = agent_client.post(
        bulk_url, {"tickets": [one.number, two.number], "assignee": agent.pk}, follow=True
    )

    assert list(Ticket.objects.order_by("number").values_list("assignee", flat=True)) == [
        agent.pk,
        agent.pk,
        None,
    ]
    assert untouched.events.filter(kind=EventKind.ASSIGNEE).count() == 0
    assert one.events.get(kind=EventKind.ASSIGNEE).actor == agent
    assert shown_messages(response) == ["2 talep güncellendi."]


def test_bulk_unassign(agent_client, agent, bulk_url, ticket):
    actions.assign(ticket=ticket, actor=agent, assignee=agent)

    agent_client.post(bulk_url, {"tickets": [ticket.number], "assignee": "none"})

    ticket.refresh_from_db()
    assert ticket.assignee is None


def test_bulk_status_reports_refused_tickets_and_changes_the_rest(
    agent_client, agent, bulk_url, make_ticket
):
    fine, closed = make_ticket(), make_ticket()
    actions.change_status(ticket=closed, actor=agent, status=Status.CLOSED)

    response = agent_client.post(
        bulk_url, {"tickets": [fine.number, closed.number], "status": "pending"}, follow=True
    )

    fine.refresh_from_db()
    assert fine.status == Status.PENDING
    assert shown_messages(response) == [
        "1 talep güncellendi.",
        f"{closed.code}: “Kapandı” durumundan “Beklemede” durumuna geçilemez.",
    ]


def test_bulk_never_touches_another_workspaces_ticket(
    agent_client, agent, bulk_url, other_workspace
):
    customer = actions.get_or_create_customer(workspace=other_workspace, email="x@baska.test")
    foreign = actions.create_ticket(
        workspace=other_workspace, customer=customer, subject="Başka", text="x"
    )

    response = agent_client.post(
        bulk_url, {"tickets": [foreign.number], "status": "closed"}, follow=True
    )

    foreign.refresh_from_db()
    assert foreign.status == Status.NEW
    assert shown_messages(response) == []


def test_bulk_without_a_selection_says_so(agent_client, bulk_url, ticket):
    response = agent_client.post(bulk_url, {"status": "pending"}, follow=True)

    assert shown_messages(response) == ["Önce en az bir talep seçin."]


def test_bulk_without_a_change_says_so(agent_client, bulk_url, ticket):
    response = agent_client.post(bulk_url, {"tickets": [ticket.number]}, follow=True)

    assert shown_messages(response) == ["Bir atama veya durum seçin."]


def test_bulk_returns_to_the_queue_it_came_from(agent_client, agent, bulk_url, queue_url, ticket):
    back = f"{queue_url}?queue=unassigned&priority=P2"

    response = agent_client.post(
        bulk_url, {"tickets": [ticket.number], "assignee": agent.pk, "next": back}
    )

    assert response["Location"] == back


def test_bulk_ignores_an_offsite_return_address(agent_client, agent, bulk_url, queue_url, ticket):
    response = agent_client.post(
        bulk_url,
        {"tickets": [ticket.number], "assignee": agent.pk, "next": "https://evil.test/"},
    )

    assert response["Location"] == queue_url


def test_bulk_must_be_posted(agent_client, bulk_url):
    assert agent_client.get(bulk_url).status_code == 405


# --- manual creation ----------------------------------------------------------------------------


@pytest.fixture
def create_url(workspace) -> str:
    return reverse("ticket_create", args=[workspace.slug])


def test_agent_creates_a_ticket_for_a_new_customer(agent_client, agent, workspace, create_url):
    category = Category.objects.get(workspace=workspace, name="Site erişimi / hata")

    response = agent_client.post(
        create_url,
        {
            "email": "Telefon.Musteri@Firma.test",
            "name": "Telefon Müşteri",
            "subject": "Site açılmıyor",
            "text": "Aradı, ana sayfa 500 veriyor.",
            "category": category.pk,
            "files": [SimpleUploadedFile("not.txt", b"arama notu", "text/plain")],
        },
    )

    ticket = Ticket.objects.get(workspace=workspace)
    message = Message.objects.get(ticket=ticket)
    assert response.status_code == 302
    assert response["Location"] == reverse("ticket_detail", args=[workspace.slug, ticket.number])
    assert ticket.customer.email == "telefon.musteri@firma.test"
    assert ticket.customer.name == "Telefon Müşteri"
    assert (ticket.subject, ticket.category, ticket.priority) == ("Site açılmıyor", category, "P0")
    assert (message.author, message.text) == (agent, "Aradı, ana sayfa 500 veriyor.")
    assert [a.filename for a in message.attachments.all()] == ["not.txt"]
    assert ticket.events.get(kind=EventKind.CREATED).actor == agent


def test_creating_for_a_known_email_reuses_the_customer(agent_client, customer, create_url):
    agent_client.post(
        create_url,
        {"email": customer.email, "subject": "Yeni soru", "text": "Soru", "priority": "P1"},
    )

    ticket = Ticket.objects.get()
    assert ticket.customer == customer
    assert ticket.priority == "P1"
    assert Customer.objects.count() == 1


def test_create_form_shows_errors_and_creates_nothing(agent_client, create_url):
    response = agent_client.post(create_url, {"email": "değil-eposta", "subject": ""})

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"email", "subject", "text"}
    assert not Ticket.objects.exists()


def test_owner_cannot_create_tickets(owner_client, create_url):
    assert owner_client.get(create_url).status_code == 403


def test_default_order_is_last_updated_first(agent_client, agent, queue_url, make_ticket):
    first, second = make_ticket(), make_ticket()
    actions.add_note(ticket=first, actor=agent, text="güncellendi")

    response = agent_client.get(queue_url)

    assert numbers(response) == [first.number, second.number]
    assert response.context["form"]["sort"].value() in (None, "", "updated")


def test_the_done_tab_pages_without_counting(
    agent_client, agent, queue_url, make_ticket, monkeypatch
):
    monkeypatch.setattr("destek.tickets.views.queue.PER_PAGE", 2)
    done = [make_ticket() for _ in range(3)]
    for ticket in done:
        actions.change_status(ticket=ticket, actor=agent, status=Status.RESOLVED)

    with CaptureQueriesContext(connection) as captured:
        first = agent_client.get(queue_url, {"queue": "done"})
    # Read now: the next request empties the connection's query log.
    queries = [query["sql"] for query in captured.captured_queries]
    last = agent_client.get(queue_url, {"queue": "done", "page": "2"})

    assert queries
    assert not [sql for sql in queries if 'COUNT(*) AS "__count" FROM "tickets_ticket"' in sql]
    assert numbers(first) == [done[2].number, done[1].number]
    assert numbers(last) == [done[0].number]
    assert "page=2" in page_text(first) and "Sayfa 1" in page_text(first)
    assert "page=1" in page_text(last) and "page=3" not in page_text(last)


def test_an_unfiltered_tab_pages_by_its_tab_count(
    agent_client, agent, queue_url, make_ticket, monkeypatch
):
    monkeypatch.setattr("destek.tickets.views.queue.PER_PAGE", 2)
    mine = [make_ticket() for _ in range(3)]
    for ticket in mine:
        actions.claim(ticket=ticket, actor=agent)
    make_ticket()  # unassigned: in "open", not in "mine"

    with CaptureQueriesContext(connection) as captured:
        response = agent_client.get(queue_url, {"queue": "mine"})
    # Read now: the next request empties the connection's query log.
    queries = [query["sql"] for query in captured.captured_queries]
    filtered = agent_client.get(queue_url, {"queue": "mine", "priority": mine[0].priority})

    # The tabs' one aggregate counted the list: no COUNT(*) of the tickets of its own.
    assert queries
    assert not [sql for sql in queries if 'COUNT(*) AS "__count" FROM "tickets_ticket"' in sql]
    assert response.context["page_obj"].paginator.count == 3
    assert response.context["page_obj"].paginator.num_pages == 2
    assert filtered.context["page_obj"].paginator.count == 3
