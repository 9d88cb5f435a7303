"""An admin builds a rule in a real headless Chromium, a customer's mail arrives through the
real ingest path, and the ticket page shows what the rule did, under the rule's name."""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from destek.automation.models import Rule
from destek.mail.ingest import receive_and_process
from destek.tickets.models import Category, Ticket
from tests.browser.test_agent_desk import SCREENSHOTS, _login, browser  # noqa: F401
from tests.mail.inbound import build_mail, make_mailbox

pytestmark = pytest.mark.browser


def _row(page, part: str, index: int):
    return page.locator(f"#{part}s [data-rule-row]").nth(index)


# htmx marks content it is still swapping or settling; its triggers are live once that is over.
HTMX_BUSY = ".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added"


def _htmx_idle(page) -> None:
    page.wait_for_function(f"() => !document.querySelector({HTMX_BUSY!r})")


def _choose_kind(page, part: str, index: int, kind: str) -> None:
    """Pick a row's kind; htmx redraws the row with the value field for that kind."""
    _htmx_idle(page)
    kind_select = _row(page, part, index).locator(f"select[name={part}_kind]")
    kind_select.select_option(kind)
    value = _row(page, part, index).locator(f"[name={part}_value]:not([type=hidden])")
    try:
        value.wait_for(timeout=10_000)
    except PlaywrightTimeout:
        # A change made while htmx was still wiring up a freshly added row goes unheard by it;
        # a person never picks that fast, so tell htmx again.
        _htmx_idle(page)
        kind_select.dispatch_event("change")
        value.wait_for()


def test_admin_builds_a_rule_and_incoming_mail_triggers_it(
    browser,  # noqa: F811
    live_server,
    transactional_db,
    workspace,
    admin,
):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    payment = Category.objects.get(workspace=workspace, name="Ödeme / Checkout")
    mailbox = make_mailbox(workspace)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="tr-TR")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        _login(page, live_server.url, admin.email)
        page.goto(f"{live_server.url}/w/anadolu/settings/rules/")
        page.get_by_role("link", name="Yeni kural").click()
        page.wait_for_url("**/settings/rules/new/")

        page.fill("input[name=name]", "Ödeme acil")
        page.get_by_role("button", name="Koşul ekle").click()
        _row(page, "condition", 0).wait_for()
        _choose_kind(page, "condition", 0, "subject_or_body")
        _row(page, "condition", 0).locator("input[name=condition_value]").fill("ödeme alamıyorum")

        _choose_kind(page, "action", 0, "set_priority")
        _row(page, "action", 0).locator("select[name=action_value]").select_option("P0")
        page.get_by_role("button", name="Eylem ekle").click()
        _row(page, "action", 1).wait_for()
        _choose_kind(page, "action", 1, "set_category")
        _row(page, "action", 1).locator("select[name=action_value]").select_option(str(payment.pk))
        # A row added by mistake and removed again is not saved.
        page.get_by_role("button", name="Eylem ekle").click()
        _row(page, "action", 2).get_by_role("button", name="Kaldır").click()
        page.screenshot(path=SCREENSHOTS / "rule-builder.png", full_page=True)
        page.get_by_role("button", name="Kaydet").click()
        page.wait_for_url("**/settings/rules/")
        page.get_by_text("Kural eklendi: Ödeme acil").wait_for()
        page.screenshot(path=SCREENSHOTS / "rule-list.png", full_page=True)

        rule = Rule.objects.get(workspace=workspace, name="Ödeme acil")
        assert (rule.is_active, rule.conditions, rule.actions) == (
            True,
            [{"kind": "subject_or_body", "value": ["ödeme alamıyorum"]}],
            [
                {"kind": "set_priority", "value": "P0"},
                {"kind": "set_category", "value": payment.pk},
            ],
        )

        raw = build_mail(
            subject="ACİL: ÖDEME ALAMIYORUM",
            text="Merhaba, sabahtan beri kartla ödeme alınamıyor.\n",
            message_id="<odeme.1@musteri.test>",
        )
        inbound = receive_and_process(mailbox, raw, source="pipe")
        ticket = Ticket.objects.get(pk=inbound.ticket_id)
        assert (ticket.priority, ticket.category_id) == ("P0", payment.pk)

        page.goto(f"{live_server.url}/w/anadolu/t/{ticket.number}/")
        page.get_by_text("Kural: Ödeme acil önceliği P2 · Normal → P0 · Acil").wait_for()
        page.get_by_text("Kural: Ödeme acil kategoriyi — → Ödeme / Checkout").wait_for()
        page.screenshot(path=SCREENSHOTS / "rule-ticket.png", full_page=True)
    finally:
        context.close()
    assert errors == []
