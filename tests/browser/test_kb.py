"""The SSS in a real headless Chromium: a visitor searches without Turkish letters, reads and
votes; an admin previews Markdown while writing; an agent links an article from the reply box.

Screenshots at desktop and phone width land in ``test-output/screenshots/``.
"""

from __future__ import annotations

import pytest

from destek.kb import services
from destek.kb.models import Article, KbCategory
from tests.browser.test_agent_desk import SCREENSHOTS, _login, browser  # noqa: F401

pytestmark = pytest.mark.browser

VIEWPORTS = [("desktop", {"width": 1280, "height": 900}), ("phone", {"width": 390, "height": 844})]


@pytest.fixture
def kb_article(workspace, admin) -> Article:
    category = services.save_category(
        category=KbCategory(workspace=workspace, name="Sipariş ve ödeme")
    )
    return services.save_article(
        article=Article(
            workspace=workspace,
            category=category,
            title="Ödeme alınamıyor: kontrol listesi",
            body="1. Kart **internet alışverişine** açık mı?\n2. 3D Secure kodu geldi mi?",
            status="published",
        ),
        actor=admin,
    )


def _page(browser, viewport):  # noqa: F811
    context = browser.new_context(viewport=viewport, locale="tr-TR")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return context, page, errors


@pytest.mark.parametrize(("label", "viewport"), VIEWPORTS)
def test_visitor_finds_reads_and_votes(
    browser,  # noqa: F811
    live_server,
    transactional_db,
    workspace,
    kb_article,
    label,
    viewport,
):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context, page, errors = _page(browser, viewport)
    try:
        page.goto(f"{live_server.url}/s/{workspace.slug}/sss/")
        page.screenshot(path=SCREENSHOTS / f"kb-home-{label}.png", full_page=True)
        page.fill("input[name=q]", "ODEME KONTROL")
        page.get_by_role("button", name="Ara").click()
        page.get_by_role("link", name=kb_article.title).click()
        page.wait_for_url(f"**/sss/{kb_article.slug}/")
        assert page.locator("strong", has_text="internet alışverişine").count() == 1

        page.get_by_role("button", name="Evet").click()
        page.get_by_text("Geri bildiriminiz için teşekkürler.").wait_for()
        page.screenshot(path=SCREENSHOTS / f"kb-article-{label}.png", full_page=True)
    finally:
        context.close()
    kb_article.refresh_from_db()
    assert (kb_article.helpful_yes, kb_article.view_count) == (1, 1)
    assert errors == []


def test_admin_sees_a_live_preview(browser, live_server, transactional_db, workspace, admin):  # noqa: F811
    context, page, errors = _page(browser, VIEWPORTS[0][1])
    try:
        _login(page, live_server.url, admin.email)
        page.goto(f"{live_server.url}/w/{workspace.slug}/sss/yeni/")
        page.fill("#kb-body", "## Kargo\n\n**Takip numarası** SMS ile gelir.")
        page.locator("#kb-preview h2", has_text="Kargo").wait_for()
        assert page.locator("#kb-preview strong").inner_text() == "Takip numarası"
        page.screenshot(path=SCREENSHOTS / "kb-editor-desktop.png", full_page=True)
    finally:
        context.close()
    assert errors == []


def test_agent_inserts_an_article_link_into_a_reply(
    browser,  # noqa: F811
    live_server,
    transactional_db,
    workspace,
    agent,
    ticket,
    kb_article,
):
    context, page, errors = _page(browser, VIEWPORTS[0][1])
    try:
        _login(page, live_server.url, agent.email)
        page.goto(f"{live_server.url}/w/{workspace.slug}/t/{ticket.number}/")
        page.get_by_text("SSS yazısı bağlantısı ekle").click()
        page.fill("#kb-link-q", "odeme")
        page.get_by_role("link", name=kb_article.title).click()
        expected = (
            f"[{kb_article.title}]({live_server.url}/s/{workspace.slug}/sss/{kb_article.slug}/)"
        )
        page.wait_for_function(
            "text => document.getElementById('reply-text').value.includes(text)", arg=expected
        )
    finally:
        context.close()
    assert errors == []
