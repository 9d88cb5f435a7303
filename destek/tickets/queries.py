"""The agent queue: which tickets a tab shows, the filter form, sorting and tab counts.

Views hand the request's GET data to :class:`QueueFilterForm` and get a queryset back; the number
of database queries does not depend on how many tickets match (DESIGN §9).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django import forms
from django.db.models import Case, Count, F, Prefetch, Q, When
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from destek.accounts.models import User, Workspace
from destek.tickets.access import attach_kept
from destek.tickets.models import Category, Priority, Team, Ticket
from destek.tickets.models.ticket import TicketQuerySet
from destek.tickets.status import ACTIVE, Status

UNASSIGNED = "none"
NO_TEAM = "none"


@dataclass(frozen=True)
class Queue:
    key: str
    label: str
    condition: Callable[[User], Q]


QUEUES: dict[str, Queue] = {
    queue.key: queue
    for queue in (
        Queue(
            "unassigned",
            _("Atanmamış"),
            lambda user: Q(status__in_literal=ACTIVE, assignee__isnull=True),
        ),
        Queue("mine", _("Bana atanan"), lambda user: Q(status__in_literal=ACTIVE, assignee=user)),
        Queue("open", _("Tüm açık"), lambda user: Q(status__in_literal=ACTIVE)),
        Queue("pending", _("Beklemede"), lambda user: Q(status=Status.PENDING)),
        # "Not active" rather than "resolved or closed" (the same tickets): it leaves the
        # planner free to walk ticket_updated or ticket_created and stop after one page.
        Queue("done", _("Çözüldü / Kapandı"), lambda user: ~Q(status__in_literal=ACTIVE)),
    )
}
DEFAULT_QUEUE = "open"

# The due time of the clock that runs out next: the first response until the first reply, then
# the resolution. Paused, finished and untargeted tickets have none and sort last.
NEXT_DUE = Case(
    When(
        status__in_literal=ACTIVE,
        first_response_at__isnull=True,
        then=F("first_response_due_at"),
    ),
    When(status__in_literal=ACTIVE, then=F("resolution_due_at")),
    default=None,
)

SORTS: dict[str, tuple[str | object, ...]] = {
    "newest": ("-created_at", "-number"),
    "oldest": ("created_at", "number"),
    "updated": ("-updated_at", "-number"),
    # "P0" < "P1" < … so ascending puts the most urgent first.
    "priority": ("priority", "-updated_at", "-number"),
    "urgent": (NEXT_DUE.asc(nulls_last=True), "priority", "-number"),
}
# The default ("updated") comes first, so an untouched select shows the order actually used.
SORT_CHOICES = [
    ("updated", pgettext_lazy("sort", "Son güncellenen")),
    ("newest", pgettext_lazy("sort", "En yeni")),
    ("oldest", pgettext_lazy("sort", "En eski")),
    ("priority", pgettext_lazy("sort", "Öncelik")),
    ("urgent", pgettext_lazy("sort", "En acil önce")),
]


def queue_key(value: str | None) -> str:
    return value if value in QUEUES else DEFAULT_QUEUE


class QueueFilterForm(forms.Form):
    """Filters on top of a queue tab; every field is optional and invalid values are ignored."""

    status = forms.ChoiceField(label=_("Durum"), required=False)
    priority = forms.ChoiceField(label=_("Öncelik"), required=False)
    category = forms.TypedChoiceField(label=_("Kategori"), required=False, empty_value=None)
    assignee = forms.ChoiceField(label=_("Atanan"), required=False)
    team = forms.ChoiceField(label=_("Ekip"), required=False)
    tag = forms.CharField(label=_("Etiket"), required=False, max_length=50)
    customer = forms.CharField(
        label=_("Müşteri"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("ad veya e-posta")}),
    )
    sort = forms.ChoiceField(label=_("Sıralama"), required=False, choices=SORT_CHOICES)

    def __init__(
        self,
        data: object = None,
        *,
        agents: Sequence[User],
        categories: Sequence[Category],
        teams: Sequence[Team] = (),
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
        self.fields["team"].choices = [anything, (NO_TEAM, _("Ekipsiz"))] + [
            (str(team.pk), team.name) for team in teams
        ]
        if not teams:
            # A workspace without teams gets no team filter to puzzle over.
            del self.fields["team"]

    def filters(self) -> dict[str, object]:
        """The valid filters only: a stale link with a removed category still shows a queue."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}

    def is_filtered(self) -> bool:
        return any(key != "sort" for key in self.filters())


