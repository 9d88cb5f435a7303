from __future__ import annotations

from destek.tickets import actions


def test_the_owner_never_reaches_search(owner_client, ticket):
    response = owner_client.get("/w/anadolu/search/?q=odeme")
    assert response.status_code == 403
    assert "Kredi kartıyla" not in response.content.decode()


def test_another_workspace_gets_404(other_agent_client, ticket):
    assert other_agent_client.get("/w/anadolu/search/?q=odeme").status_code == 404


def test_results_are_highlighted_in_the_original_spelling(agent_client, ticket):
    response = agent_client.get("/w/anadolu/search/?q=odeme")
    assert response.status_code == 200
    assert "Kredi kartıyla <mark>ödeme</mark> alamıyorum" in response.content.decode()
    assert "Sepette <mark>ödeme</mark> adımında" in response.content.decode()


def test_a_tracking_code_redirects_to_the_ticket(agent_client, ticket):
    response = agent_client.get("/w/anadolu/search/?q=DST-1")
    assert response.status_code == 302
    assert response["Location"] == "/w/anadolu/t/1/"


def test_an_email_address_redirects_to_the_customer(agent_client, ticket, customer):
    response = agent_client.get("/w/anadolu/search/?q=zeynep.kaya@musteri.test")
    assert response["Location"] == f"/w/anadolu/customers/{customer.pk}/"


def test_filters_without_words_list_the_matching_tickets(agent_client, ticket, agent, workspace):
    other = actions.create_ticket(
        workspace=workspace, customer=ticket.customer, subject="Kargo", text="Nerede?"
    )
    actions.change_status(ticket=other, actor=agent, status="pending")
    response = agent_client.get("/w/anadolu/search/?status=pending")
    content = response.content.decode()
    assert ">DST-2<" in content
    assert ">DST-1<" not in content


def test_the_search_box_is_in_the_top_bar_for_agents_only(agent_client, owner_client):
    assert 'action="/w/anadolu/search/"' in agent_client.get("/w/anadolu/tickets/").content.decode()
    assert (
        'action="/w/anadolu/search/"'
        not in owner_client.get("/w/anadolu/dashboard/").content.decode()
    )
