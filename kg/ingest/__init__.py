"""Reading articles from files and folders.

``read_paths`` yields an ``Article`` per article and an ``InputError`` per file (or JSONL
line) that cannot be read, so that one bad file never stops the others.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from kg.errors import InputError
from kg.ingest import html, jsonl, text
from kg.ingest.common import article_id, decode  # noqa: F401  (part of the package's API)
from kg.model import Article

Reader = Callable[[Path, bytes], Iterable["Article | InputError"]]

READERS: dict[str, Reader] = {
    ".txt": text.read,
    ".md": text.read,
    ".jsonl": jsonl.read,
    ".html": html.read,
    ".htm": html.read,
}


DEFAULT_MAX_BYTES = 4_000_000


def read_paths(paths: Iterable[str | Path], max_bytes: int = DEFAULT_MAX_BYTES,
               skip: Callable[[Path], bool] = lambda path: False) -> Iterator[Article | InputError]:
    """Articles from files and folders (folders are walked recursively, in name order).

    Hidden files (``.DS_Store``...) and files ``skip`` names (the store being built, when it lies
    in the articles' folder) are skipped; any other file kg cannot read is reported, and so is an
    article of more than ``max_bytes`` bytes (UTF-8).
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and not skip(p)
                           and not any(part.startswith(".") for part in p.relative_to(path).parts))
            if not files:
                yield InputError("folder holds no articles (.txt, .md, .jsonl, .html)", path=path)
            for f in files:
                yield from read_file(f, max_bytes)
        elif path.is_file():
            yield from read_file(path, max_bytes)
        else:
            yield InputError("no such file or folder", path=path)


def read_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Article | InputError]:
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        known = ", ".join(sorted(READERS))
        yield InputError(f"unknown extension {path.suffix or '(none)'!r}; kg reads {known}", path=path)
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield InputError(f"cannot read file: {exc.strerror}", path=path)
        return
    if not data.strip():
        yield InputError("empty file", path=path)
        return
    if b"\x00" in data[:8192]:
        yield InputError("binary file, not text", path=path, hint="kg reads UTF-8 text, JSONL and HTML")
        return
    if reader is not jsonl.read and len(data) > max_bytes:
        yield _too_large(path.name, len(data), max_bytes, path)
        return
    for item in reader(path, data):
        if isinstance(item, Article) and len(item.text) > max_bytes and len(item.text.encode("utf-8")) > max_bytes:
            yield _too_large(item.source, len(item.text.encode("utf-8")), max_bytes, path)
        else:
            yield item


def _too_large(what: str, size: int, limit: int, path: Path) -> InputError:
    return InputError(f"{what}: the article is {size / 1e6:.1f} MB, over the limit of {limit / 1e6:.1f} MB "
                      f"for one article; it is skipped", path=path,
                      hint="raise the limit with --max-article-size MB if it really is one article")
