"""The canonical Markdown form: parsing, writing, the round trip from plain text, and malformed files."""

import html
import re

import pytest

from courses.formats import (
    ActivityDocument,
    ModuleDocument,
    ModuleFormatError,
    dump_canonical,
    parse_canonical,
    parse_plaintext,
    parse_text,
)
from courses.rendering import render_inline, render_markdown
from testing.factories import CONTENT_DIR, SEED, TEST_DATA, module_text, without_planners

CONTENT_ONE = CONTENT_DIR / "01-what-negotiation-actually-is.md"
PLAIN_TEXT_MODULES = sorted(TEST_DATA.glob("*.txt"))

HOSTILE_LINES = [
    "# Not a heading",
    "## Nor this",
    "* not a list item",
    "_not emphasis_ and *not this* either",
    "1. not a numbered list",
    "2) nor this",
    "- not a bullet",
    "+ nor a plus bullet",
    "> not a quote",
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[x](javascript:alert(1))",
    "<a href='javascript:alert(1)'>click</a>",
    "Show &amp; and &#60; as typed",
    "::: outcome",
    ":::",
    "---",
    "***",
    "===",
    "`code` and ~~strike~~ and **bold**",
    "![image](http://example.com/x.png)",
    "<http://example.com>",
    "A backslash at the end \\",
]


def canonical(
    front: str = "number: 7\ntitle: Listening\n",
    body: str = "Opening.\n\n## A heading\n\nText.\n",
    takeaways: str = "::: takeaways\n- One.\n- Two.\n:::\n",
    reflection: str = "::: reflection listening\nWrite.\n:::\n",
    outcome: str = "::: outcome\nYou listen.\n:::\n",
    tail: str = "",
) -> str:
    """A canonical module; with the defaults, line by line:

    1 ---                 9                    17 ::: reflection listening
    2 number: 7          10 Text.              18 Write.
    3 title: Listening   11                    19 :::
    4 ---                12 ::: takeaways      20
    5                    13 - One.             21 ::: outcome
    6 Opening.           14 - Two.             22 You listen.
    7                    15 :::                23 :::
    8 ## A heading       16
    """
    return f"---\n{front}---\n\n{body}\n{takeaways}\n{reflection}\n{outcome}{tail}"


def hostile_plain_text() -> str:
    """A plain-text module in which every line looks like Markdown, HTML or an entity."""
    body = "\n".join(f"{line}\nPlain text follows." for line in HOSTILE_LINES)
    return module_text(
        title="Tags <b> & *stars* · #1: [x](javascript:alert(1))",
        quote="“<script>alert('q')</script> & &amp; # * _”",
        body="Opening paragraph.\n" + body,
        takeaways="Hold on to these\n" + "\n".join(f"- {line}" for line in HOSTILE_LINES),
        reflection="Reflection · write it down\n" + "\n".join(HOSTILE_LINES),
        outcome="What you walk away with\n" + "\n".join(HOSTILE_LINES),
    )


def text_of(rendered: str) -> str:
    """What a reader sees: the HTML without its tags, entities decoded."""
    return html.unescape(re.sub(r"<[^>]*>", "", rendered))


# The typographer prints straight quotes as typographic ones; every other character shows as typed.
UNCURLED = str.maketrans("‘’“”", "''\"\"")


def literal_text_of(rendered: str) -> str:
    return text_of(rendered).translate(UNCURLED)


def test_content_file_parses_to_module_one():
    """content/01 is Module 1 with its declared minutes, three sections and three takeaways."""
    document = parse_canonical(CONTENT_ONE.read_text(encoding="utf-8"))
    assert (document.number, document.slug, document.minutes) == (1, "what-negotiation-actually-is", 13)
    assert (document.title, document.subtitle) == ("What Negotiation Actually Is", "Mutual Value Creation")
    assert document.quote.startswith("Negotiation is not a battle.")
    assert re.findall(r"^## (.+)$", document.body, flags=re.MULTILINE) == [
        "The combat model and why it fails",
        "The mutual-value creation model",
        "Setting the tone from the first moment",
    ]
    assert len(document.takeaways) == 3
    assert document.reflection_key == "reflection"
    assert document.reflection_prompt.startswith("Think of a recent negotiation")
    assert document.outcome.startswith("You approach negotiation as a mutual value-creation process")


