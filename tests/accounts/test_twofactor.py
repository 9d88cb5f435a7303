"""destek/accounts/twofactor.py: TOTP codes, replay, recovery codes, the QR code."""

from datetime import UTC, datetime

import pyotp
import pytest

from destek.accounts import twofactor
from destek.accounts.models import AuditLog, TwoFactor
from destek.lib import crypto

pytestmark = pytest.mark.django_db
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
# A clock that stands still in the middle of a 30-second step, so no test straddles two steps.
NOW = datetime(2026, 11, 23, 9, 0, 15, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _still_clock(monkeypatch):
    monkeypatch.setattr(twofactor, "_now", lambda: NOW)


def _code(offset_steps: int = 0) -> str:
    totp = pyotp.TOTP(SECRET)
    return totp.generate_otp(totp.timecode(NOW) + offset_steps)


def test_enable_stores_the_secret_encrypted_and_ten_hashed_recovery_codes(agent):
    codes = twofactor.enable(user=agent, secret=SECRET)

    device = TwoFactor.objects.get(user=agent)
    assert crypto.decrypt(device.secret) == SECRET
    assert SECRET not in device.secret
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(len(code) == 11 and code[5] == "-" for code in codes)
    assert codes[0] not in device.recovery_codes
    assert len(device.recovery_codes) == 10
    assert AuditLog.objects.filter(action="2fa.enabled", target=agent.email).count() == 1


def test_a_current_code_is_accepted_once(agent):
    twofactor.enable(user=agent, secret=SECRET)
    code = _code()

    assert twofactor.verify(user=agent, code=code) == "totp"
    assert twofactor.verify(user=agent, code=code) is None


def test_a_code_one_step_old_is_accepted_but_not_two(agent):
    twofactor.enable(user=agent, secret=SECRET)

    assert twofactor.verify(user=agent, code=_code(-2)) is None
    assert twofactor.verify(user=agent, code=_code(-1)) == "totp"


def test_a_wrong_code_is_refused(agent):
    twofactor.enable(user=agent, secret=SECRET)
    wrong = "000000" if _code() != "000000" else "111111"

    assert twofactor.verify(user=agent, code=wrong) is None
    assert twofactor.verify(user=agent, code="") is None
    assert twofactor.verify(user=agent, code="abc") is None


def test_a_recovery_code_works_once_and_is_used_up(agent):
    codes = twofactor.enable(user=agent, secret=SECRET)

    assert twofactor.verify(user=agent, code=codes[3].upper()) == "recovery"
    assert twofactor.verify(user=agent, code=codes[3]) is None
    assert twofactor.remaining_codes(agent) == 9


def test_regenerated_codes_replace_the_old_ones(agent):
    old = twofactor.enable(user=agent, secret=SECRET)
    new = twofactor.regenerate_codes(user=agent)

    assert twofactor.verify(user=agent, code=old[0]) is None
    assert twofactor.verify(user=agent, code=new[0]) == "recovery"


def test_a_user_without_a_device_has_no_valid_code(agent):
    assert twofactor.verify(user=agent, code=_code()) is None
    assert twofactor.is_enabled(agent) is False


def test_the_qr_code_is_an_inline_svg_of_the_otpauth_uri(agent):
    uri = twofactor.provisioning_uri(agent, SECRET)
    svg = twofactor.qr_svg(uri)

    assert uri == f"otpauth://totp/Destek:ayse%40anadolu.test?secret={SECRET}&issuer=Destek"
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "<script" not in svg
