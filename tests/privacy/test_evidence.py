"""destek/privacy/evidence.py and transcript.py: the evidence bundle of a ticket."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
import zlib

import pytest
from django.urls import reverse

from destek.accounts.models import AuditLog
from destek.privacy.evidence import write_evidence
from destek.privacy.transcript import transcript_messages, transcript_pdf

pytestmark = pytest.mark.django_db


def _pdf_text_codes(pdf: bytes) -> str:
    """The PDF's streams inflated: the ToUnicode maps list every character the text uses."""
    out = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            out.append(zlib.decompress(stream).decode("latin-1"))
        except zlib.error:
            out.append(stream.decode("latin-1"))
    return "".join(out).upper()


def test_the_transcript_is_a_pdf_with_turkish_letters_in_an_embedded_unicode_font(
    mailed_ticket, agent
):
    pdf = transcript_pdf(mailed_ticket, generated_by=agent.email)

    assert pdf.startswith(b"%PDF-")
    assert b"DejaVuSans" in pdf
    codes = _pdf_text_codes(pdf)
    for letter in "ŞşüÖöİıÇç":
        assert f"{ord(letter):04X}" in codes, letter


def test_the_transcript_leaves_internal_notes_out(mailed_ticket):
    kinds = [message.kind for message in transcript_messages(mailed_ticket)]

    assert kinds == ["customer", "reply"]


def test_the_bundle_holds_transcript_mails_attachments_and_a_true_manifest(mailed_ticket, agent):
    target = io.BytesIO()

    names = write_evidence(mailed_ticket, target, actor=agent)

    archive = zipfile.ZipFile(target)
    assert archive.namelist() == names
    code = mailed_ticket.code
    assert names[0] == f"{code}-dokum.pdf"
    assert [n for n in names if n.startswith("e-postalar/gelen-")] != []
    assert [n for n in names if n.startswith("e-postalar/giden-")] != []
    assert [n.split("-", 1)[1] for n in names if n.startswith("ekler/")] == ["fatura-şükrü.pdf"]
    manifest = archive.read("SHA256SUMS").decode().splitlines()
    assert len(manifest) == len(names) - 1
    for line in manifest:
        digest, name = line.split("  ", 1)
        assert hashlib.sha256(archive.read(name)).hexdigest() == digest
    entry = AuditLog.objects.get(action="ticket.evidence_exported")
    assert (entry.actor, entry.target) == (agent, code)


def test_the_evidence_button_downloads_the_zip(agent_client, mailed_ticket):
    url = reverse("ticket_evidence", args=[mailed_ticket.workspace.slug, mailed_ticket.number])

    page = agent_client.get(
        reverse("ticket_detail", args=[mailed_ticket.workspace.slug, mailed_ticket.number])
    )
    response = agent_client.get(url)

    assert f'href="{url}"' in page.content.decode()
    assert "Kanıt paketi indir" in page.content.decode()
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{mailed_ticket.code}-kanit.zip"'
    )
    data = b"".join(response.streaming_content)
    assert "SHA256SUMS" in zipfile.ZipFile(io.BytesIO(data)).namelist()


def test_the_owner_gets_no_evidence(owner_client, mailed_ticket):
    url = reverse("ticket_evidence", args=[mailed_ticket.workspace.slug, mailed_ticket.number])

    assert owner_client.get(url).status_code == 403


def test_a_missing_font_is_a_clear_message(agent_client, mailed_ticket, settings, tmp_path):
    settings.PDF_FONT_DIR = str(tmp_path)
    url = reverse("ticket_evidence", args=[mailed_ticket.workspace.slug, mailed_ticket.number])

    response = agent_client.get(url, follow=True)

    assert "fonts-dejavu-core" in response.content.decode()
