"""Mailbox pages: the setup wizard, the settings page, the connection test, the failing-mailbox
banner. The wizard's connection test is driven against loopback (a closed port) and an
unresolvable name; tests against real IMAP/SMTP servers live with destek.mail.check."""

from __future__ import annotations

import socket

import pytest
from django.urls import reverse
from django.utils import timezone

from destek.mail.forms import SERVER_FIELDS, seal
from destek.mail.models import Mailbox
from tests.conftest import client_for

PASSWORD = "uygulama-şifresi-9x"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def mailbox(workspace) -> Mailbox:
    box = Mailbox(
        workspace=workspace,
        address="destek@anadolu.test",
        imap_host="mail.anadolu.test",
        imap_port=993,
        imap_user="destek@anadolu.test",
        smtp_host="mail.anadolu.test",
        smtp_port=465,
        smtp_user="destek@anadolu.test",
    )
    box.imap_password = "eski-imap-parola"
    box.smtp_password = "eski-smtp-parola"
    box.save()
    return box


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def new_url(workspace) -> str:
    return reverse("mailbox_new", args=[workspace.slug])


def detail_url(mailbox) -> str:
    return reverse("mailbox_detail", args=[mailbox.workspace.slug, mailbox.pk])


def start(client, workspace, address="destek@gmail.com", provider=""):
    data = {"address": address, "password": PASSWORD, "provider": provider, "action": "servers"}
    return client.post(new_url(workspace), data)


def carried(response, **changes: object) -> dict[str, object]:
    """What the next step posts: the carried address, provider and sealed password, and the
    server fields as shown."""
    context = response.context
    data = {
        "address": context["address"],
        "provider": context["carry"]["provider"].value(),
        "sealed": context["sealed"],
    }
    form = context["server_form"]
    data |= {name: form[name].value() for name in SERVER_FIELDS}
    data |= changes
    return {key: "" if value is None else value for key, value in data.items()}


# --- the wizard ---------------------------------------------------------------------------------


def test_step_one_asks_for_address_password_and_provider(admin_client, workspace):
    response = admin_client.get(new_url(workspace))

    assert response.status_code == 200
    form = response.context["address_form"]
    assert {"address", "password", "provider"} <= set(form.fields)


def test_gmail_address_fills_googles_servers_and_names_the_provider(admin_client, workspace):
    response = start(admin_client, workspace)

    assert response.context["step"] == 2
    form = response.context["server_form"]
    assert form["imap_host"].value() == "imap.gmail.com"
    assert form["smtp_host"].value() == "smtp.gmail.com"
    assert form["imap_user"].value() == "destek@gmail.com"
    assert response.context["carry"]["provider"].value() == "gmail"
    assert "uygulama şifresi" in response.content.decode()


def test_typed_password_is_not_in_the_next_page(admin_client, workspace):
    response = start(admin_client, workspace)

    assert PASSWORD not in response.content.decode()
    assert response.context["sealed"]


def test_business_domain_gets_hosting_guess_and_a_chosen_provider_refills(admin_client, workspace):
    guessed = start(admin_client, workspace, address="destek@anadolukahve.com.tr")
    assert guessed.context["server_form"]["imap_host"].value() == "mail.anadolukahve.com.tr"
    assert "Google Workspace" in guessed.content.decode()

    chosen = admin_client.post(
        new_url(workspace),
        {
            "address": "destek@anadolukahve.com.tr",
            "provider": "outlook",
            "sealed": guessed.context["sealed"],
            "action": "servers",
        },
    )

    form = chosen.context["server_form"]
    assert (form["imap_host"].value(), form["smtp_port"].value()) == ("outlook.office365.com", 587)


def test_wizard_saves_the_mailbox_with_encrypted_passwords(admin_client, workspace):
    servers = start(admin_client, workspace)
    step3 = admin_client.post(new_url(workspace), carried(servers, action="next"))
    assert step3.context["step"] == 3

    saved = admin_client.post(
        new_url(workspace),
        carried(
            servers,
            sealed=step3.context["sealed"],
            action="save",
            first_fetch="new",
            display_name="Anadolu Destek",
        ),
    )

    mailbox = Mailbox.objects.get(address="destek@gmail.com")
    assert saved.status_code == 302 and saved["Location"] == detail_url(mailbox)
    assert mailbox.workspace == workspace
    assert (mailbox.imap_host, mailbox.imap_port, mailbox.smtp_port) == ("imap.gmail.com", 993, 465)
    assert mailbox.display_name == "Anadolu Destek"
    assert mailbox.import_days is None
    row = Mailbox.objects.filter(pk=mailbox.pk).values().get()
    assert PASSWORD not in row["imap_password_encrypted"]
    assert PASSWORD not in row["smtp_password_encrypted"]
    assert (mailbox.imap_password, mailbox.smtp_password) == (PASSWORD, PASSWORD)


