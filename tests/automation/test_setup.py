"""The example rules a new workspace starts with."""

from __future__ import annotations

from destek.automation.models import Rule
from destek.tickets.models import Category


def test_examples_are_seeded_disabled_in_order(workspace):
    rules = list(Rule.objects.filter(workspace=workspace))
    assert [(r.name, r.is_active, r.trigger) for r in rules] == [
        ("Ödeme sorunu acil", False, "ticket_created"),
        ("Site açılmıyor acil", False, "ticket_created"),
        ("VIP müşteri", False, "ticket_created"),
    ]


def test_the_payment_example_works_once_turned_on(workspace, arrive):
    rule = Rule.objects.get(workspace=workspace, name="Ödeme sorunu acil")
    rule.is_active = True
    rule.save()
    ticket = arrive(subject="Yardım", text="KREDİ KARTIYLA ÖDEME ALAMIYORUM")
    payment = Category.objects.get(workspace=workspace, name="Ödeme / Checkout")
    assert (ticket.priority, ticket.category_id) == ("P0", payment.pk)


def test_the_site_example_points_at_the_site_category(workspace, arrive):
    rule = Rule.objects.get(workspace=workspace, name="Site açılmıyor acil")
    rule.is_active = True
    rule.save()
    ticket = arrive(subject="Site açılmıyor")
    site = Category.objects.get(workspace=workspace, name="Site erişimi / hata")
    assert (ticket.priority, ticket.category_id) == ("P0", site.pk)
