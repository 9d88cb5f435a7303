"""The Content-Security-Policy in a real headless Chromium: pages run with no violation (no
inline script left anywhere), the confirmation and the language switch work from destek.js,
and a mail's frame runs no script and loads no remote picture until asked."""

from __future__ import annotations

import pytest

from destek.accounts.models import Membership
from destek.tickets import actions
from tests.browser.test_agent_desk import _login, browser  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser

MAIL_HTML = (
    '<p>Merhaba</p><img src="https://uzak-gorsel.invalid/p.gif" alt="logo">'
    "<script>document.title = 'calisti'</script>"
)


def _watch(page) -> list[str]:
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on(
        "console",
        lambda msg: problems.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return problems


def test_pages_run_without_policy_violations_and_the_mail_frame_is_inert(
    browser,  # noqa: F811
    live_server,
    transactional_db,
    workspace,
    customer,
    admin,
):
    ticket = actions.create_ticket(
        workspace=workspace, customer=customer, subject="Sipariş", text="düz", html=MAIL_HTML
    )
    context = browser.new_context(locale="tr-TR")
    page = context.new_page()
    problems = _watch(page)
    remote: list[str] = []
    page.on("request", lambda r: remote.append(r.url) if "uzak-gorsel" in r.url else None)
    try:
        _login(page, live_server.url, admin.email)
        for path in ("/w/anadolu/tickets/", "/w/anadolu/members/", "/account/security/"):
            page.goto(live_server.url + path)
        page.goto(f"{live_server.url}/w/anadolu/t/{ticket.number}/")
        frame = page.frame_locator("iframe.mail-frame")
        assert frame.locator("p").first.inner_text() == "Merhaba"
        assert page.title() != "calisti"
        assert remote == []
        assert problems == []
    finally:
        context.close()


def test_a_dismissed_confirmation_removes_nobody(
    browser,  # noqa: F811
    live_server,
    transactional_db,
    workspace,
    admin,
    agent,
):
    context = browser.new_context(locale="tr-TR")
    page = context.new_page()
    problems = _watch(page)
    questions: list[str] = []

    def answer(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", answer)
    try:
        _login(page, live_server.url, admin.email)
        page.goto(f"{live_server.url}/w/anadolu/members/")
        page.locator("form[data-confirm] button.btn-danger").first.click()
        page.wait_for_timeout(300)
        assert questions == [
            "Ayşe Yılmaz ekipten çıkarılsın mı? Açık talepleri atanmamış kuyruğuna döner."
        ]
        assert Membership.objects.filter(user=agent, is_active=True).exists()
        page.select_option("select[name=language]", "en")
        page.wait_for_load_state()
        page.wait_for_selector("html[lang=en]")
        assert problems == []
    finally:
        context.close()
