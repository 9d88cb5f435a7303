"""An agent's day in a real headless Chromium: log in, claim, reply, note, change status.

Screenshots at desktop and phone width land in ``test-output/screenshots/`` for a person to look
at; the assertions read the page and the database.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from destek.tickets.models import Message, MessageKind, Ticket, TicketEvent
from tests.conftest import PASSWORD, require_service

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    require_service(Path(CHROMIUM).exists(), "Chromium is not installed (apt-get install chromium)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def _login(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_load_state()


def _side_form(page, name: str):
    return page.locator(f"form[action$='/{name}/']")


@pytest.mark.parametrize(
    ("label", "viewport"),
    [("desktop", {"width": 1280, "height": 900}), ("phone", {"width": 390, "height": 844})],
)
def test_agent_claims_replies_notes_and_resolves(
    browser, live_server, transactional_db, agent, ticket, label, viewport
):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=viewport, locale="tr-TR")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        _login(page, live_server.url, agent.email)
        assert "/w/anadolu/tickets/" in page.url
        page.screenshot(path=SCREENSHOTS / f"queue-{label}.png", full_page=True)

        page.get_by_role("link", name=ticket.subject).first.click()
        page.wait_for_url(f"**/w/anadolu/t/{ticket.number}/")

        _side_form(page, "claim").locator("button").click()
        # The side panel is htmx-boosted: wait for the swapped page, not for a navigation.
        _side_form(page, "claim").wait_for(state="detached")
        assert Ticket.objects.get(pk=ticket.pk).assignee_id == agent.pk

        page.fill("#reply-text", "Merhaba Zeynep Hanım, ödeme sağlayıcısıyla görüşüyoruz.")
        page.get_by_role("button", name="Gönder").click()
        page.wait_for_load_state()
        page.get_by_text("ödeme sağlayıcısıyla görüşüyoruz").first.wait_for()

        _side_form(page, "note").locator("textarea").fill("Sanal POS firmasına e-posta atıldı.")
        _side_form(page, "note").locator("button[type=submit]").click()
        page.wait_for_load_state()
        page.get_by_text("Sanal POS firmasına e-posta atıldı.").first.wait_for()

        _side_form(page, "status").locator("select").select_option("resolved")
        _side_form(page, "status").locator("button").click()
        page.wait_for_function(
            "() => !document.querySelector(\"form[action$='/status/'] option[value='pending']\")"
        )
        page.screenshot(path=SCREENSHOTS / f"ticket-{label}.png", full_page=True)
    finally:
        context.close()

    assert errors == []
    saved = Ticket.objects.get(pk=ticket.pk)
    assert (saved.status, saved.assignee_id) == ("resolved", agent.pk)
    assert saved.first_response_at is not None
    kinds = list(saved.messages.values_list("kind", flat=True))
    assert kinds == [MessageKind.CUSTOMER, MessageKind.REPLY, MessageKind.NOTE]
    assert Message.objects.get(ticket=saved, kind=MessageKind.NOTE).author_id == agent.pk
    statuses = list(
        TicketEvent.objects.filter(ticket=saved, kind="status").values_list("new_value", flat=True)
    )
    assert statuses == ["open", "resolved"]
    assert (SCREENSHOTS / f"ticket-{label}.png").stat().st_size > 10_000
