"""The history page's versions: a page at a time, each numbered, with what changed since the one before."""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.core.paginator import Page, Paginator
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import Reflection, ReflectionVersion

VERSIONS_PER_PAGE = 20
_TOKENS = re.compile(r"\s+|[^\s]+")
_KEPT_AROUND_CHANGES = 12  # unchanged words shown either side of a change; longer runs are elided


@dataclass(frozen=True)
class VersionEntry:
    version: ReflectionVersion
    number: int  # 1 for the first sitting: a label no restore can repeat
    is_current: bool
    changes: SafeString | None  # None for the first version: there is nothing before it


def history_page(reflection: Reflection | None, page_number: str | None) -> tuple[Page, list[VersionEntry]]:
    """One page of the reflection's versions, newest first (three queries: count, versions, none for diffs)."""
    versions = reflection.versions.all() if reflection else ReflectionVersion.objects.none()
    page = Paginator(versions, VERSIONS_PER_PAGE).get_page(page_number)
    total = page.paginator.count
    offset = max(page.start_index() - 1, 0)
    rows = list(versions[offset : offset + VERSIONS_PER_PAGE + 1])  # one more: the version the last one changed
    entries = []
    for index, version in enumerate(rows[:VERSIONS_PER_PAGE]):
        before = rows[index + 1] if index + 1 < len(rows) else None
        number = total - offset - index
        changes = text_changes(before.text, version.text) if before else None
        entries.append(VersionEntry(version, number, is_current=number == total, changes=changes))
    return page, entries


def text_changes(before: str, after: str) -> SafeString:
    """``after`` compared word by word with ``before``: removed words in <del>, added ones in <ins>,
    long unchanged stretches shortened to their ends. Every piece of the learner's text is escaped."""
    parts = []
    for old, new, changed in _chunks(_TOKENS.findall(before), _TOKENS.findall(after)):
        if not changed:
            parts.append(_unchanged(_TOKENS.findall(new)))
            continue
        if old:
            parts.append(f"<del>{escape(old)}</del>")
        if new:
            parts.append(f"<ins>{escape(new)}</ins>")
    return mark_safe("".join(parts))  # noqa: S308 -- every piece of text above is escaped


def _chunks(old: list[str], new: list[str]) -> list[list]:
    """[old text, new text, changed] runs; the spaces between two changed words join the change,
    so a reworded phrase reads as one deletion and one insertion."""
    chunks: list[list] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new).get_opcodes():
        old_text, new_text = "".join(old[i1:i2]), "".join(new[j1:j2])
        after_change = bool(chunks) and chunks[-1][2]
        changed = tag != "equal" or (after_change and not old_text.strip())
        if changed and after_change:
            chunks[-1][0] += old_text
            chunks[-1][1] += new_text
        else:
            chunks.append([old_text, new_text, changed])
    return chunks


def _unchanged(tokens: list[str]) -> str:
    keep = 2 * _KEPT_AROUND_CHANGES
    if len(tokens) <= 2 * keep + 1:
        return escape("".join(tokens))
    return f"{escape(''.join(tokens[:keep]))} … {escape(''.join(tokens[-keep:]))}"
