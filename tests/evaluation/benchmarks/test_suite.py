"""`make bench` runs the encoder, indexing and service benchmarks, skipping what lacks its data."""

from pathlib import Path

from evaluation.benchmarks.suite import plan


def _bundles(tmp_path: Path, *names: str) -> Path:
    for name in names:
        (tmp_path / name).mkdir()
    return tmp_path


def test_with_both_bundles_every_benchmark_runs_over_the_kept_homes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    steps = plan(_bundles(tmp_path, "dba", "history"), Path("kept"))
    assert [(s.name, s.missing) for s in steps] == [("encoder", ""), ("indexing", ""), ("service", "")]
    assert steps[1].arguments == ("evaluation.benchmarks.indexing", "dba", "history")
    service = steps[2].arguments
    assert service[service.index("--demo-home") + 1] == str(Path("kept") / "demo")
    assert service[service.index("--synthetic-home") + 1] == str(Path("kept") / "1m")


def test_a_missing_bundle_skips_what_needs_it_with_a_message(tmp_path) -> None:  # type: ignore[no-untyped-def]
    steps = plan(_bundles(tmp_path, "dba"), Path("kept"))
    assert steps[0].missing == "no history bundle"
    assert steps[1].arguments == ("evaluation.benchmarks.indexing", "dba") and not steps[1].missing
    assert steps[2].missing.startswith("no history bundle")
    assert all(s.missing for s in plan(_bundles(tmp_path / "none"), Path("kept")))
