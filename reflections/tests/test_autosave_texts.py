import json
from pathlib import Path

from django.conf import settings

from reflections.templatetags import autosave

SCRIPT = Path(settings.BASE_DIR, "static", "js", "autosave.js").read_text()


def test_every_text_the_script_shows_can_be_translated():
    """Each t("...") in the script is in the translatable list, and every listed text is used."""
    import re

    used = {json.loads(f'"{text}"') for text in re.findall(r'\bt\("((?:[^"\\]|\\.)*)"', SCRIPT)}
    assert used == set(autosave.AUTOSAVE_TEXTS)


def test_no_data_block_in_english():
    """In English the page carries no translations at all."""
    assert autosave.autosave_messages() == ""


def test_translations_are_handed_to_the_script_safely(monkeypatch):
    """Another language's texts arrive as an inert JSON block with '<' escaped."""
    monkeypatch.setattr(autosave, "gettext", lambda text: f"<{text.upper()}>")
    block = autosave.autosave_messages()
    assert block.startswith('<script id="autosave-messages" type="application/json">')
    assert "<SAVING" not in block and "\\u003CSAVING" in block
