import re
from datetime import timedelta

from django.core import mail
from django.test import Client
from django.utils import timezone

from destek.portal import signin
from destek.portal.models import MagicLink, hash_token
from destek.tickets import actions
from tests.portal.conftest import links_in_system_mail

SIGNIN = "/s/anadolu/giris/"


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def _token(url: str) -> str:
    return _path(url).split("/giris/", 1)[1].split("/", 1)[0]


def test_asking_for_a_link_mails_a_known_customer_one_link(workspace, customer):
    response = Client().post(SIGNIN, {"email": "Zeynep.Kaya@musteri.test"})
    assert response.status_code == 200
    assert "E-postanızı kontrol edin" in response.content.decode()
    links = links_in_system_mail(customer.email)
    assert len(links) == 1
    assert MagicLink.objects.filter(customer=customer).count() == 1


def test_the_token_is_stored_only_as_its_hash(workspace, customer):
    issued = signin.issue_link(customer=customer)
    token = _token(issued.url)
    link = MagicLink.objects.get()
    assert link.token_hash == hash_token(token)
    assert token not in link.token_hash


def strip(response) -> str:
    """The page without its CSRF tokens (masked afresh on every render)."""
    return re.sub(r"[A-Za-z0-9]{64}", "", response.content.decode())


def test_unknown_address_gets_the_same_answer_and_no_mail(workspace, customer):
    known = Client().post(SIGNIN, {"email": customer.email})
    unknown = Client().post(SIGNIN, {"email": "kimse@bilinmiyor.test"})
    assert unknown.status_code == known.status_code == 200
    assert strip(unknown) == strip(known)
    assert [m.to for m in mail.outbox] == [[customer.email]]
    assert MagicLink.objects.count() == 1


def test_following_a_link_signs_in_and_shows_the_tickets(workspace, customer, ticket):
    issued = signin.issue_link(customer=customer)
    client = Client()
    page = client.get(_path(issued.url))
    assert page.status_code == 200 and "Devam et" in page.content.decode()
    assert MagicLink.objects.get().used_at is None  # looking uses nothing up
    response = client.post(_path(issued.url))
    assert response.status_code == 302
    assert response["Location"] == "/s/anadolu/talepler/"
    listing = client.get("/s/anadolu/talepler/").content.decode()
    assert ticket.subject in listing and ticket.code in listing


def test_a_link_works_once(workspace, customer):
    issued = signin.issue_link(customer=customer)
    assert Client().post(_path(issued.url)).status_code == 302
    second = Client().post(_path(issued.url))
    assert second.status_code == 400
    assert "artık geçerli değil" in second.content.decode()


def test_a_link_expires_after_thirty_minutes(workspace, customer):
    issued = signin.issue_link(customer=customer, now=timezone.now() - timedelta(minutes=31))
    response = Client().post(_path(issued.url))
    assert response.status_code == 400
    assert MagicLink.objects.get().used_at is None


def test_a_link_is_still_good_at_twenty_nine_minutes(workspace, customer):
    issued = signin.issue_link(customer=customer, now=timezone.now() - timedelta(minutes=29))
    assert Client().post(_path(issued.url)).status_code == 302


def test_a_link_of_one_workspace_does_not_open_another(workspace, customer, other_workspace):
    issued = signin.issue_link(customer=customer)
    token = _token(issued.url)
    response = Client().post(f"/s/baska/giris/{token}/")
    assert response.status_code == 400
    assert MagicLink.objects.get().used_at is None


def test_a_session_of_one_workspace_sees_nothing_of_another(workspace, customer, other_workspace):
    stranger = actions.get_or_create_customer(workspace=other_workspace, email=customer.email)
    actions.create_ticket(
        workspace=other_workspace, customer=stranger, subject="Başka firmadaki talep", text="x"
    )
    client = Client()
    client.post(_path(signin.issue_link(customer=customer).url))
    response = client.get("/s/baska/talepler/")
    assert response.status_code == 302
    assert response["Location"].startswith("/s/baska/giris/")


def test_next_is_kept_only_inside_the_workspace_portal(workspace, customer):
    good = signin.issue_link(customer=customer, next_path="/s/anadolu/yeni/")
    assert Client().post(_path(good.url))["Location"] == "/s/anadolu/yeni/"
    evil = signin.issue_link(customer=customer, next_path="https://kotu.test/s/anadolu/")
    assert Client().post(_path(evil.url))["Location"] == "/s/anadolu/talepler/"


def test_links_per_address_are_limited(workspace, customer):
    client = Client()
    answers = [client.post(SIGNIN, {"email": customer.email}).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    assert MagicLink.objects.count() == 3


def test_links_per_ip_are_limited_for_unknown_addresses_too(workspace):
    client = Client()
    answers = [
        client.post(SIGNIN, {"email": f"kisi{n}@bilinmiyor.test"}).status_code for n in range(21)
    ]
    assert answers == [200] * 20 + [429]


def test_the_limit_answer_is_the_same_for_known_and_unknown(workspace, customer):
    for _ in range(3):
        Client().post(SIGNIN, {"email": customer.email})
        Client().post(SIGNIN, {"email": "kimse@bilinmiyor.test"})
    known = Client().post(SIGNIN, {"email": customer.email})
    unknown = Client().post(SIGNIN, {"email": "kimse@bilinmiyor.test"})
    assert known.status_code == unknown.status_code == 429


def test_signing_out_ends_the_customer_session(workspace, customer, customer_client):
    assert customer_client.get("/s/anadolu/talepler/").status_code == 200
    customer_client.post("/s/anadolu/cikis/")
    assert customer_client.get("/s/anadolu/talepler/").status_code == 302


def test_a_staff_login_is_not_a_customer_session(workspace, admin_client):
    response = admin_client.get("/s/anadolu/talepler/")
    assert response.status_code == 302


def test_without_a_sending_mailbox_the_link_goes_as_system_mail(workspace, customer):
    signin.request_link(workspace=workspace, email=customer.email, ip="127.0.0.1")
    [message] = mail.outbox
    assert message.to == [customer.email]
    assert message.subject == "Anadolu Kahve destek sayfasına giriş bağlantınız"
    assert message.extra_headers == {
        "X-Destek-Workspace": "anadolu",
        "X-Destek-Mail": "portal-signin",
    }
    assert "30 dakika" in message.body


def test_the_mailed_link_returns_to_the_page_that_asked(workspace, customer, ticket):
    next_path = f"/s/anadolu/talepler/{ticket.number}/"
    Client().post(f"{SIGNIN}?next={next_path}", {"email": customer.email, "next": next_path})
    [link] = links_in_system_mail(customer.email)
    assert Client().post(_path(link))["Location"] == next_path
