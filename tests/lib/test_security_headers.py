"""destek/lib/security_headers.py and the security settings: what every response carries."""

import pytest

from destek.lib.security_headers import policy

pytestmark = pytest.mark.django_db


def test_the_policy_allows_scripts_from_our_origin_only():
    assert policy() == (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-src 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )


def test_remote_images_widen_img_src_only():
    assert "img-src 'self' data: https: http:;" in policy(remote_images=True)
    assert "script-src 'self';" in policy(remote_images=True)


def test_every_page_carries_the_security_headers(client):
    response = client.get("/accounts/login/")

    assert response["Content-Security-Policy"] == policy()
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Permissions-Policy"] == "camera=(), microphone=(), geolocation=()"