def test_wizard_saves_the_choice_to_import_the_last_days(admin_client, workspace):
    servers = start(admin_client, workspace)

    admin_client.post(
        new_url(workspace),
        carried(servers, action="save", first_fetch="import", import_days="45"),
    )

    assert Mailbox.objects.get(address="destek@gmail.com").import_days == 45


def test_import_without_a_number_of_days_is_refused(admin_client, workspace):
    servers = start(admin_client, workspace)

    response = admin_client.post(
        new_url(workspace), carried(servers, action="save", first_fetch="import", import_days="")
    )

    assert response.context["step"] == 3
    assert "import_days" in response.context["fetch_form"].errors
    assert not Mailbox.objects.exists()


def test_separate_smtp_password_typed_in_step_two_is_kept_until_saving(admin_client, workspace):
    servers = start(admin_client, workspace)
    step3 = admin_client.post(
        new_url(workspace), carried(servers, action="next", smtp_password="ayrı-smtp")
    )
    assert "ayrı-smtp" not in step3.content.decode()

    admin_client.post(
        new_url(workspace),
        carried(servers, sealed=step3.context["sealed"], action="save", first_fetch="new"),
    )

    mailbox = Mailbox.objects.get()
    assert (mailbox.imap_password, mailbox.smtp_password) == (PASSWORD, "ayrı-smtp")


def test_sealed_password_of_another_admin_is_not_accepted(admin_client, workspace, owner):
    foreign = seal((workspace.pk, owner.pk), {"password": PASSWORD})

    response = admin_client.post(
        new_url(workspace),
        {"address": "destek@gmail.com", "sealed": foreign, "action": "servers"},
    )

    assert response.context["step"] == 1
    assert "password" in response.context["address_form"].errors


def test_address_already_connected_is_refused(admin_client, workspace, mailbox):
    response = start(admin_client, workspace, address="Destek@Anadolu.test")

    assert response.context["step"] == 1
    assert "zaten" in str(response.context["address_form"].errors["address"])


def test_missing_server_stays_on_step_two_with_the_error(admin_client, workspace):
    servers = start(admin_client, workspace)

    response = admin_client.post(new_url(workspace), carried(servers, action="next", imap_host=""))

    assert response.context["step"] == 2
    assert "imap_host" in response.context["server_form"].errors


def test_connection_test_reports_refused_connection_for_imap_and_smtp(admin_client, workspace):
    port = closed_port()
    servers = start(admin_client, workspace)

    response = admin_client.post(
        new_url(workspace),
        carried(
            servers,
            action="test",
            imap_host="127.0.0.1",
            imap_port=port,
            imap_security="none",
            smtp_host="127.0.0.1",
            smtp_port=port,
            smtp_security="none",
        ),
    )

    checks = dict(response.context["checks"])
    assert [checks["IMAP"].stage, checks["SMTP"].stage] == ["connect", "connect"]
    expected = f"127.0.0.1:{port} bağlantıyı reddetti. Sunucu ve port ayarını kontrol edin."
    assert checks["IMAP"].message == expected
    assert response.content.decode().count(expected) == 2
    assert not Mailbox.objects.exists()


def test_connection_test_reports_an_unknown_host_name(admin_client, workspace):
    servers = start(admin_client, workspace)

    response = admin_client.post(
        new_url(workspace),
        carried(
            servers, action="test", imap_host="nonexistent.invalid", smtp_host="nonexistent.invalid"
        ),
    )

    checks = dict(response.context["checks"])
    assert [checks["IMAP"].stage, checks["SMTP"].stage] == ["dns", "dns"]
    message = "nonexistent.invalid sunucu adı bulunamadı (DNS). Sunucu adını kontrol edin."
    assert response.content.decode().count(message) == 2


@pytest.mark.parametrize("role", ["agent", "owner"])
def test_wizard_is_for_admins_only(request, workspace, role):
    client = client_for(request.getfixturevalue(role))

    assert client.get(new_url(workspace)).status_code == 403
    assert start(client, workspace).status_code == 403
    assert not Mailbox.objects.exists()


