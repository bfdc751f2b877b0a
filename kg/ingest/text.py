"""``.txt`` and ``.md`` articles with optional front matter between two ``---`` lines."""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from kg.errors import InputError
from kg.ingest.common import FIELDS, article_id, decode, parse_date
from kg.model import Article


def read(path: Path, data: bytes) -> Iterator[Article | InputError]:
    try:
        raw = decode(path, data)
        meta, body = split_front_matter(raw, path)
    except InputError as exc:
        yield exc
        return
    if not body.strip():
        yield InputError("article has front matter but no text", path=path)
        return
    yield Article(id=article_id(path.stem), text=body, source=str(path), **meta)


def split_front_matter(raw: str, path: Path) -> tuple[dict, str]:
    """(metadata, body). Values are the rest of the line after the first colon, unquoted.

    Example:
        >>> meta, body = split_front_matter("---\\ntitle: A: B\\npublished: '2024-10-18'\\n---\\nText", Path("a.md"))
        >>> meta["title"], meta["published"], body
        ('A: B', datetime.date(2024, 10, 18), 'Text')
    """
    lines = raw.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, raw
    try:
        close = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise InputError("front matter opened with '---' on line 1 is never closed",
                         path=path, line=1, hint="add a line '---' after the last key: value line") from None
    meta: dict = {}
    for number, line in enumerate(lines[1:close], start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, colon, value = line.partition(":")
        key = key.strip().lower()
        if not colon or not key or " " in key:
            raise InputError(f"front matter line is not 'key: value': {line.strip()!r}", path=path, line=number)
        if key not in FIELDS:
            continue            # other keys (tags, author...) are allowed and ignored
        value = _unquote(value.strip())
        if key == "published":
            meta[key] = parse_date(value, path, number)
        elif value:
            meta[key] = value
    body = "\n".join(lines[close + 1:])
    return meta, body


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        try:
            return str(json.loads(value))     # YAML double quotes escape like JSON
        except ValueError:
            return value[1:-1]
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].replace("''", "'")
    return value
