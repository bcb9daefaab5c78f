"""YAML mappings in module front matter and course files, with errors that name the line."""

import re

import yaml

from .document import ModuleFormatError, split_lines


def load_yaml_mapping(content: str, *, first_line: int, what: str) -> dict:
    """``content`` parsed as a YAML mapping; ``first_line`` is its first line's number in the file."""
    try:
        meta = yaml.safe_load(content) or {}
    except ValueError as error:  # e.g. an integer of thousands of digits
        raise ModuleFormatError(f"expected valid YAML {what}: {error}", line=first_line) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + first_line if mark else first_line
        raise ModuleFormatError(f"expected valid YAML {what}: {getattr(error, 'problem', error)}", line=line) from None
    if not isinstance(meta, dict):
        raise ModuleFormatError(f"expected 'key: value' lines in the {what}", line=first_line)
    return meta


def key_lines(content: str, *, first_line: int, what: str) -> dict[str, int]:
    """Line number (in the file) of each top-level key; a key given twice is an error."""
    keys: dict[str, int] = {}
    for offset, line in enumerate(split_lines(content)):
        if match := re.match(r"^([A-Za-z_][\w-]*)\s*:", line):
            if match.group(1) in keys:
                raise ModuleFormatError(f"{what} key {match.group(1)!r} is given twice", line=offset + first_line)
            keys[match.group(1)] = offset + first_line
    return keys
