"""Author Markdown to safe HTML: markdown-it renders, nh3 sanitises.

Raw HTML in Markdown is shown as text (``html: False``); nh3 then keeps only the
tags and attributes a lesson needs and only http(s)/mailto links, so neither a
``<script>`` nor a ``javascript:`` link can reach a learner's browser.
"""

import re

import nh3
from django.utils.text import slugify
from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin

# Part of every module's content hash: raise it when the rendering or the sanitiser
# rules change, and the next import re-renders every module, changed or not.
RENDERING_VERSION = "2"  # 2: typographic quotes

TAGS = {
    "a", "p", "br", "hr", "h2", "h3", "h4", "strong", "em", "del", "code", "pre",
    "blockquote", "ul", "ol", "li",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "h2": {"id"}, "h3": {"id"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}


def _section_id(title: str) -> str:
    return "section-" + (slugify(title) or "untitled")


# Typographic quotes ('straight' to ‘curly’); the other typographer replacements ((c), --) stay off,
# since an author's characters should otherwise show as written.
_MD = MarkdownIt("commonmark", {"html": False, "typographer": True}).enable(["strikethrough", "smartquotes"])
_MD.use(anchors_plugin, min_level=2, max_level=3, slug_func=_section_id)


def _clean(html: str) -> str:
    return nh3.clean(
        html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel="noopener noreferrer nofollow"
    )


def render_markdown(text: str) -> str:
    return _clean(_MD.render(text))


def render_inline(text: str) -> str:
    return _clean(_MD.renderInline(text))


_SECTION = re.compile(r'<h2 id="(section-[^"]+)">(.*?)</h2>', re.DOTALL)


def section_headings(html: str) -> list[tuple[str, str]]:
    """Each section heading of HTML made by ``render_markdown``: its id and its (safe) inner HTML."""
    return _SECTION.findall(html)
