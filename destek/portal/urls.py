"""Included under "s/<slug:workspace_slug>/" by destek/urls.py (public, per workspace)."""

from django.urls import path

from destek.portal.views import csat, embed, pages, signin, submit, tickets

urlpatterns = [
    path("", pages.home, name="portal_home"),
    path("logo/", pages.logo, name="portal_logo"),
    path("giris/", signin.request_link, name="portal_signin"),
    path("giris/<str:token>/", signin.follow_link, name="portal_magic"),
    path("cikis/", signin.sign_out_view, name="portal_signout"),
    path("talepler/", tickets.ticket_list, name="portal_tickets"),
    path("talepler/<int:number>/", tickets.ticket_detail, name="portal_ticket"),
    path("talepler/<int:number>/yanit/", tickets.ticket_reply, name="portal_reply"),
    path("talepler/<int:number>/durum/", tickets.ticket_status, name="portal_ticket_status"),
    path("ekler/<int:attachment_id>/", tickets.attachment, name="portal_attachment"),
    path("yeni/", submit.new_ticket, name="portal_new_ticket"),
    path("yeni/alindi/", submit.submitted, name="portal_submitted"),
    path("form/", embed.embed_form, name="portal_embed"),
    path("memnuniyet/<str:token>/", csat.rate, name="portal_csat"),
]
