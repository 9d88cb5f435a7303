"""Property tests (hypothesis) of destek/lib/markup.py and destek/lib/email_frame.py: any
Markdown or HTML, however hostile, comes out without an exception and without anything that
runs: no script/style/iframe element, no on…= handler, no javascript:/data: link."""

from __future__ import annotations

from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from destek.lib.email_frame import frame_document
from destek.lib.markup import markdown_to_html, sanitize_html

PIECES = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//x.example/a.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    "<svg onload=alert(1)><circle/></svg>",
    "<iframe src=//x.example></iframe>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<div style="background:url(javascript:alert(1))">s</div>',
    "<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
    "<!--<script>-->",
    "<![CDATA[<script>]]>",
    '<form action="javascript:alert(1)"><button>b</button></form>',
    "<object data=x.swf></object>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<base href=//x.example/>",
    "<p>Merhaba <b>Şükrü</b></p>",
    "[bağlantı](javascript:alert(1))",
    "![resim](https://x.example/p.gif)",
    "<details open ontoggle=alert(1)>",
    "<a href='data:text/html;base64,PHNjcmlwdD4='>d</a>",
    "<table><tr><td colspan=2>t</td></tr></table>",
    "<",
    ">",
    '"',
    "'",
    "\x00",
]
hostile = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=20)), max_size=12).map(
    "".join
)
FORBIDDEN_TAGS = {"script", "style", "iframe", "object", "embed", "svg", "math", "form", "meta"}
FORBIDDEN_SCHEMES = ("javascript:", "vbscript:", "data:")


class _Inspector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "formaction", "srcdoc"}:
                self.problems.append(f"{tag} {name}=")
            if name in {"href", "src", "action"} and value:
                compact = "".join(value.split()).lower()
                if compact.startswith(FORBIDDEN_SCHEMES):
                    self.problems.append(f"{tag} {name}={value!r}")


def problems_in(html: str) -> list[str]:
    inspector = _Inspector()
    inspector.feed(html)
    inspector.close()
    return inspector.problems


def test_the_inspector_finds_what_it_looks_for():
    assert problems_in('<script>x</script><a href=" javascript:x" onclick="y">') == [
        "<script>",
        "a href=' javascript:x'",
        "a onclick=",
    ]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile)
def test_sanitised_html_never_runs_anything(html):
    assert problems_in(sanitize_html(html)) == []


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile)
def test_markdown_never_raises_and_never_runs_anything(text):
    assert problems_in(markdown_to_html(text)) == []


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile, st.booleans())
def test_the_mail_frame_body_never_runs_anything(html, remote_images):
    document = frame_document(sanitize_html(html), remote_images=remote_images)
    body = document.srcdoc.split("<body>", 1)[1]
    assert problems_in(body) == []
    assert document.blocked_images >= 0


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_plain_text_survives_markdown_as_text(text):
    # No exception for any Unicode (Turkish, RTL marks, control characters, emoji).
    assert isinstance(markdown_to_html(text), str)