def test_wizard_of_another_workspace_is_404(other_agent_client, workspace):
    assert other_agent_client.get(new_url(workspace)).status_code == 404


# --- list and settings page ---------------------------------------------------------------------


def test_list_shows_mailboxes_of_this_workspace_only(
    admin_client, workspace, mailbox, other_workspace
):
    Mailbox.objects.create(workspace=other_workspace, address="baska@baska.test")

    response = admin_client.get(reverse("mailbox_list", args=[workspace.slug]))

    assert [m.address for m in response.context["mailboxes"]] == ["destek@anadolu.test"]
    assert "baska@baska.test" not in response.content.decode()


def test_settings_page_shows_fetch_state_but_never_the_passwords(admin_client, mailbox):
    Mailbox.objects.filter(pk=mailbox.pk).update(
        last_success_at=timezone.now(), failure_count=2, last_error="Kimlik doğrulama başarısız"
    )

    body = admin_client.get(detail_url(mailbox)).content.decode()

    assert "Kimlik doğrulama başarısız" in body
    assert "eski-imap-parola" not in body and "eski-smtp-parola" not in body
    assert mailbox.imap_password_encrypted not in body


def settings_data(mailbox, **changes: object) -> dict[str, object]:
    data = {
        "display_name": "",
        "imap_host": mailbox.imap_host,
        "imap_port": mailbox.imap_port,
        "imap_security": mailbox.imap_security,
        "imap_user": mailbox.imap_user,
        "imap_folder": mailbox.imap_folder,
        "smtp_host": mailbox.smtp_host,
        "smtp_port": mailbox.smtp_port,
        "smtp_security": mailbox.smtp_security,
        "smtp_user": mailbox.smtp_user,
        "signature": "",
        "acknowledge": "on",
        "acknowledgement_subject": "",
        "acknowledgement_body": "",
    }
    return data | changes


def test_blank_passwords_keep_the_stored_ones(admin_client, mailbox):
    response = admin_client.post(detail_url(mailbox), settings_data(mailbox, signature="Ekibimiz"))

    assert response.status_code == 302
    mailbox.refresh_from_db()
    assert mailbox.signature == "Ekibimiz"
    assert (mailbox.imap_password, mailbox.smtp_password) == (
        "eski-imap-parola",
        "eski-smtp-parola",
    )


def test_new_password_replaces_the_stored_one_and_retries_now(admin_client, mailbox):
    Mailbox.objects.filter(pk=mailbox.pk).update(next_attempt_at=timezone.now())

    admin_client.post(detail_url(mailbox), settings_data(mailbox, imap_password="yeni-parola"))

    mailbox.refresh_from_db()
    assert mailbox.imap_password == "yeni-parola"
    assert mailbox.smtp_password == "eski-smtp-parola"
    assert mailbox.next_attempt_at is None


def test_acknowledgement_and_only_addressed_are_editable(admin_client, mailbox):
    admin_client.post(
        detail_url(mailbox),
        settings_data(
            mailbox,
            acknowledge="",
            acknowledgement_subject="Talebiniz alındı",
            acknowledgement_body="Takip kodunuz {{ kod }}",
            only_addressed="on",
        ),
    )

    mailbox.refresh_from_db()
    assert mailbox.acknowledge is False
    assert mailbox.only_addressed is True
    assert mailbox.acknowledgement_subject == "Talebiniz alındı"


def test_copies_of_sent_mail_are_switched_on_from_the_settings_page(admin_client, mailbox):
    page = admin_client.get(detail_url(mailbox)).content.decode()
    assert "Gönderilmiş klasörü" in page and 'name="sent_copy"' in page

    response = admin_client.post(
        detail_url(mailbox),
        settings_data(mailbox, sent_copy="on", sent_folder="Gönderilmiş Öğeler"),
    )

    assert response.status_code == 302
    mailbox.refresh_from_db()
    assert (mailbox.sent_copy, mailbox.sent_folder) == (True, "Gönderilmiş Öğeler")


def test_copies_of_sent_mail_need_an_imap_server(admin_client, workspace):
    box = Mailbox.objects.create(workspace=workspace, address="boru@anadolukahve.com.tr")
    data = settings_data(box, sent_copy="on", imap_port="", smtp_port="")
    response = admin_client.post(detail_url(box), data)

    assert response.status_code == 200
    assert "Gönderilenleri kaydetmek için IMAP sunucusu gerekli." in response.content.decode()
    box.refresh_from_db()
    assert box.sent_copy is False


