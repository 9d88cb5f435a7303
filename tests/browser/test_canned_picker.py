"""The reply box's canned-reply picker in a real headless Chromium: Ctrl+. opens it, typing
filters (Turkish-aware), Enter inserts the filled reply, and the preview shows the reply as the
customer will see it."""

from __future__ import annotations

import pytest

from destek.tickets.models import CannedReply
from tests.browser.test_agent_desk import _login, browser  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser


def test_shortcut_search_insert_and_preview(
    browser,  # noqa: F811
    live_server,
    transactional_db,
    workspace,
    agent,
    ticket,
):
    CannedReply.objects.create(
        workspace=workspace,
        title="İade süreci",
        body="Merhaba {{ customer.first_name }}, **iadeniz** {{ ticket.code }} ile başladı.",
        owner=agent,
    )
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="tr-TR")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        _login(page, live_server.url, agent.email)
        page.goto(f"{live_server.url}/w/anadolu/t/{ticket.number}/")
        page.locator("#reply-text").click()

        page.keyboard.press("Control+.")
        search = page.locator("[data-canned-search]")
        assert search.evaluate("field => document.activeElement === field")
        # "iade" finds "İade süreci" (dotted capital İ folds to i) and hides the seed replies.
        search.fill("iade")
        visible = page.locator("li[data-canned-title]:visible")
        assert visible.all_inner_texts() == ["İade süreci kişisel"]
        search.press("Enter")

        box = page.locator("#reply-text")
        page.wait_for_function("() => document.getElementById('reply-text').value !== ''")
        assert box.input_value() == "Merhaba Zeynep, **iadeniz** DST-1 ile başladı."
        assert not page.locator("[data-canned-picker]").evaluate("menu => menu.open")

        page.get_by_role("button", name="Önizle").click()
        page.locator("#reply-preview strong").wait_for()
        assert page.locator("#reply-preview strong").inner_text() == "iadeniz"
        assert errors == []
    finally:
        context.close()
