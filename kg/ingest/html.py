"""``.html`` pages: the main text and metadata, taken out by trafilatura.

trafilatura is kept up against real news sites (boilerplate, menus, comments, JSON-LD and
OpenGraph metadata); hand-written tag stripping keeps every menu and cookie banner.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from kg.errors import InputError
from kg.ingest.common import article_id, decode
from kg.model import Article


def read(path: Path, data: bytes) -> Iterator[Article | InputError]:
    try:
        page = decode(path, data)
    except InputError as exc:
        yield exc
        return
    try:
        import trafilatura   # imported here: it is slow to import and only HTML needs it
    except ImportError as exc:
        yield InputError(f"cannot read HTML: its reader, trafilatura, failed to import ({exc})", path=path,
                         hint="reinstall kg (pip install --force-reinstall kg) so that trafilatura and "
                              "lxml_html_clean are installed; the other files are built")
        return

    extracted = trafilatura.bare_extraction(page, with_metadata=True, include_comments=False,
                                            favor_precision=True)
    doc = extracted.as_dict() if hasattr(extracted, "as_dict") else dict(extracted or {})
    text = doc.get("text") or ""
    if not text.strip():
        yield InputError("no article text found in the page", path=path,
                         hint="is this an article page? kg takes the main text of the page")
        return
    published = None
    if doc.get("date"):
        try:
            published = dt.date.fromisoformat(str(doc["date"])[:10])
        except ValueError:
            published = None
    yield Article(
        id=article_id(path.stem),
        text=text,
        source=str(path),
        title=doc.get("title") or None,
        url=doc.get("url") or None,
        publisher=doc.get("sitename") or None,
        published=published,
        language=doc.get("language") or None,
    )
