"""The customer's plain-text module form: the seed, modules 2 and 3, and every way a file can be wrong."""

import re

import pytest

from courses.formats import ModuleFormatError, parse_plaintext, parse_text
from courses.rendering import render_inline, render_markdown
from testing.factories import SEED, TEST_DATA, module_text

FURNITURE = "Saves automatically · come back to it whenever."
MODULE_TWO = TEST_DATA / "module-02-anchors-and-ranges.txt"
MODULE_THREE = TEST_DATA / "module-03-concessions.txt"


def headings(markdown: str) -> list[str]:
    return re.findall(r"^## (.+)$", markdown, flags=re.MULTILINE)


def parse_file(path):
    return parse_plaintext(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed():
    return parse_file(SEED)


def test_seed_header_and_title(seed):
    """Module 1's header gives its number and declared minutes, its title line the title and subtitle."""
    assert seed.number == 1
    assert seed.minutes == 13
    assert seed.estimated_minutes() == 13
    assert seed.title == "What Negotiation Actually Is"
    assert seed.subtitle == "Mutual Value Creation"
    assert seed.slug == "what-negotiation-actually-is"


def test_seed_quote_loses_its_curly_quotes(seed):
    """The pull quote is the text inside the curly quotes, without them."""
    assert seed.quote == (
        "Negotiation is not a battle. It is a collaboration with two people trying to solve the same problem."
    )


def test_seed_body_has_exactly_the_three_section_headings(seed):
    """The three short lines without end punctuation become the body's only section headings, in order."""
    assert headings(seed.body) == [
        "The combat model and why it fails",
        "The mutual-value creation model",
        "Setting the tone from the first moment",
    ]
    assert seed.body.startswith("The word negotiation triggers a set of mental images")
    assert seed.body.endswith("you have the opportunity to set the tone. Take it.")


def test_seed_takeaways_reflection_and_outcome(seed):
    """The three takeaways lose their '- '; the prompt and the outcome are the lines under their labels."""
    assert seed.takeaways == [
        "Negotiate at the interest level, not the position level — solve the real problem.",
        "The goal is not to win the negotiation — it is to build the foundation of a great relationship.",
        "The tone you set in the first exchange determines the entire negotiation.",
    ]
    assert seed.reflection_key == "reflection"
    assert seed.reflection_prompt.startswith("Think of a recent negotiation you were involved in — as buyer or seller.")
    assert seed.reflection_prompt.endswith("if both parties had negotiated at the interest level from the start.")
    assert seed.outcome == (
        "You approach negotiation as a mutual value-creation process rather than a combat, "
        "changing your entire presence and effectiveness in the room."
    )


def test_seed_page_furniture_is_nowhere_in_the_content(seed):
    """'Saves automatically · come back to it whenever.' is page furniture, not lesson content."""
    texts = [seed.title, seed.subtitle, seed.quote, seed.body, *seed.takeaways, seed.reflection_prompt, seed.outcome]
    assert FURNITURE in SEED.read_text(encoding="utf-8")
    assert not [text for text in texts if "Saves automatically" in text]


def test_seed_labels_are_not_content(seed):
    """The part labels structure the file; none of them ends up in the lesson text."""
    everything = "\n".join([seed.body, *seed.takeaways, seed.reflection_prompt, seed.outcome])
    for label in ("Hold on to these", "Reflection · write it down", "What you walk away with", "Module 1"):
        assert label not in everything


def test_seed_without_declared_minutes_is_estimated_at_the_authors_figure():
    """Calibration: Module 1 without '~13 min' is estimated at ceil(words / 100) + 5 = 13 minutes."""
    text = SEED.read_text(encoding="utf-8").replace("Module 1 · ~13 min", "Module 1", 1)
    document = parse_plaintext(text)
    assert document.minutes is None
    assert document.estimated_minutes() == 13


def test_module_two_has_two_sections_and_two_takeaways():
    """Module 2 parses with its declared 9 minutes, two section headings and two takeaways."""
    document = parse_file(MODULE_TWO)
    assert (document.number, document.minutes, document.estimated_minutes()) == (2, 9, 9)
    assert (document.title, document.subtitle) == ("Anchors & Ranges", "Where Numbers Start")
    assert document.slug == "anchors-ranges"
    assert headings(document.body) == ["Why anchors work", "Using ranges without games"]
    assert len(document.takeaways) == 2


def test_module_three_has_four_sections_five_takeaways_and_an_estimate():
    """Module 3 declares no minutes: 275 words give ceil(2.75) + 5 = 8 estimated minutes."""
    document = parse_file(MODULE_THREE)
    assert (document.number, document.title, document.subtitle) == (3, "Trading Concessions", "Give to Get")
    assert headings(document.body) == [
        "The if–then habit",
        "Sizing your moves",
        "Tracking what was traded",
        "When to stop",
    ]
    assert len(document.takeaways) == 5
    assert document.minutes is None
    assert document.word_count() == 275
    assert document.estimated_minutes() == 8


def test_module_three_reflection_has_no_furniture_line():
    """The furniture line is optional: module 3 has none and its prompt is just the prompt."""
    document = parse_file(MODULE_THREE)
    assert document.reflection_prompt.startswith("List the last three concessions you made")
    assert "Saves automatically" not in document.reflection_prompt


def test_module_two_renders_angle_brackets_and_ampersands_literally():
    """'<', '>' and '&' in module 2 come out as &lt; &gt; &amp; in the HTML, never as tags."""
    document = parse_file(MODULE_TWO)
    body = render_markdown(document.body)
    assert "between 40 &amp; 60 thousand" in body
    assert "the budget is &lt; 10k, ask what" in body
    takeaway = render_inline(document.takeaways[1])
    assert takeaway == "A range is a menu of value when each end has a reason &lt;not a bluff&gt;."
    assert "<not" not in takeaway
    assert render_inline(document.title) == "Anchors &amp; Ranges"


def test_module_three_renders_symbols_in_prompt_and_body_literally():
    """Module 3's 'A > B, cost < value, R&D' and 'a reason & an alternative' show as written."""
    document = parse_file(MODULE_THREE)
    assert "Use symbols freely: A &gt; B, cost &lt; value, R&amp;D.</p>" in render_markdown(document.reflection_prompt)
    assert "with a reason &amp; an alternative" in render_markdown(document.body)
    assert render_markdown(document.body).count("<h2") == 4


def test_module_text_factory_parses():
    """The factory's default module is valid, so each malformed case below differs from it by one fault."""
    document = parse_plaintext(module_text())
    assert (document.number, document.minutes, document.title) == (7, 5, "Listening")
    assert headings(document.body) == ["A heading"]
    assert document.takeaways == ["One.", "Two."]
    assert document.reflection_prompt == "Write about it."
    assert document.outcome == "You listen."


@pytest.mark.parametrize(
    ("header", "number", "minutes"),
    [
        ("Module 4", 4, None),
        ("Module 4 · ~9 min", 4, 9),
        ("Module 4 · 9 mins", 4, 9),
        ("module 4 · ~9 minutes", 4, 9),
        ("Module 12 · ~ 30 min.", 12, 30),
    ],
)
def test_header_forms(header, number, minutes):
    """The header's minutes are optional and its spelling forgiving."""
    document = parse_plaintext(module_text(header=header))
    assert (document.number, document.minutes) == (number, minutes)


def test_title_without_subtitle_and_no_quote():
    """A title line without ' · ' has no subtitle; a module without a curly-quoted line has no quote."""
    document = parse_plaintext(module_text(title="Listening", quote=""))
    assert (document.title, document.subtitle, document.quote) == ("Listening", "", "")
    assert document.body.startswith("Opening paragraph.")


def test_straight_quotes_also_mark_the_pull_quote():
    """A pull quote in straight double quotes is recognised like one in curly quotes."""
    document = parse_plaintext(module_text(quote='"Listen first."'))
    assert document.quote == "Listen first."


def test_blank_lines_byte_order_mark_and_windows_line_endings_do_not_matter():
    """Blank lines, a BOM and CRLF line endings give the same document as the plain file."""
    plain = module_text()
    messy = "\ufeff\r\n" + plain.replace("\n", "\r\n\r\n")
    assert parse_plaintext(messy) == parse_plaintext(plain)


def test_runs_of_whitespace_collapse_to_one_space():
    """Spaces and tabs inside a line collapse, as they would in the customer's word processor."""
    document = parse_plaintext(module_text(outcome="What you walk away with\nYou   listen\tcarefully."))
    assert document.outcome == "You listen carefully."


@pytest.mark.parametrize(
    "line",
    [
        "A line ending with a colon:",
        "Is this a question?",
        "A line that is much too long to be a heading because it has more than twelve words in it",
        "- looks like a bullet",
    ],
)
def test_lines_that_are_not_headings(line):
    """End punctuation, more than twelve words or a leading '- ' make a line a paragraph, not a heading."""
    document = parse_plaintext(module_text(body=f"Opening paragraph.\n{line}\nA heading\nA paragraph under it."))
    assert headings(document.body) == ["A heading"]


def test_parse_text_recognises_the_plain_text_form():
    """A file not starting with '---' is read as the plain-text form."""
    assert parse_text(module_text()) == parse_plaintext(module_text())


# The factory's default module, line by line (line 15 is the end of the file):
#  1 Module 7 · ~5 min                     8 - One.
#  2 Listening · Hearing What Is Meant     9 - Two.
#  3 “Listen for the interest ...”        10 Reflection · write it down
#  4 Opening paragraph.                   11 Write about it.
#  5 A heading                            12 Saves automatically · come back to it whenever.
#  6 A paragraph under it.                13 What you walk away with
#  7 Hold on to these                     14 You listen.
MALFORMED = [
    ("empty file", "", 1, "expected 'Module N · ~M min' but the file is empty"),
    ("only blank lines", "\n  \n\t\n", 1, "expected 'Module N · ~M min' but the file is empty"),
    ("bad header", module_text(header="Modul 7 · ~5 min"), 1, "expected 'Module N · ~M min' but found 'Modul 7"),
    ("header in words", module_text(header="Module seven"), 1, "expected 'Module N · ~M min'"),
    ("bad header after blank lines", "\n\n" + module_text(header="Lesson 7"), 3, "expected 'Module N · ~M min'"),
    ("module zero", module_text(header="Module 0 · ~5 min"), 1, "with N from 1 to"),
    ("module number too big", module_text(header="Module 1000000 · ~5 min"), 1, "with N from 1 to 999999"),
    ("module number of 5,000 digits", module_text(header="Module " + "9" * 5000), 1, "with N from 1 to"),
    ("minutes too many", module_text(header="Module 7 · ~40000 min"), 1, "M from 1 to 999"),
    ("title too long", module_text(title="T" * 201 + " · Sub"), 2, "at most 200 characters"),
    ("zero minutes", module_text(header="Module 7 · ~0 min"), 1, "with N from 1 to"),
    ("header only", "Module 7 · ~5 min\n", 2, "expected the title line 'Title · Subtitle'"),
    ("missing title", module_text(title=""), 2, "expected the title line 'Title · Subtitle' but found '“Listen"),
    (
        "label instead of title",
        module_text(title="", quote="", body=""),
        2,
        "expected the title line 'Title · Subtitle' but found 'Hold on to these'",
    ),
    ("no lesson text", module_text(quote="", body=""), 3, "expected the lesson text before 'Hold on to these'"),
    (
        "heading with no paragraph after it",
        module_text(body="Opening paragraph.\nA heading"),
        5,
        "expected a paragraph after the section heading 'A heading'",
    ),
    (
        "heading followed by a heading",
        module_text(body="Opening paragraph.\nA heading\nAnother heading\nText."),
        5,
        "expected a paragraph after the section heading 'A heading'",
    ),
    (
        "heading after blank lines",
        module_text(body="Opening paragraph.\n\n\nA heading"),
        7,
        "expected a paragraph after the section heading 'A heading'",
    ),
    (
        "missing 'Hold on to these' at the end of the file",
        module_text(takeaways="", reflection="", outcome=""),
        7,
        "expected a line 'Hold on to these' before the end of the file",
    ),
    (
        "missing 'Reflection · write it down' at the end of the file",
        module_text(reflection="", outcome=""),
        10,
        "expected a line 'Reflection · write it down' before the end of the file",
    ),
    (
        "missing 'What you walk away with' at the end of the file",
        module_text(outcome=""),
        13,
        "expected a line 'What you walk away with' before the end of the file",
    ),
    (
        "missing 'Hold on to these' before the reflection",
        module_text(takeaways=""),
        7,
        "expected 'Hold on to these' before 'Reflection · write it down'",
    ),
    (
        "missing 'Reflection · write it down' before the outcome",
        module_text(reflection=""),
        10,
        "expected 'Reflection · write it down' before 'What you walk away with'",
    ),
    (
        "reflection before takeaways",
        module_text(takeaways="Reflection · write it down\nWrite about it.", reflection="Hold on to these\n- One."),
        7,
        "expected 'Hold on to these' before 'Reflection · write it down'",
    ),
    (
        "outcome before reflection",
        module_text(reflection="What you walk away with\nYou listen.", outcome="Reflection · write it down\nWrite."),
        10,
        "expected 'Reflection · write it down' before 'What you walk away with'",
    ),
    (
        "a part repeated after the outcome",
        module_text(outcome="What you walk away with\nYou listen.\nHold on to these\n- Three."),
        15,
        "found 'Hold on to these' after 'What you walk away with'; each part may appear only once",
    ),
    (
        "takeaway without '- '",
        module_text(takeaways="Hold on to these\n- One.\nTwo."),
        9,
        "expected a takeaway line starting with '- ' but found 'Two.'",
    ),
    ("empty takeaways", module_text(takeaways="Hold on to these"), 8, "expected text after 'Hold on to these'"),
    (
        "empty reflection",
        module_text(reflection="Reflection · write it down"),
        11,
        "expected text after 'Reflection · write it down'",
    ),
    (
        "reflection of only the furniture line",
        module_text(reflection=f"Reflection · write it down\n{FURNITURE}"),
        11,
        "expected text after 'Reflection · write it down'",
    ),
    (
        "empty outcome at the end of the file",
        module_text(outcome="What you walk away with"),
        14,
        "expected text after 'What you walk away with'",
    ),
    (
        "furniture line in the body",
        module_text(body=f"Opening paragraph.\n{FURNITURE}\nA heading\nA paragraph under it."),
        5,
        "belongs right after the reflection prompt",
    ),
    (
        "furniture line among the takeaways",
        module_text(takeaways=f"Hold on to these\n- One.\n{FURNITURE}"),
        9,
        "belongs right after the reflection prompt",
    ),
    (
        "furniture line after the outcome",
        module_text(outcome=f"What you walk away with\nYou listen.\n{FURNITURE}"),
        15,
        "belongs right after the reflection prompt",
    ),
]


@pytest.mark.parametrize(("text", "line", "expected"), [case[1:] for case in MALFORMED], ids=[c[0] for c in MALFORMED])
def test_malformed_file_names_its_line_and_what_was_expected(text, line, expected):
    """A malformed file raises ModuleFormatError at the line where the fault is, saying what was expected."""
    with pytest.raises(ModuleFormatError) as raised:
        parse_plaintext(text)
    assert raised.value.line == line
    assert expected in raised.value.message
    assert str(raised.value) == f"<module>:{line}: {raised.value.message}"