def test_content_file_is_the_seed_in_canonical_form():
    """The canonical content/ file and the customer's plain-text seed are the same document, but for
    the planner, which the plain-text form has no way to write."""
    content = CONTENT_ONE.read_text(encoding="utf-8")
    assert parse_canonical(without_planners(content)) == parse_plaintext(SEED.read_text("utf-8"))
    assert [a.kind for a in parse_canonical(content).activities][-1] == "planner"


def test_minimal_module_takes_defaults():
    """Without slug, subtitle, minutes, quote or reflection id: slug from the title, id 'reflection', estimate."""
    document = parse_canonical(
        canonical(front="number: 7\ntitle: Anchors & Ranges\n", reflection="::: reflection\nWrite.\n:::\n")
    )
    assert document == ModuleDocument(
        number=7,
        title="Anchors & Ranges",
        slug="anchors-ranges",
        activities=[
            ActivityDocument(kind="lesson", key="lesson", text="Opening.\n\n## A heading\n\nText."),
            ActivityDocument(kind="takeaways", key="takeaways", items=["One.", "Two."]),
            ActivityDocument(kind="reflection", key="reflection", text="Write."),
        ],
        outcome="You listen.",
    )
    assert document.estimated_minutes() == 1 + 5


def test_every_front_matter_field_is_read():
    """slug, subtitle, minutes and quote are taken as written, the text fields stripped."""
    front = (
        "number: 2\nslug: anchors\ntitle: Anchors\nsubtitle: ' Where Numbers Start '\nminutes: 9\nquote: Go first.\n"
    )
    document = parse_canonical(canonical(front=front))
    assert (document.number, document.slug, document.title) == (2, "anchors", "Anchors")
    assert (document.subtitle, document.minutes, document.quote) == ("Where Numbers Start", 9, "Go first.")
    assert document.reflection_key == "listening"


def test_blocks_hold_markdown():
    """The takeaways are the bullets' text; the prompt and outcome keep their Markdown and paragraphs."""
    document = parse_canonical(
        canonical(
            takeaways="::: takeaways\n- One *big* idea.\n- Two.\n:::\n",
            reflection="::: reflection listening\nFirst *paragraph*.\n\nSecond.\n:::\n",
        )
    )
    assert document.takeaways == ["One *big* idea.", "Two."]
    assert document.reflection_prompt == "First *paragraph*.\n\nSecond."
    assert render_markdown(document.reflection_prompt) == "<p>First <em>paragraph</em>.</p>\n<p>Second.</p>\n"


def test_byte_order_mark_and_windows_line_endings_do_not_matter():
    """A BOM and CRLF line endings give the same document."""
    plain = canonical()
    assert parse_canonical("\ufeff" + plain.replace("\n", "\r\n")) == parse_canonical(plain)


def test_parse_text_recognises_the_canonical_form():
    """A file starting with '---' (after a BOM) is read as canonical Markdown."""
    assert parse_text("\ufeff" + canonical()) == parse_canonical(canonical())


def test_dump_writes_only_the_fields_that_are_set():
    """An absent subtitle, minutes or quote is left out of the front matter; the slug is always written."""
    text = dump_canonical(parse_canonical(canonical()))
    assert text.startswith("---\nnumber: 7\nslug: listening\ntitle: Listening\n---\n\nOpening.\n")
    assert "subtitle:" not in text and "minutes:" not in text and "quote:" not in text
    assert "\n::: reflection listening\nWrite.\n:::\n" in text


