from __future__ import annotations

from django import template

from destek.followers.models import Follower

register = template.Library()


@register.simple_tag(takes_context=True)
def ticket_followers(context, ticket) -> dict[str, object]:
    """Who follows the ticket (names) and whether the reader does, in one query."""
    user = context["request"].user
    rows = Follower.objects.filter(ticket=ticket).select_related("user").order_by("user__name")
    people = [row.user for row in rows]
    return {
        "me": any(person.pk == user.pk for person in people),
        "names": [person.display_name for person in people],
    }
