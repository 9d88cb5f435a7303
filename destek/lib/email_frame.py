"""A received mail's HTML as a document for a sandboxed ``<iframe srcdoc>``.

The stored HTML is already sanitised (no script, no event handler, no style). Here remote images
are also taken out unless the reader asked for them: a picture fetched from the sender's server
tells the sender who opened the mail, when, and from where. Embedded (``cid:``) pictures are
listed as attachments instead. The page's Content-Security-Policy, which a srcdoc frame inherits,
blocks remote images a second time.
"""

from __future__ import annotations

from dataclasses import dataclass

import nh3
from django.utils.html import escape

from destek.lib.markup import ALLOWED_ATTRIBUTES, ALLOWED_TAGS

_STYLE = (
    "body{font:15px/1.5 system-ui,sans-serif;margin:8px;color:#111;overflow-wrap:anywhere}"
    "img{max-width:100%;height:auto}table{border-collapse:collapse;max-width:100%}"
    "blockquote{margin:0 0 0 .5em;padding-left:.5em;border-left:3px solid #ccc;color:#555}"
    ".blocked{display:inline-block;border:1px dashed #aaa;padding:0 .3em;color:#777}"
)


@dataclass(frozen=True)
class FrameDocument:
    srcdoc: str
    blocked_images: int


def _is_remote(url: str) -> bool:
    return url.strip().lower().startswith(("http://", "https://", "//"))


def frame_document(html: str, *, remote_images: bool = False) -> FrameDocument:
    """The whole document for the frame and how many remote images were held back."""
    blocked = 0

    def keep(tag: str, attribute: str, value: str) -> str | None:
        nonlocal blocked
        if tag == "img" and attribute == "src":
            if _is_remote(value):
                if remote_images:
                    return value
                blocked += 1
                return None
            return None  # cid: and anything else: not loadable from inside the frame
        return value

    body = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=keep,
        url_schemes={"http", "https", "mailto", "tel", "cid"},
        link_rel="noopener noreferrer nofollow",
    )
    document = (
        '<!doctype html><html><head><meta charset="utf-8">'
        '<meta name="referrer" content="no-referrer"><base target="_blank">'
        f"<style>{_STYLE}</style></head><body>{body}</body></html>"
    )
    return FrameDocument(srcdoc=document, blocked_images=blocked)


def srcdoc_attribute(document: FrameDocument) -> str:
    """The document escaped for an HTML attribute value."""
    return escape(document.srcdoc)
