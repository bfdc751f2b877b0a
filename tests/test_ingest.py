import datetime as dt
from pathlib import Path

from kg.errors import InputError
from kg.ingest import read_paths
from kg.ingest.text import split_front_matter

from conftest import DATA


def _read(*paths):
    items = list(read_paths(paths))
    return [i for i in items if not isinstance(i, InputError)], [str(i) for i in items if isinstance(i, InputError)]


def test_ingest_front_matter_lenient_values():
    meta, body = split_front_matter('---\ntitle: War: a view\npublisher: "The \\"Post\\""\n'
                                    "url: 'https://x.example/a'\npublished: 2024-10-18T08:00:00Z\n"
                                    "tags: ignored\n---\nBody text.", Path("a.md"))
    assert meta == {"title": "War: a view", "publisher": 'The "Post"', "url": "https://x.example/a",
                    "published": dt.date(2024, 10, 18)}
    assert body == "Body text."


def test_ingest_text_without_front_matter_keeps_whole_text(tmp_path):
    (tmp_path / "a.txt").write_text("Just text.\nSecond line.", encoding="utf-8")
    [article], errors = _read(tmp_path / "a.txt")
    assert errors == [] and article.text == "Just text.\nSecond line." and article.published is None


def test_ingest_md_jsonl_html(good_dir):
    articles, errors = _read(good_dir)
    assert errors == []
    by_id = {a.id: a for a in articles}
    assert set(by_id) == {"meeting", "wire-1", "wire-2", "page"}
    assert by_id["meeting"].title == "Seoul: leaders meet" and by_id["meeting"].publisher == "Daily Planet"
    assert by_id["wire-1"].published == dt.date(2024, 11, 2)
    page = by_id["page"]
    assert page.publisher == "Daily Planet" and page.published == dt.date(2024, 11, 4)
    assert "arrived in the Kursk region" in page.text
    assert "Subscribe" not in page.text and "Sport" not in page.text


def test_ingest_bad_inputs_each_get_one_clear_error():
    articles, errors = _read(DATA / "bad")
    text = "\n".join(errors)
    assert "empty.txt: empty file" in text
    assert "binary.txt: binary file" in text
    assert "latin1.txt:1: not UTF-8 text" in text
    assert "unclosed.md:1: front matter opened with '---' on line 1 is never closed" in text
    assert "baddate.md:3: published date '18/10/2024' is not an ISO date" in text
    assert "lines.jsonl:2: not valid JSON" in text
    assert "lines.jsonl:3: article has no 'text'" in text
    assert "notes.docx: unknown extension '.docx'" in text
    assert len(errors) == 8
    assert [a.id for a in articles] == ["ok-1"]      # the good line of the JSONL file still counts


def test_ingest_empty_folder_and_missing_path(tmp_path):
    (tmp_path / "empty").mkdir()
    _, errors = _read(tmp_path / "empty", tmp_path / "nope.txt")
    assert errors[0].endswith("empty: folder holds no articles (.txt, .md, .jsonl, .html)")
    assert errors[1].endswith("nope.txt: no such file or folder")


def test_ingest_crlf_becomes_lf(tmp_path):
    (tmp_path / "w.txt").write_bytes(b"---\r\ntitle: T\r\n---\r\nLine one.\r\nLine two.")
    [a], _ = _read(tmp_path / "w.txt")
    assert a.title == "T" and a.text == "Line one.\nLine two."
