"""destek.mail.quotes: the new part of a reply, with quotes and signatures folded away."""

from __future__ import annotations

from destek.mail.parse import parse_email
from destek.mail.quotes import split_reply

from .corpus import FIXTURES


def test_turkish_gmail_reply_keeps_only_the_new_text():
    text = parse_email((FIXTURES / "reply-gmail-turkish-quote.eml").read_bytes()).text
    visible, quoted = split_reply(text)
    assert visible == "Teşekkürler, iade tutarı hesabıma geçti.\nİyi çalışmalar.\n\nÇağrı"
    assert quoted.startswith("15 Mar 2024 Cum, 16:45 tarihinde Anadolu Kahve Destek")
    assert quoted.endswith("> Anadolu Kahve Destek")


def test_turkish_outlook_reply_stops_at_the_kimden_block():
    text = parse_email((FIXTURES / "reply-outlook-turkish.eml").read_bytes()).text
    visible, quoted = split_reply(text)
    assert visible == (
        "Merhaba,\n\nKargo takip numarası hâlâ görünmüyor, kontrol edebilir misiniz?\n\n"
        "Saygılarımla,\nMehmet Yıldız"
    )
    assert quoted.startswith("________________________________\nKimden: Anadolu Kahve Destek")


def test_turkish_attribution_with_the_name_before_the_date():
    text = (
        "Tamam.\n\n"
        "Çağrı Öztürk <cagri@ornek.com.tr>, 12 Mar 2024 Sal, 14:05 tarihinde şunu yazdı:\n> eski"
    )
    assert split_reply(text)[0] == "Tamam."


def test_apple_mail_turkish_attribution():
    text = (
        "Olur.\n\n12 Mart 2024 14:05 tarihinde Destek <destek@firma.com> şunları yazdı:\n\n> eski"
    )
    assert split_reply(text)[0] == "Olur."


def test_gonderen_tarih_konu_block_without_underscores():
    text = (
        "Evet.\n\nGönderen: Destek <destek@firma.com>\nTarih: 12 Mart 2024 Salı 14:05\n"
        "Kime: Çağrı\nKonu: Sipariş\n\neski"
    )
    assert split_reply(text) == (
        "Evet.",
        "Gönderen: Destek <destek@firma.com>\nTarih: 12 Mart 2024 Salı 14:05\n"
        "Kime: Çağrı\nKonu: Sipariş\n\neski",
    )


def test_turkish_original_message_separator():
    assert split_reply("Tamam.\n\n-----Orijinal İleti-----\nKimden: x")[0] == "Tamam."


def test_turkish_ozgun_ileti_separator():
    assert split_reply("Tamam.\n-----Özgün İleti-----\nKimden: x")[0] == "Tamam."


def test_english_on_wrote_attribution():
    text = "Thanks!\n\nOn Tue, Mar 12, 2024 at 2:05 PM Support <support@example.com> wrote:\n> old"
    assert split_reply(text) == (
        "Thanks!",
        "On Tue, Mar 12, 2024 at 2:05 PM Support <support@example.com> wrote:\n> old",
    )


def test_an_attribution_wrapped_onto_two_lines():
    text = (
        "Thanks!\n\nOn Tue, Mar 12, 2024 at 2:05 PM Support Team <support@example.com>\n"
        "wrote:\n> old"
    )
    assert split_reply(text)[0] == "Thanks!"


def test_english_original_message_separator():
    assert split_reply("Fine.\n\n-----Original Message-----\nFrom: x")[0] == "Fine."


def test_english_outlook_header_block():
    text = "Fine.\n\nFrom: Support <s@example.com>\nSent: Tuesday\nTo: me\nSubject: Re: x\n\nold"
    assert split_reply(text)[0] == "Fine."


def test_german_am_schrieb_attribution():
    text = "Danke.\n\nAm 12.03.2024 um 14:05 schrieb Support <s@example.com>:\n> alt"
    assert split_reply(text)[0] == "Danke."


def test_german_outlook_header_block():
    text = (
        "Danke.\n\nVon: Support [mailto:s@example.com]\nGesendet: Dienstag\nAn: ich\nBetreff: x\n"
    )
    assert split_reply(text)[0] == "Danke."


def test_a_trailing_block_of_quoted_lines_is_folded():
    assert split_reply("Yes.\n\n> Can you?\n> Please.") == ("Yes.", "> Can you?\n> Please.")


def test_quotes_with_answers_after_them_stay_visible():
    text = "> Is it paid?\nYes.\n> Is it sent?\nTomorrow."
    assert split_reply(text) == (text, "")


def test_a_dash_dash_space_signature_is_folded():
    text = "Kargo geldi.\n\n-- \nÇağrı Öztürk\nÖrnek A.Ş.\n"
    assert split_reply(text) == ("Kargo geldi.", "-- \nÇağrı Öztürk\nÖrnek A.Ş.")


def test_iphone_turkish_signature_is_folded():
    assert split_reply("Tamam, teşekkürler.\n\niPhone'umdan gönderildi") == (
        "Tamam, teşekkürler.",
        "iPhone'umdan gönderildi",
    )


def test_sent_from_my_iphone_is_folded():
    assert split_reply("OK.\n\nSent from my iPhone\n")[0] == "OK."


def test_outlook_for_android_turkish_signature_is_folded_with_the_quote_below():
    text = (
        "Olur.\n\nAndroid için Outlook'u edinin\n\nKimden: D <d@f.com>\nGönderildi: Salı\nKonu: x\n"
    )
    assert split_reply(text) == (
        "Olur.",
        "Android için Outlook'u edinin\n\nKimden: D <d@f.com>\nGönderildi: Salı\nKonu: x",
    )


def test_a_long_text_after_dashes_is_content_not_a_signature():
    text = "Liste:\n--\n" + "\n".join(f"madde {n}" for n in range(20))
    assert split_reply(text) == (text, "")


def test_from_and_to_lines_of_the_customer_are_not_a_quote_header():
    text = "Bilet:\nFrom: İstanbul\nTo: Ankara\nDate: 12.03.2024\nUçuş saati değişti mi?"
    assert split_reply(text) == (text, "")


def test_a_reply_below_the_quote_stays_fully_visible():
    text = "On Mon, Mar 11, 2024 Support <s@example.com> wrote:\n> Paid?\n\nYes, yesterday."
    assert split_reply(text) == (text, "")


def test_text_without_quotes_is_all_visible():
    assert split_reply("Merhaba,\nsiparişim nerede?") == ("Merhaba,\nsiparişim nerede?", "")


def test_empty_text_stays_empty():
    assert split_reply("") == ("", "")


def test_windows_line_endings_are_understood():
    assert split_reply("Evet.\r\n\r\n> eski\r\n") == ("Evet.", "> eski")
