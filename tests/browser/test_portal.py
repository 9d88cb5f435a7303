"""A guest on the customer portal in a real headless Chromium, at phone width: opens the form,
sees a suggested SSS article while typing the subject, sends a ticket with a screenshot, gets
the acknowledgement through a real SMTP server and follows its one-time link to the ticket.

Screenshots land in ``test-output/screenshots/portal-*.png``.
"""

from __future__ import annotations

import re
import time

import pytest

from destek.portal import spam
from destek.tickets.models import Ticket
from tests.browser.test_agent_desk import SCREENSHOTS, browser  # noqa: F401
from tests.mail.smtp_server import connect_mailbox, start_smtp

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LINK = re.compile(r"http://\S+/s/anadolu/giris/[\w-]+/\S*")


@pytest.fixture
def smtp_plain():
    server = start_smtp("plain")
    yield server
    server.stop()


@pytest.fixture
def worker():
    """Mail jobs run at once in the thread that queues them (the live server's)."""
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True
    yield HUEY
    HUEY.immediate = False


@pytest.fixture
def suggested_article(workspace, admin):
    kb = pytest.importorskip("destek.kb.services")
    from destek.kb.models import Article

    return kb.save_article(
        article=Article(
            workspace=workspace,
            title="Ödeme alınamıyor: kontrol listesi",
            body="1. Kart internet alışverişine açık mı?\n2. 3D Secure kodu geldi mi?",
            status="published",
        ),
        actor=admin,
    )


def _wait_for_mail(server, to: str, seconds: float = 20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for received in server.received:
            if to in received.rcpt_tos:
                return received.message
        time.sleep(0.1)
    raise AssertionError(f"no mail to {to} within {seconds} s")


def test_a_guest_asks_on_a_phone_and_follows_the_ticket(
    browser,  # noqa: F811
    live_server,
    transactional_db,
    workspace,
    suggested_article,
    smtp_plain,
    worker,
    settings,
    tmp_path,
):
    settings.BASE_URL = live_server.url
    connect_mailbox(workspace, smtp_plain)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=PHONE, locale="tr-TR", device_scale_factor=1)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(f"{live_server.url}/s/anadolu/yeni/")
        opened_at = time.monotonic()
        page.fill("input[name=name]", "Deniz Aksoy")
        page.fill("input[name=email]", "deniz@misafir.test")
        # Typed without Turkish letters, key by key, as on a phone keyboard.
        page.locator("input[name=subject]").press_sequentially("odeme alinmiyor", delay=30)
        suggestion = page.locator("#suggestions").get_by_role(
            "link", name="Ödeme alınamıyor: kontrol listesi"
        )
        suggestion.wait_for()
        page.screenshot(path=SCREENSHOTS / "portal-form-phone.png", full_page=True)

        screenshot = tmp_path / "hata-ekrani.png"
        screenshot.write_bytes(page.screenshot())
        page.fill("textarea[name=description]", "Kartla ödeme adımında sayfa hata veriyor.")
        page.set_input_files("input[name=files]", str(screenshot))
        # The form refuses what comes back faster than a person types (spam.MIN_SECONDS).
        time.sleep(max(0.0, spam.MIN_SECONDS + 0.5 - (time.monotonic() - opened_at)))
        page.get_by_role("button", name="Talebi gönder").click()
        page.wait_for_url("**/s/anadolu/yeni/alindi/**")

        ticket = Ticket.objects.get()
        assert page.locator(".p-code").inner_text() == ticket.code
        page.screenshot(path=SCREENSHOTS / "portal-submitted-phone.png", full_page=True)
        assert [a.filename for a in ticket.messages.get().attachments.all()] == ["hata-ekrani.png"]

        ack = _wait_for_mail(smtp_plain, "deniz@misafir.test")
        assert ack["Subject"] == f"[{ticket.code}] Talebiniz alındı"
        body = ack.get_body(("plain",)).get_content()
        assert f"takip kodunuz {ticket.code}" in body
        link = LINK.search(body).group(0)

        page.goto(link)
        page.get_by_role("button", name="Devam et").click()
        page.wait_for_url(f"**/s/anadolu/talepler/{ticket.number}/")
        page.get_by_role("heading", name="Kartla ödeme adımında").or_(
            page.get_by_text("Kartla ödeme adımında sayfa hata veriyor.")
        ).first.wait_for()
        assert page.get_by_role("link", name="hata-ekrani.png").count() == 1
        page.screenshot(path=SCREENSHOTS / "portal-ticket-phone.png", full_page=True)

        page.get_by_role("link", name="← Destek taleplerim").click()
        page.get_by_role("link", name="odeme alinmiyor").wait_for()
        page.screenshot(path=SCREENSHOTS / "portal-tickets-phone.png", full_page=True)
        assert errors == []
    finally:
        context.close()
