"""Example rules every new workspace starts with, switched off (DESIGN §6): an admin reads them,
adjusts the words and turns them on."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from destek.accounts.models import Workspace
from destek.automation.cache import invalidate
from destek.automation.models import Match, Rule, Trigger
from destek.tickets.models import Category, Priority
from destek.tickets.setup import default_categories


def example_rules(categories: list[int | None]) -> list[tuple[str, list[dict], list[dict]]]:
    """(name, conditions, actions); ``categories`` are the ids of the default categories in
    their order (None where one is missing)."""
    payment, site = categories[0], categories[1]
    return [
        (
            _("Ödeme sorunu acil"),
            [
                {
                    "kind": "subject_or_body",
                    "value": [_("ödeme alamıyorum"), _("ödeme yapılamıyor"), _("kart çekilmiyor")],
                }
            ],
            [{"kind": "set_priority", "value": Priority.P0}]
            + ([{"kind": "set_category", "value": payment}] if payment else []),
        ),
        (
            _("Site açılmıyor acil"),
            [
                {
                    "kind": "subject_or_body",
                    "value": [_("site açılmıyor"), _("siteye girilmiyor"), _("site çöktü")],
                }
            ],
            [{"kind": "set_priority", "value": Priority.P0}]
            + ([{"kind": "set_category", "value": site}] if site else []),
        ),
        (
            _("VIP müşteri"),
            [{"kind": "sender", "value": "ornek-vip.com.tr"}],
            [
                {"kind": "set_priority", "value": Priority.P1},
                {"kind": "add_tags", "value": ["vip"]},
            ],
        ),
    ]


def seed_workspace(sender: object = None, *, workspace: Workspace, **kwargs: object) -> None:
    """Create the example rules, disabled, in the workspace's language."""
    with translation.override(workspace.language):
        by_name = dict(
            Category.objects.filter(workspace=workspace).values_list("name", "pk").order_by()
        )
        ids = [by_name.get(name) for name, _priority, _critical in default_categories()]
        Rule.objects.bulk_create(
            Rule(
                workspace=workspace,
                name=name,
                position=position,
                is_active=False,
                trigger=Trigger.TICKET_CREATED,
                match=Match.ANY,
                conditions=conditions,
                actions=actions,
            )
            for position, (name, conditions, actions) in enumerate(example_rules(ids))
        )
    invalidate(workspace.pk)