def test_deactivate_and_activate_again(admin_client, mailbox):
    url = reverse("mailbox_active", args=[mailbox.workspace.slug, mailbox.pk])

    admin_client.post(url, {"active": "0"})
    mailbox.refresh_from_db()
    assert mailbox.is_active is False

    admin_client.post(url, {"active": "1"})
    mailbox.refresh_from_db()
    assert mailbox.is_active is True


def test_saved_mailbox_test_button_shows_both_results(admin_client, mailbox):
    port = closed_port()
    Mailbox.objects.filter(pk=mailbox.pk).update(
        imap_host="127.0.0.1", imap_port=port, smtp_host="nonexistent.invalid"
    )
    url = reverse("mailbox_test", args=[mailbox.workspace.slug, mailbox.pk])

    response = admin_client.post(url, HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert f"127.0.0.1:{port} bağlantıyı reddetti" in body
    assert "nonexistent.invalid sunucu adı bulunamadı (DNS)" in body
    assert "<html" not in body  # htmx gets the results alone


def test_import_progress_polls_while_importing_and_stops_when_done(admin_client, mailbox):
    url = reverse("mailbox_import", args=[mailbox.workspace.slug, mailbox.pk])
    Mailbox.objects.filter(pk=mailbox.pk).update(import_days=30, import_total=200, import_done=50)

    running = admin_client.get(url).content.decode()
    assert '<progress value="50" max="200">' in running
    assert 'hx-trigger="every 3s"' in running

    Mailbox.objects.filter(pk=mailbox.pk).update(import_done=200)
    done = admin_client.get(url).content.decode()
    assert "<progress" not in done and "hx-trigger" not in done
    assert "200 e-posta içe aktarıldı" in done


@pytest.mark.parametrize("role", ["agent", "owner"])
def test_settings_page_is_for_admins_only(request, mailbox, role):
    client = client_for(request.getfixturevalue(role))

    assert client.get(detail_url(mailbox)).status_code == 403
    assert client.post(detail_url(mailbox), settings_data(mailbox)).status_code == 403


def test_mailbox_of_another_workspace_is_404(admin_client, workspace, other_workspace):
    foreign = Mailbox.objects.create(workspace=other_workspace, address="b@baska.test")

    url = reverse("mailbox_detail", args=[workspace.slug, foreign.pk])

    assert admin_client.get(url).status_code == 404


def test_other_workspace_member_gets_404(other_agent_client, mailbox):
    assert other_agent_client.get(detail_url(mailbox)).status_code == 404


# --- the failing-mailbox banner -----------------------------------------------------------------


def test_admins_see_a_banner_for_a_failing_mailbox(admin_client, workspace, mailbox):
    Mailbox.objects.filter(pk=mailbox.pk).update(failure_count=3, last_error="Parola yanlış")

    body = admin_client.get(reverse("ticket_queue", args=[workspace.slug])).content.decode()

    assert "destek@anadolu.test posta kutusuna bağlanılamıyor: Parola yanlış" in body
    assert detail_url(mailbox) in body


@pytest.mark.parametrize("role", ["agent", "owner"])
def test_no_banner_for_agents_or_the_owner(request, workspace, mailbox, role):
    Mailbox.objects.filter(pk=mailbox.pk).update(failure_count=3, last_error="Parola yanlış")
    client = client_for(request.getfixturevalue(role))

    body = client.get(reverse("dashboard", args=[workspace.slug])).content.decode()

    assert "posta kutusuna bağlanılamıyor" not in body


def test_no_banner_for_a_working_or_switched_off_mailbox(admin_client, workspace, mailbox):
    Mailbox.objects.filter(pk=mailbox.pk).update(is_active=False, failure_count=3, last_error="x")

    body = admin_client.get(reverse("ticket_queue", args=[workspace.slug])).content.decode()

    assert "posta kutusuna bağlanılamıyor" not in body


def test_pipe_only_mailbox_saves_without_servers(admin_client, workspace):
    pipe = Mailbox.objects.create(workspace=workspace, address="boru@anadolu.test")
    data = settings_data(pipe, imap_port="", smtp_port="", signature="Boru ekibi")

    response = admin_client.post(detail_url(pipe), data)

    assert response.status_code == 302
    pipe.refresh_from_db()
    assert (pipe.has_imap(), pipe.signature) == (False, "Boru ekibi")


def test_server_without_a_port_is_refused(admin_client, mailbox):
    response = admin_client.post(detail_url(mailbox), settings_data(mailbox, smtp_port=""))

    assert "smtp_port" in response.context["form"].errors
