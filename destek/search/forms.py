"""The search box and its filters."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.utils.translation import gettext_lazy as _

from destek.accounts.models import User, Workspace
from destek.mail.models import Mailbox, MessageEnvelope
from destek.tickets.models import Category, Priority, Status, Ticket
from destek.tickets.models.ticket import TicketQuerySet
from destek.tickets.queries import UNASSIGNED


class SearchForm(forms.Form):
    """Every field is optional and an invalid value is ignored, like the queue's filters."""

    q = forms.CharField(
        label=_("Ara"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "autofocus": True}),
    )
    status = forms.ChoiceField(label=_("Durum"), required=False)
    priority = forms.ChoiceField(label=_("Öncelik"), required=False)
    category = forms.TypedChoiceField(label=_("Kategori"), required=False, empty_value=None)
    assignee = forms.ChoiceField(label=_("Atanan"), required=False)
    mailbox = forms.TypedChoiceField(label=_("Posta kutusu"), required=False, empty_value=None)
    created_from = forms.DateField(
        label=_("Başlangıç tarihi"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    created_to = forms.DateField(
        label=_("Bitiş tarihi"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    FILTERS = (
        "status",
        "priority",
        "category",
        "assignee",
        "mailbox",
        "created_from",
        "created_to",
    )

    def __init__(
        self,
        data: object = None,
        *,
        agents: Sequence[User],
        categories: Sequence[Category],
        mailboxes: Sequence[Mailbox],
        **kwargs: object,
    ) -> None:
        super().__init__(data, **kwargs)
        anything = ("", _("Tümü"))
        self.fields["status"].choices = [anything, *Status.choices]
        self.fields["priority"].choices = [anything, *Priority.choices]
        self.fields["category"].choices = [anything] + [(c.pk, c.name) for c in categories]
        self.fields["category"].coerce = int
        self.fields["assignee"].choices = [anything, (UNASSIGNED, _("Atanmamış"))] + [
            (str(agent.pk), agent.display_name) for agent in agents
        ]
        self.fields["mailbox"].choices = [anything] + [(m.pk, m.address) for m in mailboxes]
        self.fields["mailbox"].coerce = int

    def values(self) -> dict[str, object]:
        """The valid, non-empty fields."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}

    def query(self) -> str:
        return str(self.values().get("q", "")).strip()

    def is_filtered(self) -> bool:
        return any(name in self.FILTERS for name in self.values())

    def tickets(self, workspace: Workspace) -> TicketQuerySet:
        """The workspace's tickets that pass the filters (the words are matched elsewhere)."""
        values = self.values()
        tickets = Ticket.objects.for_workspace(workspace)
        for name in ("status", "priority"):
            if values.get(name):
                tickets = tickets.filter(**{name: values[name]})
        if values.get("category"):
            tickets = tickets.filter(category_id=values["category"])
        if values.get("assignee") == UNASSIGNED:
            tickets = tickets.filter(assignee__isnull=True)
        elif values.get("assignee"):
            tickets = tickets.filter(assignee_id=int(values["assignee"]))
        if values.get("mailbox"):
            envelopes = MessageEnvelope.objects.filter(
                workspace=workspace, mailbox_id=values["mailbox"]
            )
            tickets = tickets.filter(pk__in=envelopes.values("ticket_id"))
        if values.get("created_from"):
            tickets = tickets.filter(created_at__date__gte=values["created_from"])
        if values.get("created_to"):
            tickets = tickets.filter(created_at__date__lte=values["created_to"])
        return tickets
