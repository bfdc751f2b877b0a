"""Shared fixtures (one conftest for the whole suite)."""
from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from kg.pipeline import build
from kg.config import Settings
from kg.extract import Extractor
from kg.lexicon import load
from kg.model import Article
from kg.resources import data_dir

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def lexicons():
    return load(data_dir("lexicons"))


@pytest.fixture(scope="session")
def extractor(lexicons):
    return Extractor(lexicons)


@pytest.fixture
def read(extractor):
    """Extract from one hand-written article (published on Friday 18 October 2024 unless told)."""
    def _read(text: str, published: dt.date | None = dt.date(2024, 10, 18)):
        return extractor.run(Article("t", text, "t.txt", published=published))
    return _read


@pytest.fixture(scope="session")
def seeds_store(tmp_path_factory) -> Path:
    """The seeds, built once for the session (tests must not write to it)."""
    store = tmp_path_factory.mktemp("seeds") / "store"
    report = build([SEEDS], Settings(store=store))
    assert report.ok, report.failures + [report.validation_text]
    return store


@pytest.fixture
def good_dir(tmp_path) -> Path:
    target = tmp_path / "good"
    shutil.copytree(DATA / "good", target)
    return target


def free_port() -> int:
    """A port free on 127.0.0.1 now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running(app):
    """A real uvicorn server for ``app`` on a free port of 127.0.0.1: its base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def live(seeds_store):
    """A real uvicorn server over the seeds, on a free port of 127.0.0.1."""
    from kg.server import create_app

    with running(create_app(Settings(store=seeds_store), timeout=3.0, workers=2)) as url:
        yield url
