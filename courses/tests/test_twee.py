"""Scenarios in Twee 3: what the parser reads, and what it refuses, naming the line."""

import pytest

from courses.formats import ModuleFormatError
from courses.formats.twee import dump_twee, parse_twee
from testing.factories import SMALL_SCENARIO

SMALL = SMALL_SCENARIO.read_text()


def _error(text: str) -> ModuleFormatError:
    with pytest.raises(ModuleFormatError) as caught:
        parse_twee(text)
    return caught.value


def test_reads_title_data_passages_tags_and_the_four_link_forms():
    scenario = parse_twee(SMALL)
    assert (scenario.title, scenario.key, scenario.start, scenario.module) == (
        "The discount request", "the-discount-request", "Monday call", 1,
    )  # fmt: skip
    first = scenario.passage("Monday call")
    assert [(link.text, link.target) for link in first.links] == [
        ("I can do 10%.", "Split the difference"),
        ("Tell me about the budget pressure you're navigating.", "Budget pressure"),
        ("Hold firm", "Stalemate"),
    ]
    assert [(link.text, link.target) for link in scenario.passage("Budget pressure").links][1] == (
        "Stalemate",
        "Stalemate",
    )
    assert first.text == 'Dana, the buyer, opens: "I need a 20% discount."'  # the choices are not part of the text
    assert scenario.passage("Phased").tags == ["ending", "best"]
    assert scenario.items()[0]["name"] == "Monday call"  # the start is stored first


def test_links_inside_a_sentence_keep_their_words_in_the_text():
    text = SMALL.replace(
        "Dana explains the budget cycle", "Dana explains [[the cycle->Stalemate]] and the budget cycle"
    )
    passage = parse_twee(text).passage("Budget pressure")
    assert passage.text.startswith("Dana explains the cycle and the budget cycle")
    assert [link.target for link in passage.links] == ["Stalemate", "Phased", "Stalemate"]


def test_escaped_names_and_a_start_passage_by_default():
    text = (
        ':: StoryTitle\nEscapes\n\n:: StoryData\n{"ifid": "7A4A1F25-41C4-4B9B-9C8B-0D6A3B8E2F10", "module": 2}\n\n'
        ":: Start [a\\]b]\nGo [[on->A {draft}]]\n\n:: A \\{draft\\} [ending best]\nDone.\n"
    )
    scenario = parse_twee(text)
    assert scenario.start == "Start"
    assert scenario.passage("Start").tags == ["a]b"]
    assert scenario.passage("A {draft}").links == []


LOOP = [
    ("[[Hold firm|Stalemate]]", "[[Hold firm|Stalemate]]\n[[Phased]]"),
    ("[[Offer a phased engagement->Phased]]\n[[Stalemate]]", "[[Go round->Loop]]"),
    ("Dana agrees to a phased start at full price.", "Dana agrees.\n\n:: Loop\n[[Budget pressure]]"),
]


@pytest.mark.parametrize(
    ("changes", "line", "expected"),
    [
        ([("[[Stalemate]]", "[[Nowhere]]")], 26, "expected a passage named 'Nowhere'"),
        ([(":: Phased [ending best]", ":: Phased [ending best]\nDone.\n\n:: Orphan [ending]")], 34, "no path"),
        ([("[[Offer a phased engagement->Phased]]\n[[Stalemate]]", "")], 22, "dead end"),
        (LOOP, 23, "no ending can be reached from passage 'Budget pressure'"),
        ([('"start": "Monday call",', '"start": "Tuesday call",')], 8, "no passage 'Tuesday call'"),
        ([('  "start": "Monday call",\n', "")], 4, "naming the first passage"),
        ([(":: Stalemate [ending]", ":: Monday call [ending]")], 28, "is also the passage on line 12"),
        ([('"module": 1', '"module": "one"')], 9, "'module'"),
        ([('"format": "Harlowe",', '"format": "Harlowe"')], 8, "expected StoryData to be JSON"),
        ([("0D3E1C4B-3A1F-4C59-9D39-1B7A6F0E2C11", "not-an-ifid")], 6, "'ifid'"),
        ([(":: Stalemate [ending]", ":: Stalemate [ending")], 28, "expected ']'"),
        ([('{"position":"100,100","size":"100,100"}', '{"position":')], 12, "as a JSON object"),
        ([("Neither side moves.", "(set: $mood to 'cold')Neither side moves.")], 29, "Harlowe macro"),
        ([("Neither side moves.", "<<set $mood to 'cold'>>Neither side moves.")], 29, "SugarCube macro"),
        ([("Neither side moves.", "You feel $mood.")], 29, "story variable"),
        (
            [(":: Phased [ending best]", ":: Setup [script]\nwindow.x = 1;\n\n:: Phased [ending best]")],
            31,
            "is a script",
        ),
        ([(":: Phased [ending best]", ":: Phased [best]")], 31, "tagged 'best' but not 'ending'"),
        ([("Dana agrees to a phased start at full price.", "Dana agrees. [[Monday call]]")], 32, "is an ending"),
        ([(":: StoryTitle\nThe discount request\n", "")], 1, "StoryTitle"),
        ([(":: StoryTitle", "Some notes before the first passage.\n:: StoryTitle")], 1, "expected a passage header"),
    ],
)
def test_a_broken_scenario_is_refused_naming_the_line(changes, line, expected):
    text = SMALL
    for old, new in changes:
        assert old in text
        text = text.replace(old, new, 1)
    error = _error(text)
    assert error.line == line, str(error)
    assert expected in error.message, str(error)


def test_prose_that_looks_like_code_is_not_refused():
    text = SMALL.replace("Neither side moves.", "Neither side moves (note: nobody says $20 either).")
    assert "(note:" in parse_twee(text).passage("Stalemate").text


def test_written_back_it_reads_the_same():
    scenario = parse_twee(SMALL)
    again = parse_twee(
        dump_twee(
            title=scenario.title,
            ifid=scenario.ifid,
            start=scenario.start,
            module=1,
            course="",
            passages=scenario.items(),
        )
    )
    assert again.items() == scenario.items()
    assert (again.title, again.start, again.ifid) == (scenario.title, scenario.start, scenario.ifid)
