from django.urls import path

from destek.tickets import views
from destek.tickets.views import canned, lifecycle, teams
from destek.tickets.views import merge as merge_views
from destek.tickets.views import presence as presence_views
from destek.tickets.views import snooze as snooze_views

urlpatterns = [
    path("", views.workspace_home, name="workspace_home"),
    path("tickets/", views.ticket_queue, name="ticket_queue"),
    path("tickets/new/", views.ticket_create, name="ticket_create"),
    path("tickets/bulk/", views.ticket_bulk, name="ticket_bulk"),
    path("t/<int:number>/", views.ticket_detail, name="ticket_detail"),
    path("t/<int:number>/reply/", views.ticket_reply, name="ticket_reply"),
    path("t/<int:number>/note/", views.ticket_note, name="ticket_note"),
    path("t/<int:number>/claim/", views.ticket_claim, name="ticket_claim"),
    path("t/<int:number>/assign/", views.ticket_assign, name="ticket_assign"),
    path("t/<int:number>/status/", views.ticket_status, name="ticket_status"),
    path("t/<int:number>/priority/", views.ticket_priority, name="ticket_priority"),
    path("t/<int:number>/category/", views.ticket_category, name="ticket_category"),
    path("t/<int:number>/tags/", views.ticket_tags, name="ticket_tags"),
    path("t/<int:number>/merge/", merge_views.ticket_merge, name="ticket_merge"),
    path("t/<int:number>/presence/", presence_views.ticket_presence, name="ticket_presence"),
    path("t/<int:number>/snooze/", snooze_views.ticket_snooze, name="ticket_snooze"),
    path(
        "t/<int:number>/messages/<int:message_id>/split/",
        merge_views.message_split,
        name="message_split",
    ),
    path("t/<int:number>/team/", teams.ticket_team, name="ticket_team"),
    path("availability/", teams.availability, name="availability"),
    path("t/<int:number>/preview/", canned.reply_preview, name="reply_preview"),
    path("canned/", canned.my_canned_list, name="my_canned_list"),
    path("canned/<int:own_canned_id>/", canned.my_canned_edit, name="my_canned_edit"),
    path("canned/<int:own_canned_id>/delete/", canned.my_canned_delete, name="my_canned_delete"),
    path(
        "t/<int:number>/attachments/<int:attachment_id>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path(
        "t/<int:number>/canned/<int:canned_id>/",
        views.canned_reply_text,
        name="canned_reply_text",
    ),
    path("customers/", views.customer_list, name="customer_list"),
    path("customers/<int:pk>/", views.customer_detail, name="customer_detail"),
    path("customers/<int:pk>/edit/", views.customer_edit, name="customer_edit"),
    path("settings/categories/", views.category_list, name="category_list"),
    path("settings/categories/<int:category_id>/", views.category_edit, name="category_edit"),
    path(
        "settings/categories/<int:category_id>/delete/",
        views.category_delete,
        name="category_delete",
    ),
    path("settings/categories/<int:category_id>/move/", views.category_move, name="category_move"),
    path("settings/canned-replies/", views.canned_list, name="canned_list"),
    path("settings/canned-replies/<int:canned_id>/", views.canned_edit, name="canned_edit"),
    path(
        "settings/canned-replies/<int:canned_id>/delete/",
        views.canned_delete,
        name="canned_delete",
    ),
    path("settings/canned-replies/<int:canned_id>/move/", views.canned_move, name="canned_move"),
    path("settings/lifecycle/", lifecycle.lifecycle_settings, name="lifecycle_settings"),
    path("settings/teams/", teams.team_list, name="team_list"),
    path("settings/teams/<int:team_id>/", teams.team_edit, name="team_edit"),
    path("settings/teams/<int:team_id>/delete/", teams.team_delete, name="team_delete"),
    path(
        "settings/teams/<int:team_id>/members/<int:membership_id>/",
        teams.member_capacity,
        name="member_capacity",
    ),
]
