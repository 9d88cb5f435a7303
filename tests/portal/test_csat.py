from datetime import UTC, datetime

import pytest
from django.core import mail
from django.test import Client

from destek.portal import csat
from destek.portal.models import SatisfactionRating
from destek.tickets import actions
from destek.tickets.status import Status
from tests.conftest import client_for
from tests.portal.conftest import signed_in


def _survey_path(ticket) -> str:
    return "/" + csat.survey_url(ticket).split("://", 1)[1].split("/", 1)[1]


def test_resolving_mails_the_customer_a_survey_link(
    workspace, ticket, agent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        actions.change_status(ticket=ticket, actor=agent, status=Status.RESOLVED)
    [survey] = mail.outbox
    assert survey.to == ["zeynep.kaya@musteri.test"]
    assert survey.subject == f"Talebiniz çözüldü: {ticket.code}"
    assert csat.survey_url(ticket).split("/memnuniyet/")[0] in survey.body


def test_other_status_changes_send_no_survey(
    workspace, ticket, agent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        actions.change_status(ticket=ticket, actor=agent, status=Status.PENDING)
    assert mail.outbox == []


def test_a_rating_by_the_signed_link(workspace, ticket, agent):
    actions.change_status(ticket=ticket, actor=agent, status=Status.RESOLVED)
    response = Client().post(_survey_path(ticket), {"score": "4", "comment": "Hızlıydınız."})
    assert response.status_code == 302
    rating = SatisfactionRating.objects.get()
    assert (rating.ticket, rating.customer, rating.score, rating.comment) == (
        ticket,
        ticket.customer,
        4,
        "Hızlıydınız.",
    )


def test_one_rating_per_ticket_changeable_until_closed(workspace, ticket, agent):
    actions.change_status(ticket=ticket, actor=agent, status=Status.RESOLVED)
    client = Client()
    client.post(_survey_path(ticket), {"score": "2"})
    client.post(_survey_path(ticket), {"score": "5", "comment": "Sonunda çözüldü"})
    assert list(SatisfactionRating.objects.values_list("score", "comment")) == [
        (5, "Sonunda çözüldü")
    ]
    actions.change_status(ticket=ticket, actor=agent, status=Status.CLOSED)
    response = client.post(_survey_path(ticket), {"score": "1"})
    assert SatisfactionRating.objects.get().score == 5
    assert "değiştirilemez" in client.get(response["Location"]).content.decode()


def test_an_unresolved_ticket_cannot_be_rated(workspace, ticket):
    with pytest.raises(csat.RatingClosed):
        csat.rate(ticket=ticket, score=5)
    Client().post(_survey_path(ticket), {"score": "5"})
    assert not SatisfactionRating.objects.exists()


def test_a_score_outside_one_to_five_is_refused(workspace, ticket, agent):
    actions.change_status(ticket=ticket, actor=agent, status=Status.RESOLVED)
    assert Client().post(_survey_path(ticket), {"score": "6"}).status_code == 400
    assert not SatisfactionRating.objects.exists()


def test_a_forged_or_foreign_link_is_404(workspace, ticket, other_workspace):
    token = csat.make_token(ticket)
    assert Client().get(f"/s/anadolu/memnuniyet/{token}x/").status_code == 404
    assert Client().get(f"/s/baska/memnuniyet/{token}/").status_code == 404


def test_the_portal_ticket_page_offers_the_survey(workspace, customer, ticket, agent):
    actions.change_status(ticket=ticket, actor=agent, status=Status.RESOLVED)
    client = signed_in(customer)
    page = client.get(f"/s/anadolu/talepler/{ticket.number}/").content.decode()
    assert "Yardımımızı değerlendirin" in page
    response = client.post(_survey_path(ticket), {"score": "3"})
    assert response["Location"] == f"/s/anadolu/talepler/{ticket.number}/"
    assert "Puanınız: 3 / 5" in client.get(response["Location"]).content.decode()


def test_agents_see_the_rating_on_the_ticket(workspace, ticket, agent):
    actions.change_status(ticket=ticket, actor=agent, status=Status.RESOLVED)
    csat.rate(ticket=ticket, score=2, comment="Çok bekledim")
    page = client_for(agent).get(f"/w/anadolu/t/{ticket.number}/").content.decode()
    assert "Memnuniyet: 2 / 5" in page
    assert "Çok bekledim" in page


def test_csat_summary_counts_ratings_in_the_period(workspace, customer, agent):
    when = datetime(2026, 3, 10, 12, tzinfo=UTC)
    scores = [5, 4, 2, 5]
    for score in scores:
        ticket = actions.create_ticket(
            workspace=workspace, customer=customer, subject="s", text="t"
        )
        actions.change_status(ticket=ticket, actor=agent, status=Status.RESOLVED)
        csat.rate(ticket=ticket, score=score, now=when)
    late = actions.create_ticket(workspace=workspace, customer=customer, subject="s", text="t")
    actions.change_status(ticket=late, actor=agent, status=Status.RESOLVED)
    csat.rate(ticket=late, score=1, now=datetime(2026, 4, 1, tzinfo=UTC))
    summary = csat.csat_summary(
        workspace, datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC)
    )
    assert summary == {
        "count": 4,
        "average": 4.0,
        "csat_percent": 75.0,
        "distribution": {1: 0, 2: 1, 3: 0, 4: 1, 5: 2},
    }


def test_csat_summary_of_an_empty_period(workspace):
    start, end = datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC)
    assert csat.csat_summary(workspace, start, end) == {
        "count": 0,
        "average": None,
        "csat_percent": None,
        "distribution": {1: 0, 2: 0, 3: 0, 4: 0, 5: 0},
    }


def test_no_survey_for_a_ticket_from_our_own_address(
    workspace, agent, django_capture_on_commit_callbacks
):
    from destek.mail.models import Mailbox

    Mailbox.objects.create(workspace=workspace, address="destek@anadolu.test")
    own = actions.get_or_create_customer(workspace=workspace, email="destek@anadolu.test")
    ticket = actions.create_ticket(workspace=workspace, customer=own, subject="Deneme", text="x")
    with django_capture_on_commit_callbacks(execute=True):
        actions.change_status(ticket=ticket, actor=agent, status=Status.RESOLVED)
    assert mail.outbox == []
