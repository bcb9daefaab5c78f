"""Quotes and lists nested too deeply for the renderer are refused naming their line; within the
limit every word renders. (markdown-it drops what lies past its nesting limit without a word.)"""

import pytest

from courses.formats import ModuleFormatError, parse_canonical, parse_text
from courses.formats.nesting import MAX_NESTING
from courses.formats.twee import parse_twee
from courses.rendering import render_markdown
from testing.factories import SMALL_SCENARIO, module_text

from .test_canonical import canonical, text_of

EXPECTED = f"expected at most {MAX_NESTING} levels of nesting"


def quote(depth: int, text: str = "deep words") -> str:
    return "> " * depth + text


def listed(depth: int) -> str:
    return "\n".join("  " * level + f"- level {level + 1}" for level in range(depth))


def refusal(text: str) -> ModuleFormatError:
    with pytest.raises(ModuleFormatError) as caught:
        parse_canonical(text)
    return caught.value


def test_a_quote_nested_25_deep_is_refused_at_its_line():
    """Text 25 quotes deep is not dropped silently: the import names the line (8: the body's third line)."""
    error = refusal(canonical(body=f"Opening.\n\n{quote(25)}\n"))
    assert (error.line, EXPECTED in error.message) == (8, True), str(error)


def test_a_list_nested_10_deep_is_refused_at_the_level_too_deep():
    """Not 'expected a ::: takeaways block' at the last line: the line of the first level too deep."""
    error = refusal(canonical(body=f"Opening.\n\n{listed(10)}\n"))
    assert (error.line, EXPECTED in error.message) == (8 + MAX_NESTING, True), str(error)
    assert f"found {MAX_NESTING + 1}" in error.message


def test_nesting_inside_a_block_is_refused_too():
    error = refusal(canonical(reflection=f"::: reflection listening\nWrite.\n\n{quote(30)}\n:::\n"))
    assert (error.line, EXPECTED in error.message) == (20, True), str(error)


@pytest.mark.parametrize("part", [quote(MAX_NESTING), listed(MAX_NESTING)], ids=["quote", "list"])
def test_nesting_at_the_limit_renders_every_word(part):
    """At the limit, in the lesson and in a prompt, nothing is lost on the way to the page."""
    document = parse_canonical(
        canonical(body=f"Opening.\n\n{part}\n\nAfter.\n", reflection=f"::: reflection listening\n{part}\n:::\n")
    )
    for markdown in (document.body, document.reflections[0].text):
        shown = text_of(render_markdown(markdown))
        assert "deep words" in shown or f"level {MAX_NESTING}" in shown
    assert "After." in text_of(render_markdown(document.body))


def test_plain_text_shows_quote_marks_literally_however_many():
    """The plain-text form shows every character as written, so 25 '>' are text, not quotes."""
    document = parse_text(module_text(body="Opening paragraph.\n" + quote(25)))
    assert quote(25) in text_of(render_markdown(document.body))


def test_a_twee_passage_nested_too_deep_is_refused_at_its_line():
    text = SMALL_SCENARIO.read_text().replace("Neither side moves.", quote(25), 1)
    with pytest.raises(ModuleFormatError) as caught:
        parse_twee(text)
    assert (caught.value.line, EXPECTED in caught.value.message) == (29, True), str(caught.value)
