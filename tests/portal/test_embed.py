import time

from django.test import Client

from destek.portal import spam
from destek.portal.views.admin import embed_snippets
from destek.tickets.models import Ticket

EMBED = "/s/anadolu/form/"


def test_the_embed_form_may_be_framed_by_any_site_by_default(workspace):
    response = Client().get(EMBED)
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    assert response["Content-Security-Policy"] == "frame-ancestors *"
    assert 'class="p-header"' not in response.content.decode()  # no portal chrome in a frame


def test_the_embed_form_follows_the_workspace_list_of_sites(workspace):
    workspace.portal_embed_origins = "https://www.anadolukahve.test https://magaza.test"
    workspace.save()
    response = Client().get(EMBED)
    assert response["Content-Security-Policy"] == (
        "frame-ancestors 'self' https://www.anadolukahve.test https://magaza.test"
    )


def test_other_portal_pages_refuse_to_be_framed(workspace):
    assert Client().get("/s/anadolu/yeni/")["X-Frame-Options"] == "DENY"
    assert Client().get("/s/anadolu/")["X-Frame-Options"] == "DENY"


def test_the_embed_form_works_without_cookies_and_confirms_in_the_frame(workspace):
    client = Client(enforce_csrf_checks=True)
    data = {
        "name": "Deniz Aksoy",
        "email": "deniz@misafir.test",
        "subject": "Sitenizden yazıyorum",
        "description": "Kargo ücreti ne kadar?",
        "started": spam.started_token(time.time() - 10),
    }
    response = client.post(EMBED, data)
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    confirmation = Client().get(response["Location"])
    assert "X-Frame-Options" not in confirmation
    assert ticket.code in confirmation.content.decode()


def test_the_embed_form_keeps_the_honeypot(workspace):
    data = {"subject": "x", "website": "spam", "started": spam.started_token(time.time() - 10)}
    assert Client().post(EMBED, data).status_code == 400
    assert not Ticket.objects.exists()


def test_the_snippet_points_at_the_form_and_the_script(workspace, settings):
    snippets = embed_snippets(workspace)
    assert snippets["script"] == (
        f'<script src="{settings.BASE_URL}/static/portal/embed.js" '
        f'data-destek-form="{settings.BASE_URL}/s/anadolu/form/" async></script>'
    )
    assert f'src="{settings.BASE_URL}/s/anadolu/form/"' in snippets["iframe"]


def test_the_embed_script_is_served(workspace):
    response = Client().get("/static/portal/embed.js")
    assert response.status_code == 200
    assert b"data-destek-form" in b"".join(response.streaming_content)
