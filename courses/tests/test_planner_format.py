"""The '::: planner' block of the canonical form: its title, intro and declared fields, and malformed planners."""

import pytest

from courses.formats import ActivityDocument, ModuleFormatError, dump_canonical, parse_canonical, parse_text
from courses.models import Activity
from testing.factories import CONTENT_DIR, import_modules

CONTENT_ONE = CONTENT_DIR / "01-what-negotiation-actually-is.md"
PLANNER = """::: planner next-talk
## Plan your next talk

Before the call, *write it down*.

- counterpart: Who is across the table?
- opening: Your opening line
:::
"""


def canonical(planner: str = PLANNER, second: str = "") -> str:
    """A module with a planner before its reflection. With the default planner, line by line:

    12 ::: takeaways   16 ::: planner next-talk      20                            24
    13 - One.          17 ## Plan your next talk     21 - counterpart: ...         25 ::: reflection
    14 :::             18                            22 - opening: ...
    15                 19 Before the call, ...       23 :::
    """
    return (
        "---\nnumber: 7\ntitle: Listening\n---\n\nOpening.\n\n## A heading\n\nText.\n\n"
        f"::: takeaways\n- One.\n:::\n\n{planner}\n{second}"
        "::: reflection\nWrite.\n:::\n\n::: outcome\nYou listen.\n:::\n"
    )


def test_planner_block_is_an_activity_with_its_intro_and_fields():
    """The id names the planner; the intro (with its title) is its text; the last list declares its fields."""
    document = parse_canonical(canonical())
    planner = document.of_kind("planner")
    assert planner == [
        ActivityDocument(
            kind="planner",
            key="next-talk",
            text="## Plan your next talk\n\nBefore the call, *write it down*.",
            items=[
                {"id": "counterpart", "label": "Who is across the table?"},
                {"id": "opening", "label": "Your opening line"},
            ],
        )
    ]
    assert [a.kind for a in document.activities] == ["lesson", "takeaways", "planner", "reflection"]


def test_planners_without_ids_are_keyed_by_order():
    """'planner', 'planner-2', ... like reflections; a title alone is a whole intro."""
    plain = "::: planner\n## First\n\n- a: A\n:::\n"
    document = parse_canonical(canonical(plain, second=plain.replace("First", "Second") + "\n"))
    assert [(a.key, a.text) for a in document.of_kind("planner")] == [
        ("planner", "## First"),
        ("planner-2", "## Second"),
    ]


def test_field_labels_spanning_lines_are_joined():
    """A label continued on the next line is one label."""
    planner = PLANNER.replace("- opening: Your opening line", "- opening: Your opening\n  line, in full")
    assert parse_canonical(canonical(planner)).of_kind("planner")[0].items[1]["label"] == "Your opening line, in full"


def test_planner_round_trips_through_dump():
    """parse -> dump -> parse gives an equal document, and dumping again the same text."""
    document = parse_canonical(canonical())
    text = dump_canonical(document)
    assert "::: planner next-talk\n## Plan your next talk\n\nBefore the call, *write it down*.\n\n" in text
    assert "- counterpart: Who is across the table?\n- opening: Your opening line\n:::\n" in text
    assert parse_canonical(text) == document
    assert dump_canonical(parse_canonical(text)) == text


def test_module_one_offers_plan_your_next_negotiation():
    """content/'s Module 1 has the planner after its reflection, with its five fields."""
    document = parse_text(CONTENT_ONE.read_text(encoding="utf-8"))
    assert [a.kind for a in document.activities][-2:] == ["reflection", "planner"]
    planner = document.of_kind("planner")[0]
    assert planner.key == "next-negotiation"
    assert planner.text.startswith("## Plan your next negotiation\n\n")
    assert [item["id"] for item in planner.items] == ["counterpart", "positions", "interests", "options", "opening"]


@pytest.mark.django_db
def test_import_stores_the_fields_and_the_rendered_intro():
    """The importer keeps the fields as JSON and renders the intro once, like any activity."""
    import_modules()
    planner = Activity.objects.get(kind="planner")
    assert planner.items[0] == {"id": "counterpart", "label": "Who is across the table, and what do they answer for?"}
    assert planner.text_html.startswith('<h2 id="section-plan-your-next-negotiation">Plan your next negotiation</h2>')


P = PLANNER.replace  # a variation of the default planner
FIELD = "expected a field as 'field-id: Label'"
MALFORMED = [
    ("bad planner id", P("next-talk", "Next_Talk"), 16, "expected a planner id of lowercase letters"),
    ("no title", P("## Plan your next talk\n\n", ""), 17, "open with its title, a '## Title' line"),
    ("title as level 1", P("## Plan", "# Plan"), 17, "open with its title, a '## Title' line"),
    ("no fields", "::: planner next-talk\n## Plan\n\nJust text.\n:::\n", 16, "expected the planner's fields as a"),
    ("fields not last", P("line\n:::", "line\n\nAfter.\n:::"), 16, "'- field-id: Label' list at the end"),
    ("numbered fields", P("- counterpart", "1. counterpart").replace("- opening", "2. opening"), 16, "list at the end"),
    ("field without label", P("- opening: Your opening line", "- opening"), 22, f"{FIELD}, found 'opening'"),
    ("field with empty label", P("Your opening line", ""), 22, FIELD),
    ("bad field id", P("- opening:", "- Opening Line:"), 22, FIELD),
    ("capital field id", P("- opening:", "- Opening:"), 22, "expected a field id of lowercase letters, digits and '-'"),
    ("reserved field id", P("- opening:", "- history:"), 22, "(not content, history, main, top), found 'history'"),
    ("duplicate field id", P("- opening:", "- counterpart:"), 22, "'counterpart' is also used on line 21"),
    ("nested field", P("line\n:::", "line\n  - inner: Inner\n:::"), 23, "expected one level of '- ' fields"),
    ("two-paragraph field", P("line\n:::", "line\n\n  More.\n:::"), 22, "each field to be one '- field-id: Label'"),
    ("unclosed planner", PLANNER.removesuffix(":::\n"), 16, "expected ':::' to close the '::: planner' block"),
    ("id used by the reflection", P("next-talk", "reflection"), 25, "expected each reflection and planner id once"),
]  # fmt: skip


@pytest.mark.parametrize(("planner", "line", "expected"), [c[1:] for c in MALFORMED], ids=[c[0] for c in MALFORMED])
def test_malformed_planner_names_its_line_and_what_was_expected(planner, line, expected):
    """A malformed planner block raises ModuleFormatError at the faulty line, saying what was expected."""
    with pytest.raises(ModuleFormatError) as raised:
        parse_canonical(canonical(planner))
    assert expected in raised.value.message, raised.value.message
    assert raised.value.line == line


def test_too_many_fields_are_refused():
    """More than 20 fields is more than a worksheet."""
    fields = "\n".join(f"- f{n}: Field {n}" for n in range(21))
    with pytest.raises(ModuleFormatError, match="at most 20 fields"):
        parse_canonical(canonical(f"::: planner\n## Many\n\n{fields}\n:::\n"))
