from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from destek.accounts.models import Workspace
from destek.tickets.models.customer import Customer
from destek.tickets.models.lookups import InLiteral
from destek.tickets.status import ACTIVE, DONE, Status


class Priority(models.TextChoices):
    P0 = "P0", _("P0 · Acil")
    P1 = "P1", _("P1 · Yüksek")
    P2 = "P2", _("P2 · Normal")
    P3 = "P3", _("P3 · Düşük")


class Category(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("ad"), max_length=120)
    default_priority = models.CharField(
        _("varsayılan öncelik"), max_length=2, choices=Priority.choices, blank=True
    )
    is_critical = models.BooleanField(_("kritik"), default=False)
    # Offered on the customer portal's new-ticket form; internal ones only agents pick.
    is_public = models.BooleanField(_("portalda göster"), default=True)
    team = models.ForeignKey(
        "tickets.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="categories",
        verbose_name=_("ekip"),
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("kategori")
        verbose_name_plural = _("kategoriler")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="category_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("ad"), max_length=50)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="tag_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class TicketQuerySet(models.QuerySet["Ticket"]):
    def for_workspace(self, workspace: Workspace) -> TicketQuerySet:
        """The workspace's tickets, each already holding ``workspace`` (for ``code``) without a
        join: a join with the one-row workspace table leads SQLite's planner to read the
        tickets in the wrong index order. ``_known_related_objects`` is what Django's own
        related managers fill for the same purpose."""
        tickets = self.filter(workspace=workspace)
        field = Ticket._meta.get_field("workspace")
        tickets._known_related_objects = {field: {workspace.pk: workspace}}
        return tickets

    def active(self) -> TicketQuerySet:
        """Not yet resolved or closed: the work still to do."""
        return self.filter(status__in_literal=ACTIVE)

    def done(self) -> TicketQuerySet:
        return self.filter(status__in_literal=DONE)

    def unassigned(self) -> TicketQuerySet:
        return self.filter(assignee__isnull=True)

    def assigned_to(self, user) -> TicketQuerySet:
        return self.filter(assignee=user)

    def with_list_data(self) -> TicketQuerySet:
        """Everything a queue row shows, in a constant number of queries."""
        return self.select_related("customer", "assignee", "category").prefetch_related("tags")


class Ticket(models.Model):
    # Every index of the ticket starts with the workspace; its own index would only cost writes.
    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    number = models.PositiveIntegerField(editable=False)
    subject = models.CharField(_("konu"), max_length=255)
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("müşteri")
    )
    status = models.CharField(_("durum"), max_length=10, choices=Status.choices, default=Status.NEW)
    priority = models.CharField(
        _("öncelik"), max_length=2, choices=Priority.choices, default=Priority.P2
    )
    category = models.ForeignKey(
        Category,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("kategori"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tickets",
        verbose_name=_("atanan"),
    )
    team = models.ForeignKey(
        "tickets.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("ekip"),
    )
    tags = models.ManyToManyField(
        Tag, blank=True, related_name="tickets", verbose_name=_("etiketler")
    )
    # Indexed below over the few rows that have one (see "ticket_follow_up").
    follow_up_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
        db_index=False,
    )
    # A ticket merged into another keeps its row and its code; mail and links to it reach this one.
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_from",
        db_index=False,
    )
    # Snoozed: pending until this instant, then a periodic task opens it again.
    snoozed_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    first_response_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    last_customer_activity_at = models.DateTimeField(null=True, blank=True)
    last_agent_activity_at = models.DateTimeField(null=True, blank=True)
    reopen_count = models.PositiveIntegerField(default=0)
    # When the customer was last reminded of this ticket waiting on them (pending).
    pending_reminded_at = models.DateTimeField(null=True, blank=True)
    # SLA state, kept by the sla app (DESIGN §6): due and 80 %-near instants of the two clocks,
    # the pause the clocks stand in now, and when a warning or a breach was raised (once each).
    first_response_due_at = models.DateTimeField(null=True, blank=True)
    first_response_near_at = models.DateTimeField(null=True, blank=True)
    resolution_due_at = models.DateTimeField(null=True, blank=True)
    resolution_near_at = models.DateTimeField(null=True, blank=True)
    sla_paused_at = models.DateTimeField(null=True, blank=True)
    sla_paused_seconds = models.PositiveIntegerField(default=0)
    sla_first_response_warned_at = models.DateTimeField(null=True, blank=True)
    sla_first_response_breached_at = models.DateTimeField(null=True, blank=True)
    sla_resolution_warned_at = models.DateTimeField(null=True, blank=True)
    sla_resolution_breached_at = models.DateTimeField(null=True, blank=True)

    objects = TicketQuerySet.as_manager()

    class Meta:
        verbose_name = _("talep")
        verbose_name_plural = _("talepler")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "number"], name="ticket_number_unique"),
        ]
        indexes = [
            # Queue pages: status filter + newest/updated first, per assignee or unassigned.
            models.Index(fields=["workspace", "status", "-updated_at"], name="queue_status"),
            models.Index(
                fields=["workspace", "assignee", "status", "-updated_at"], name="queue_assignee"
            ),
            models.Index(
                fields=["workspace", "status", "priority", "created_at"], name="queue_priority"
            ),
            # The active tabs by last update: a desk's few thousand open tickets in page order,
            # without reading its million done ones (queried with status__in_literal, lookups.py).
            models.Index(
                fields=["workspace", "-updated_at", "-number"],
                name="queue_active",
                condition=Q(status__in=sorted(ACTIVE)),
            ),
            # The done tab ("not active", so the planner may also take ticket_created for
            # "newest") and any other list by last update.
            models.Index(fields=["workspace", "-updated_at", "-number"], name="ticket_updated"),
            models.Index(fields=["workspace", "-created_at"], name="ticket_created"),
            models.Index(fields=["workspace", "resolved_at"], name="ticket_resolved"),
            models.Index(
                fields=["workspace", "status"],
                name="ticket_unassigned",
                condition=Q(assignee__isnull=True),
            ),
            # The SLA check every minute: active tickets whose near-breach instant has passed.
            models.Index(
                fields=["first_response_near_at"],
                name="sla_first_response_near",
                condition=Q(status__in=sorted(ACTIVE), first_response_at__isnull=True),
            ),
            models.Index(
                fields=["resolution_near_at"],
                name="sla_resolution_near",
                condition=Q(status__in=sorted(ACTIVE)),
            ),
            # A ticket's follow-ups and the tickets merged into it. Partial: nearly every row is
            # NULL, and SQLite's statistics then average a million rows per value over a plain
            # index, so the planner scanned the table for the ticket page's follow-ups.
            models.Index(
                fields=["follow_up_of"],
                name="ticket_follow_up",
                condition=Q(follow_up_of__isnull=False),
            ),
            models.Index(
                fields=["merged_into"],
                name="ticket_merged_into",
                condition=Q(merged_into__isnull=False),
            ),
            # The snooze wake-up: pending tickets whose time has come.
            models.Index(
                fields=["snoozed_until"],
                name="ticket_snoozed",
                condition=Q(snoozed_until__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        """The tracking code customers see, e.g. ``DST-1042``."""
        return f"{self.workspace.prefix}-{self.number}"

    def is_active(self) -> bool:
        return self.status in ACTIVE


# ``status__in_literal=ACTIVE``: what lets SQLite use the partial indexes below (lookups.py).
Ticket._meta.get_field("status").register_lookup(InLiteral)


class EventKind(models.TextChoices):
    CREATED = "created", _("Oluşturuldu")
    STATUS = "status", _("Durum")
    ASSIGNEE = "assignee", _("Atama")
    PRIORITY = "priority", _("Öncelik")
    CATEGORY = "category", _("Kategori")
    TEAM = "team", _("Ekip")
    TAGS = "tags", _("Etiketler")
    REOPENED = "reopened", _("Yeniden açıldı")
    FOLLOW_UP = "follow_up", _("Takip talebi")
    MERGED = "merged", _("Birleştirildi")
    SPLIT = "split", _("Ayrıldı")
    SNOOZED = "snoozed", _("Ertelendi")
    SLA_WARNING = "sla_warning", _("SLA uyarısı")
    SLA_BREACH = "sla_breach", _("SLA ihlali")


class TicketEvent(models.Model):
    """One change to a ticket, with who made it and when (the timeline's non-message half)."""

    # Both covered by the (ticket, created_at) and (workspace, kind, created_at) indexes.
    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="events", db_index=False
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    old_value = models.CharField(max_length=255, blank=True)
    new_value = models.CharField(max_length=255, blank=True)
    # The automation rule that made the change (its name then), so the timeline can say so.
    via_rule = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["ticket", "created_at"]),
            models.Index(fields=["workspace", "kind", "created_at"]),
        ]
