"""`copmatch index` through typer's CliRunner, with the fake encoder in place of the real one."""

import fcntl
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import indexing.job
import service.cli.index
from service.cli import app
from tests.indexing.fakes import FakeEncoder, edit

runner = CliRunner()
REPO = Path(__file__).resolve().parents[2]
HEAVY = ("indexing.build", "models.snapshot", "sklearn", "faiss", "torch", "sentence_transformers")


@pytest.fixture
def env(settings, sessions, monkeypatch) -> dict[str, str]:
    monkeypatch.setattr(indexing.job, "make_encoder", lambda _settings: FakeEncoder())
    return {"COPMATCH_HOME": str(settings.home)}


def test_index_prints_the_summary_line(env, sessions):
    first = runner.invoke(app, ["index"], env=env)
    assert first.exit_code == 0, first.output
    assert re.search(
        r"index v1: embedded 97, reused 0, removed 0 in \d+\.\d s \(\d+\.\d texts/s\)", first.output
    )
    edit(sessions, "a3x", "changed")
    second = runner.invoke(app, ["index"], env=env)
    assert "index v2: embedded 1, reused 126, removed 0 in" in second.output
    third = runner.invoke(app, ["index"], env=env)
    assert "index v2: up to date" in third.output


def test_full_rebuild_and_rollback(env):
    runner.invoke(app, ["index"], env=env)
    full = runner.invoke(app, ["index", "--full"], env=env)
    assert "index v2: embedded 97, reused 0" in full.output
    back = runner.invoke(app, ["index", "--rollback"], env=env)
    assert back.exit_code == 0 and "index v1 is current again" in back.output
    again = runner.invoke(app, ["index", "--rollback"], env=env)
    assert again.exit_code == 1 and "cannot roll back: no version older than v000001" in again.output


def test_held_lock_exits_3_with_the_message(env, settings):
    settings.index_dir.mkdir(parents=True)
    with open(settings.index_dir / ".lock", "w") as holder:
        fcntl.flock(holder, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = runner.invoke(app, ["index"], env=env)
    assert result.exit_code == 3
    assert "another indexing run holds" in result.output


def test_bad_interval_is_a_usage_error(env):
    result = runner.invoke(app, ["index", "--every", "soon"], env={**env, "COLUMNS": "200"})
    assert result.exit_code == 2
    assert "not a positive number followed by s, m or h" in result.output


def test_every_runs_repeatedly_with_one_encoder_until_interrupted(env, monkeypatch):
    made = []
    monkeypatch.setattr(indexing.job, "make_encoder", lambda _s: made.append(FakeEncoder()) or made[-1])

    def two_runs(seconds, job):
        assert seconds == 900
        job()
        job()
        raise KeyboardInterrupt

    monkeypatch.setattr(service.cli.index, "run_every", two_runs)
    result = runner.invoke(app, ["index", "--every", "15m"], env=env)

    assert result.exit_code == 0, result.output
    assert "index v1: embedded 97" in result.output and "index v1: up to date" in result.output
    assert "stopped" in result.output and len(made) == 1


def test_a_run_finding_nothing_changed_imports_nothing_heavy(env):
    assert runner.invoke(app, ["index"], env=env).exit_code == 0
    script = (
        "import sys\n"
        "from service.cli import app\n"
        "try:\n"
        "    app(['index'])\n"
        "except SystemExit:\n"
        f"    print([m for m in {HEAVY!r} if m in sys.modules])\n"
    )
    environment = {**os.environ, **env, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", script], env=environment, cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert "index v1: up to date" in done.stdout, done.stdout + done.stderr
    assert done.stdout.strip().endswith("[]"), done.stdout


def test_a_build_that_keeps_its_fits_imports_no_scikit_learn(env, sessions):
    assert runner.invoke(app, ["index"], env=env).exit_code == 0
    edit(sessions, "a3x", "changed")
    script = (
        "import sys\n"
        "import indexing.job\n"
        "from tests.indexing.fakes import FakeEncoder\n"
        "indexing.job.make_encoder = lambda settings: FakeEncoder()\n"
        "from service.cli import app\n"
        "try:\n"
        "    app(['index'])\n"
        "except SystemExit:\n"
        "    print([m for m in ('sklearn', 'scipy.optimize', 'torch') if m in sys.modules])\n"
    )
    environment = {**os.environ, **env, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", script], env=environment, cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert "index v2: embedded 1" in done.stdout, done.stdout + done.stderr
    assert done.stdout.strip().endswith("[]"), done.stdout