@pytest.mark.parametrize("path", PLAIN_TEXT_MODULES, ids=[path.name for path in PLAIN_TEXT_MODULES])
def test_plain_text_round_trips_through_canonical(path):
    """plain text -> dump_canonical -> parse_canonical gives an equal document for every test module."""
    document = parse_plaintext(path.read_text(encoding="utf-8"))
    assert parse_canonical(dump_canonical(document)) == document


def test_dump_of_a_parsed_canonical_file_is_stable():
    """Writing, reading and writing again gives the same text, so exports do not churn in git."""
    text = dump_canonical(parse_canonical(CONTENT_ONE.read_text(encoding="utf-8")))
    assert dump_canonical(parse_canonical(text)) == text


def test_hostile_plain_text_round_trips_through_canonical():
    """Markdown-, HTML- and entity-looking characters survive plain text -> canonical -> document unchanged."""
    document = parse_plaintext(hostile_plain_text())
    assert document.title == "Tags <b> & *stars*"
    assert document.subtitle == "#1: [x](javascript:alert(1))"
    assert document.quote == "<script>alert('q')</script> & &amp; # * _"
    assert len(document.takeaways) == len(HOSTILE_LINES)
    assert parse_canonical(dump_canonical(document)) == document


def test_hostile_plain_text_renders_literally_and_safely():
    """Every hostile line shows as typed (quotes typographic); no tag, list, quote, link or emphasis comes out of it."""
    document = parse_canonical(dump_canonical(parse_plaintext(hostile_plain_text())))
    rendered = {
        "body": render_markdown(document.body),
        "reflection": render_markdown(document.reflection_prompt),
        "outcome": render_markdown(document.outcome),
        "takeaways": "\n".join(render_inline(item) for item in document.takeaways),
    }
    for part, output in rendered.items():
        assert "<script" not in output, part
        assert "javascript:" not in "".join(re.findall(r"href=\"[^\"]*\"", output)), part
        assert not re.search(r"<(?!/?(p|h2)\b)[a-z]", output), (part, output)
        shown = literal_text_of(output)
        for line in HOSTILE_LINES:
            assert line in shown, (part, line)
    assert literal_text_of(rendered["takeaways"]).splitlines() == HOSTILE_LINES
    assert "<h2" not in rendered["reflection"] + rendered["outcome"]


def test_hostile_headings_render_as_headings_with_their_text_literal():
    """A heading line with markup characters is a section heading whose text shows as typed."""
    output = render_markdown(parse_plaintext(hostile_plain_text()).body)
    assert '<h2 id="section-not-a-heading"># Not a heading</h2>' in output
    assert '<h2 id="section-scriptalert1script">&lt;script&gt;alert(1)&lt;/script&gt;</h2>' in output
    assert ">Show &amp;amp; and &amp;#60; as typed</h2>" in output


def test_author_markdown_cannot_inject_script_or_javascript_links():
    """In canonical Markdown an author's raw HTML shows as text and a javascript: link is not a link."""
    document = parse_canonical(
        canonical(
            body="Opening <script>alert(1)</script>.\n\n[click](javascript:alert(1)) and [ok](https://example.com).\n"
        )
    )
    output = render_markdown(document.body)
    assert "<script" not in output
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in output
    assert 'href="javascript' not in output
    assert "[click](javascript:alert(1))" in output
    assert '<a href="https://example.com" rel="noopener noreferrer nofollow">ok</a>' in output


