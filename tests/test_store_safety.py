"""kg never destroys what it did not make: a --store path holding a file or another folder is
refused before any work, and no lock file or half-written copy outlives a build, however it ends."""
import shutil
import signal
import subprocess
import sys
import time

from click.testing import CliRunner

from conftest import DATA, SEEDS
from kg.cli import main


def _build(*args):
    return CliRunner().invoke(main, ["build", str(SEEDS), *args])


def test_a_file_given_as_the_store_is_refused_and_kept(tmp_path):
    target = tmp_path / "README.md"
    target.write_text("my notes\n", encoding="utf-8")
    result = _build("--store", str(target))
    assert result.exit_code == 3
    assert result.stderr.splitlines()[0] == f"Error: {target}: this is a file, not a kg store; kg will not replace it"
    assert target.read_text(encoding="utf-8") == "my notes\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md"]      # nothing renamed, no lock left


def test_a_folder_that_is_not_a_store_is_refused_before_any_work(tmp_path):
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "draft.txt").write_text("x", encoding="utf-8")
    result = _build("--store", str(folder))
    assert result.exit_code == 3 and "this folder is not a kg store" in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["draft.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["papers"]


def test_no_lock_file_after_a_build_or_a_failed_one(tmp_path):
    assert _build("--store", str(tmp_path / "s")).exit_code == 0
    empty = tmp_path / "empty"
    empty.mkdir()
    assert CliRunner().invoke(main, ["build", str(empty), "--store", str(tmp_path / "t")]).exit_code == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty", "s"]


def test_sigterm_leaves_no_lock_and_no_half_written_copy(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    real = [*(DATA / "real").glob("*/articles/*.md"), *(DATA / "news-dev").glob("*/articles/*.txt")]
    for copy in range(10):
        for p in real:
            shutil.copy(p, corpus / f"{copy}-{p.parent.parent.name}-{p.name}")
    store = tmp_path / "s"
    build = subprocess.Popen([sys.executable, "-m", "kg", "build", str(corpus), "--store", str(store), "--jobs", "2"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 30
    while not store.with_name("s.lock").exists() and time.time() < deadline:
        time.sleep(0.02)
    time.sleep(0.5)
    build.send_signal(signal.SIGTERM)
    _, err = build.communicate(timeout=60)
    assert build.returncode == 128 + signal.SIGTERM, err       # stopped mid-build, not finished
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus"], err