def queue_tickets(
    workspace: Workspace, user: User, queue: str, filters: dict[str, object]
) -> TicketQuerySet:
    """The tickets of one queue tab with the filters applied, sorted, ready for a page."""
    tickets = (
        Ticket.objects.for_workspace(workspace)
        .filter(QUEUES[queue_key(queue)].condition(user))
        .with_list_data()
    )
    if filters.get("status"):
        tickets = tickets.filter(status=filters["status"])
    if filters.get("priority"):
        tickets = tickets.filter(priority=filters["priority"])
    if filters.get("category"):
        tickets = tickets.filter(category_id=filters["category"])
    if filters.get("assignee") == UNASSIGNED:
        tickets = tickets.filter(assignee__isnull=True)
    elif filters.get("assignee"):
        tickets = tickets.filter(assignee_id=int(filters["assignee"]))
    if filters.get("team") == NO_TEAM:
        tickets = tickets.filter(team__isnull=True)
    elif filters.get("team"):
        tickets = tickets.filter(team_id=int(filters["team"]))
    if filters.get("tag"):
        tickets = tickets.filter(tags__name=str(filters["tag"]).strip().lower())
    if filters.get("customer"):
        text = str(filters["customer"]).strip()
        tickets = tickets.filter(
            Q(customer__email__icontains=text) | Q(customer__name__icontains=text)
        )
    return tickets.order_by(*SORTS.get(str(filters.get("sort") or ""), SORTS["updated"]))


# Tabs whose count is shown: the work in hand. "Çözüldü / Kapandı" grows with the desk's whole
# history (a million rows at DESIGN §9's scale) and a number there helps nobody, so it has none.
COUNTED = tuple(key for key in QUEUES if key != "done")


def rows_in_order(workspace: Workspace, ids: list[int]) -> list[Ticket]:
    """The workspace's tickets ``ids`` (one page) with their list data, in that order; by id
    alone, so the planner has nothing to choose."""
    # Tags as a plain list attribute (``list_tags``): the default prefetch builds a queryset
    # per row to hold them, a tenth of the page's time.
    # The assignee and category come from the lists kept for pages, not joined: fewer tables
    # for the planner and fewer objects to build per row.
    rows = (
        Ticket.objects.for_workspace(workspace)
        .select_related("customer")
        .prefetch_related(Prefetch("tags", to_attr="list_tags"))
        .in_bulk(ids)
    )
    ordered = [rows[pk] for pk in ids if pk in rows]
    attach_kept(ordered, workspace, ("assignee", "category"))
    return ordered


def queue_counts(workspace: Workspace, user: User) -> dict[str, int | None]:
    """How many tickets each counted tab holds (without the filters), in one query over the
    active tickets only: an index range, however long the history."""
    counts: dict[str, int | None] = (
        Ticket.objects.for_workspace(workspace)
        .filter(status__in_literal=ACTIVE)
        .aggregate(**{key: Count("pk", filter=QUEUES[key].condition(user)) for key in COUNTED})
    )
    return {key: counts.get(key) for key in QUEUES}


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    count: int | None


def queue_tabs(workspace: Workspace, user: User) -> list[Tab]:
    counts = queue_counts(workspace, user)
    return [Tab(key, queue.label, counts[key]) for key, queue in QUEUES.items()]
