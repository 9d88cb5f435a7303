from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from destek.accounts.models import AuditLog

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
URL = "/w/anadolu/portal/"


def test_admins_set_colour_logo_and_intro(workspace, admin_client):
    logo = SimpleUploadedFile("logo.png", PNG, "image/png")
    data = {
        "brand_color": "#a0522d",
        "logo": logo,
        "portal_intro": "Kahve siparişleriniz için buradayız.",
        "portal_embed_origins": "https://www.anadolukahve.test/",
    }
    response = admin_client.post(URL, data)
    assert response.status_code == 302
    workspace.refresh_from_db()
    assert workspace.brand_color == "#a0522d"
    assert workspace.portal_embed_origins == "https://www.anadolukahve.test"
    assert AuditLog.objects.filter(action="portal.branding_changed").count() == 1
    home = Client().get("/s/anadolu/").content.decode()
    assert 'style="--brand: #a0522d"' in home
    assert "Kahve siparişleriniz için buradayız." in home
    assert 'src="/s/anadolu/logo/"' in home
    logo_response = Client().get("/s/anadolu/logo/")
    assert logo_response["Content-Type"] == "image/png"
    assert b"".join(logo_response.streaming_content) == PNG


def test_an_svg_or_fake_image_is_not_a_logo(workspace, admin_client):
    svg = SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", "image/png")
    response = admin_client.post(URL, {"brand_color": "#a0522d", "logo": svg})
    assert response.status_code == 400
    assert "Logo PNG, JPEG, GIF veya WebP biçiminde bir resim olmalı." in response.content.decode()


def test_a_colour_must_be_hex(workspace, admin_client):
    response = admin_client.post(URL, {"brand_color": "red;background:url(x)"})
    assert response.status_code == 400
    workspace.refresh_from_db()
    assert workspace.brand_color == "#1f6feb"


def test_an_embedding_site_must_be_an_origin(workspace, admin_client):
    response = admin_client.post(
        URL, {"brand_color": "#a0522d", "portal_embed_origins": "javascript:alert(1)"}
    )
    assert response.status_code == 400


def test_the_page_shows_the_snippet(workspace, admin_client):
    page = admin_client.get(URL).content.decode()
    assert "/static/portal/embed.js" in page and "/s/anadolu/form/" in page


def test_agents_and_the_owner_may_not_change_branding(workspace, agent_client, owner_client):
    assert agent_client.get(URL).status_code == 403
    assert owner_client.post(URL, {"brand_color": "#000000"}).status_code == 403
    workspace.refresh_from_db()
    assert workspace.brand_color == "#1f6feb"
