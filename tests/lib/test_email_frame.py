"""destek/lib/email_frame.py: a mail's HTML for a sandboxed srcdoc frame."""

from destek.lib.email_frame import frame_document, srcdoc_attribute

MAIL = (
    '<p>Merhaba <b>Ayşe</b></p><img src="https://tracker.example/pixel.gif?u=42" alt="logo">'
    '<img src="cid:resim1@firma">'
    '<a href="https://firma.example/siparis">sipariş</a>'
)


def test_remote_images_are_held_back_and_counted_by_default():
    document = frame_document(MAIL)

    assert document.blocked_images == 1
    assert "tracker.example" not in document.srcdoc
    assert '<img alt="logo">' in document.srcdoc
    assert "cid:" not in document.srcdoc
    assert "<p>Merhaba <b>Ayşe</b></p>" in document.srcdoc


def test_remote_images_load_when_the_reader_asks():
    document = frame_document(MAIL, remote_images=True)

    assert document.blocked_images == 0
    assert 'src="https://tracker.example/pixel.gif?u=42"' in document.srcdoc


def test_links_open_outside_the_frame_without_a_referrer():
    document = frame_document(MAIL)

    assert '<base target="_blank">' in document.srcdoc
    assert '<meta name="referrer" content="no-referrer">' in document.srcdoc
    assert 'rel="noopener noreferrer nofollow"' in document.srcdoc


def test_scripts_and_handlers_never_reach_the_frame():
    document = frame_document(
        '<script>alert(1)</script><img src="x" onerror="alert(2)">'
        '<a href="javascript:alert(3)">a</a>'
    )

    assert "alert" not in document.srcdoc
    assert "<script>" not in document.srcdoc.split("</head>")[1]


def test_the_attribute_value_is_escaped():
    assert srcdoc_attribute(frame_document('<p title="a">x</p>')).count("&quot;") >= 2
