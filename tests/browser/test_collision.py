"""Two agents on one ticket in two Chromium contexts: the second sees the first, sees them
typing, and is asked before sending a reply after the first one answered."""

from __future__ import annotations

import pytest

from destek.tickets.models import Message, MessageKind
from tests.browser.test_agent_desk import SCREENSHOTS, _login, browser  # noqa: F401

pytestmark = pytest.mark.browser


def test_the_second_agent_sees_the_first_and_is_warned_before_sending(
    browser,  # noqa: F811
    live_server,
    transactional_db,
    agent,
    admin,
    ticket,
):
    first = browser.new_context(locale="tr-TR")
    second = browser.new_context(locale="tr-TR")
    errors: list[str] = []
    try:
        ayse, yonetici = first.new_page(), second.new_page()
        for page, user in ((ayse, agent), (yonetici, admin)):
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            _login(page, live_server.url, user.email)
            page.goto(f"{live_server.url}/w/anadolu/t/{ticket.number}/")

        presence = yonetici.locator("#presence")
        presence.get_by_text("Ayşe Yılmaz").wait_for(timeout=15_000)

        ayse.fill("#reply-text", "Merhaba, hemen bakıyorum.")
        presence.get_by_text("Ayşe Yılmaz şu anda bu talebe yanıt yazıyor.").wait_for(
            timeout=20_000
        )
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        yonetici.screenshot(path=SCREENSHOTS / "collision.png", full_page=True)

        ayse.get_by_role("button", name="Gönder").click()
        ayse.get_by_text("hemen bakıyorum").first.wait_for()
        presence.get_by_text("yeni mesaj geldi").wait_for(timeout=20_000)

        asked: list[str] = []

        def refuse(dialog) -> None:
            asked.append(dialog.message)
            dialog.dismiss()

        yonetici.on("dialog", refuse)
        yonetici.fill("#reply-text", "Ben de yazayım.")
        yonetici.get_by_role("button", name="Gönder").click()
        yonetici.wait_for_timeout(500)
    finally:
        first.close()
        second.close()

    assert errors == []
    assert len(asked) == 1
    assert "Siz sayfayı açtıktan sonra 1 yeni mesaj geldi." in asked[0]
    assert asked[0].endswith("Yine de gönderilsin mi?")
    replies = Message.objects.filter(ticket=ticket, kind=MessageKind.REPLY)
    assert list(replies.values_list("author_id", flat=True)) == [agent.pk]