# Line numbers refer to canonical()'s default layout, shown in its docstring.
MALFORMED = [
    ("no front matter", "number: 7\ntitle: Listening\n\nOpening.\n", 1, "expected front matter starting with '---'"),
    ("only lesson text", "Opening.\n", 1, "expected front matter starting with '---' on the first line"),
    ("unclosed front matter", "---\nnumber: 7\ntitle: Listening\n\nOpening.\n", 1, "expected a '---' line to close"),
    ("invalid YAML", canonical(front="number: 7\ntitle: [Listening\n"), 3, "expected valid YAML front matter"),
    ("YAML mapping in a value", canonical(front="number: 7\ntitle: a: b\n"), 3, "expected valid YAML front matter"),
    ("YAML list", canonical(front="- 7\n- Listening\n"), 2, "expected 'key: value' lines in the front matter"),
    (
        "unknown front matter key",
        canonical(front="number: 7\ntitle: Listening\nauthor: Dana\n"),
        4,
        "unknown front matter key 'author'; expected one of minutes, number, quote, slug, subtitle, title",
    ),
    ("missing number", canonical(front="title: Listening\n"), 2, "expected front matter 'number:'"),
    ("missing title", canonical(front="number: 7\n"), 2, "expected front matter 'title:'"),
    ("missing title, later line", canonical(front="number: 7\nsubtitle: Hearing\n"), 2, "'title:'"),
    ("number in words", canonical(front="title: Listening\nnumber: seven\n"), 3, "'number:' with a whole number"),
    ("number zero", canonical(front="number: 0\ntitle: Listening\n"), 2, "'number:' with a whole number from 1 to"),
    ("negative number", canonical(front="number: -1\ntitle: Listening\n"), 2, "whole number from 1 to"),
    ("number true", canonical(front="number: true\ntitle: Listening\n"), 2, "'number:' with a whole number"),
    ("title a number", canonical(front="number: 7\ntitle: 12\n"), 3, "expected front matter 'title:'"),
    ("title blank", canonical(front="number: 7\ntitle: '  '\n"), 3, "expected front matter 'title:'"),
    ("minutes in words", canonical(front="number: 7\ntitle: Listening\nminutes: ten\n"), 4, "'minutes:' to be a whole"),
    ("minutes fractional", canonical(front="number: 7\ntitle: Listening\nminutes: 9.5\n"), 4, "'minutes:' to be"),
    ("minutes zero", canonical(front="number: 7\ntitle: Listening\nminutes: 0\n"), 4, "'minutes:' to be a whole"),
    ("minutes true", canonical(front="number: 7\ntitle: Listening\nminutes: true\n"), 4, "'minutes:' to be a whole"),
    ("subtitle a list", canonical(front="number: 7\ntitle: Listening\nsubtitle: [a]\n"), 4, "'subtitle:' to be text"),
    (
        "bad slug",
        canonical(front="number: 7\ntitle: Listening\nslug: Not A Slug\n"),
        4,
        "expected 'slug:' of lowercase letters, digits and '-'",
    ),
    ("slug a number", canonical(front="number: 7\ntitle: Listening\nslug: 12\n"), 4, "expected 'slug:' to be text"),
    ("no lesson text", canonical(body=""), 5, "expected the lesson text after the front matter"),
    (
        "unclosed last block",
        canonical(outcome="::: outcome\nYou listen.\n"),
        21,
        "expected ':::' to close the '::: outcome' block opened here",
    ),
    (
        "unclosed block before another",
        canonical(takeaways="::: takeaways\n- One.\n- Two.\n"),
        12,
        "expected ':::' to close the '::: takeaways' block opened here",
    ),
    ("missing takeaways block", canonical(takeaways=""), 20, "expected a '::: takeaways' block"),
    ("missing reflection block", canonical(reflection=""), 21, "expected a '::: reflection' block"),
    ("missing outcome block", canonical(outcome=""), 21, "expected a '::: outcome' block"),
    (
        "duplicate takeaways block",
        canonical(reflection="::: takeaways\n- Three.\n:::\n\n::: reflection listening\nWrite.\n:::\n"),
        17,
        "expected one '::: takeaways' block, found a second",
    ),
    (
        "duplicate outcome block",
        canonical(tail="\n::: outcome\nAgain.\n:::\n"),
        25,
        "expected one '::: outcome' block, found a second",
    ),
    (
        "text after the blocks",
        canonical(tail="\nA stray paragraph.\n"),
        25,
        "expected the lesson text before the ::: blocks; found text after them",
    ),
    (
        "text between the blocks",
        canonical(reflection="Stray.\n\n::: reflection listening\nWrite.\n:::\n"),
        17,
        "found text after them",
    ),
    (
        "unknown block",
        canonical(tail="\n::: notes\nHi.\n:::\n"),
        25,
        "expected '::: takeaways', '::: reflection ID', '::: planner ID' or '::: outcome', found '::: notes'",
    ),
    ("empty block", canonical(takeaways="::: takeaways\n:::\n"), 12, "expected text inside the '::: takeaways' block"),
    (
        "takeaways as a paragraph",
        canonical(takeaways="::: takeaways\nOne.\n:::\n"),
        12,
        "expected the takeaways as a '- ' bullet list",
    ),
    (
        "takeaways as a numbered list",
        canonical(takeaways="::: takeaways\n1. One.\n2. Two.\n:::\n"),
        12,
        "expected the takeaways as a '- ' bullet list",
    ),
    (
        "takeaways followed by a paragraph",
        canonical(takeaways="::: takeaways\n- One.\n\nTwo.\n:::\n"),
        12,
        "expected the takeaways as a '- ' bullet list",
    ),
    (
        "reflection id with capitals",
        canonical(reflection="::: reflection Bad_Id\nWrite.\n:::\n"),
        17,
        "expected a reflection id of lowercase letters, digits and '-'",
    ),
    (
        "reflection id of two words",
        canonical(reflection="::: reflection two words\nWrite.\n:::\n"),
        17,
        "expected a reflection id",
    ),
    ("number too big", canonical(front="number: 1000000\ntitle: Listening\n"), 2, "from 1 to 999999"),
    ("number of 5,000 digits", canonical(front="number: " + "9" * 5000 + "\ntitle: L\n"), 2, "valid YAML"),
    ("minutes too many", canonical(front="number: 7\ntitle: L\nminutes: 40000\n"), 4, "from 1 to 999"),
    ("title too long", canonical(front="number: 7\ntitle: " + "T" * 201 + "\n"), 3, "at most 200 characters"),
    ("key given twice", canonical(front="number: 7\ntitle: A\ntitle: B\n"), 4, "'title' is given twice"),
    ("nested takeaway", canonical(takeaways="::: takeaways\n- One.\n  - Inner.\n:::\n"), 12, "nested list"),
    ("two-paragraph takeaway", canonical(takeaways="::: takeaways\n- One.\n\n  More.\n:::\n"), 12, "one '- ' line"),
]


