from django.urls import path

from destek.mail import views

urlpatterns = [
    path("mailboxes/", views.mailbox_list, name="mailbox_list"),
    path("mailboxes/new/", views.mailbox_new, name="mailbox_new"),
    path("mailboxes/<int:mailbox_id>/", views.mailbox_detail, name="mailbox_detail"),
    path("mailboxes/<int:mailbox_id>/test/", views.mailbox_test, name="mailbox_test"),
    path("mailboxes/<int:mailbox_id>/active/", views.mailbox_active, name="mailbox_active"),
    path("mailboxes/<int:mailbox_id>/import/", views.mailbox_import, name="mailbox_import"),
    path("quarantine/", views.quarantine, name="quarantine"),
    path("quarantine/<int:inbound_id>/raw/", views.inbound_raw, name="inbound_raw"),
    path("quarantine/<int:inbound_id>/retry/", views.inbound_retry, name="inbound_retry"),
    path("quarantine/<int:inbound_id>/force/", views.inbound_force, name="inbound_force"),
    path("t/<int:number>/messages/<int:message_id>/eml/", views.message_eml, name="message_eml"),
    path(
        "t/<int:number>/outbox/<int:outbound_id>/resend/",
        views.outbound_resend,
        name="outbound_resend",
    ),
]
