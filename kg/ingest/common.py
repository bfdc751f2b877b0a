"""What every reader shares: decoding bytes as UTF-8 text, article ids, front-matter fields."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from kg.errors import InputError

FIELDS = ("title", "url", "publisher", "published", "language")


def decode(path: Path, data: bytes) -> str:
    """UTF-8 text with Windows line endings made Unix ones (offsets count characters of this)."""
    try:
        text_ = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"not UTF-8 text (byte 0x{data[exc.start]:02x})", path=path, line=line,
                         hint="re-save the file as UTF-8") from None
    return text_.replace("\r\n", "\n").replace("\r", "\n")


def article_id(stem: str) -> str:
    """A URL-safe id from a file stem or JSONL id.

    Example:
        >>> article_id("Seoul Report (2).txt")
        'seoul-report-2-txt'
    """
    slug = re.sub(r"[^a-z0-9_]+", "-", stem.lower()).strip("-")
    return slug or "article"


def parse_date(value: str, path: Path, line: int) -> dt.date | None:
    """An ISO date ("2024-10-18", or a timestamp that starts with one); empty gives None."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        raise InputError(f"published date {value!r} is not an ISO date", path=path, line=line,
                         hint="write it as YYYY-MM-DD, e.g. 2024-10-18") from None