@pytest.mark.parametrize(("text", "line", "expected"), [case[1:] for case in MALFORMED], ids=[c[0] for c in MALFORMED])
def test_malformed_file_names_its_line_and_what_was_expected(text, line, expected):
    """A malformed canonical file raises ModuleFormatError at the faulty line, saying what was expected."""
    with pytest.raises(ModuleFormatError) as raised:
        parse_canonical(text)
    assert raised.value.line == line
    assert expected in raised.value.message
    assert str(raised.value) == f"<module>:{line}: {raised.value.message}"


def test_unicode_line_separators_inside_text_are_not_line_breaks():
    """U+2028, form feed and NEL are characters in Markdown, not line breaks: the file still parses."""
    document = parse_canonical(canonical(body="Opening\u2028still the opening.\x0c\x85\n\n## A heading\n\nText.\n"))
    assert "still the opening." in document.body


def test_lesson_text_gets_typographic_quotes_but_code_keeps_its_own():
    """'Straight' quotes in lesson text print as ‘curly’ ones, as the pull quote's are; code is left alone."""
    assert render_markdown("A position: 'I need 20%.' You're \"sure\"?") == (
        "<p>A position: ‘I need 20%.’ You’re “sure”?</p>\n"
    )
    assert render_markdown("Type `'x'`.") == "<p>Type <code>'x'</code>.</p>\n"
    assert render_markdown("(c) -- ...") == "<p>(c) -- ...</p>\n"  # no other replacement
