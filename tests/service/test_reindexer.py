"""The admin reindex runs `copmatch index` in a separate, niced, single-threaded process, one at a
time, and knows when any indexing run holds the index."""

import json
import subprocess
import sys

import pytest

from indexing.versions import index_lock
from service.reindex import NICENESS, Reindexer, ReindexRunningError, index_command
from store.settings import Settings


def _waiting_for(gate) -> list[str]:  # type: ignore[no-untyped-def]
    script = f"import pathlib, time\nwhile not pathlib.Path({str(gate)!r}).exists(): time.sleep(0.05)"
    return [sys.executable, "-c", script]


def test_second_start_is_refused_while_running(tmp_path) -> None:
    reindexer = Reindexer(_waiting_for(tmp_path / "go"))
    reindexer.start()
    assert reindexer.running
    with pytest.raises(ReindexRunningError):
        reindexer.start()
    (tmp_path / "go").touch()
    reindexer.join(30)
    assert not reindexer.running
    reindexer.start()
    reindexer.join(30)
    assert not reindexer.running


def test_failed_run_is_logged_with_its_output_and_frees_the_slot(caplog) -> None:
    reindexer = Reindexer([sys.executable, "-c", "import sys; print('disk full'); sys.exit(1)"])
    reindexer.start()
    reindexer.join(30)
    assert "reindex failed (exit 1): disk full" in caplog.text
    assert not reindexer.running


def test_index_command_is_niced_single_threaded_and_carries_the_settings(tmp_path, monkeypatch) -> None:
    settings = Settings(home=tmp_path, keep_versions=5, encoder_path="fp32", _env_file=None)
    command, env = index_command(settings)
    assert command[:3] == ["nice", "-n", str(NICENESS)] and command[-3:] == ["-m", "service.cli", "index"]
    probe = "import json, os; print(json.dumps([os.nice(0), os.environ['OMP_NUM_THREADS']]))"
    seen = subprocess.run([*command[:-3], "-c", probe], env=env, capture_output=True, text=True, check=True)
    niceness, threads = json.loads(seen.stdout)
    assert niceness >= NICENESS and threads == "1"
    for name in list(env):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    rebuilt = Settings(_env_file=None)
    assert rebuilt.home == tmp_path.resolve() and rebuilt.db_url == settings.db_url
    assert (rebuilt.keep_versions, rebuilt.encoder_path, rebuilt.torch_threads) == (5, "fp32", 1)


def test_any_indexing_run_counts_as_running(tmp_path) -> None:
    index_dir = tmp_path / "index"
    reindexer = Reindexer([sys.executable, "-c", "pass"], index_dir=index_dir)
    assert not reindexer.running
    with index_lock(index_dir):
        assert reindexer.running
        with pytest.raises(ReindexRunningError):
            reindexer.start()
    assert not reindexer.running
