"""``.jsonl`` files: one article per line, a JSON object with ``text`` (required) and
optionally ``id``, ``title``, ``url``, ``publisher``, ``published``, ``language``."""
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
    except InputError as exc:
        yield exc
        return
    for number, line in enumerate(raw.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(f"not valid JSON ({exc.msg} at column {exc.colno})", path=path, line=number)
            continue
        if not isinstance(obj, dict):
            yield InputError("line is not a JSON object", path=path, line=number)
            continue
        text = obj.get("text")
        if not isinstance(text, str) or not text.strip():
            yield InputError("article has no 'text' (a non-empty string is required)", path=path, line=number)
            continue
        meta: dict = {}
        try:
            for key in FIELDS:
                value = obj.get(key)
                if value in (None, ""):
                    continue
                meta[key] = parse_date(str(value), path, number) if key == "published" else str(value)
        except InputError as exc:
            yield exc
            continue
        ident = str(obj["id"]) if obj.get("id") not in (None, "") else f"{path.stem}-{number}"
        yield Article(id=article_id(ident), text=text.replace("\r\n", "\n"), source=f"{path}:{number}", **meta)
