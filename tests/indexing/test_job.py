"""run_index end to end on a small store: first build, incremental reuse, no-op, full rebuild."""

import json
from datetime import timedelta

import numpy as np
import pytest
from sqlalchemy import delete, func, select

import indexing.build
import indexing.job
import models.snapshot
from indexing.job import run_index
from indexing.versions import current_dir, read_manifest
from models.participation import LEVELS
from models.snapshot import KINDS, Snapshot
from store.db import transaction
from store.tables import Contribution, IndexBuild, Member
from tests.indexing.fakes import START, THREADS, FakeEncoder, edit

# An answer with an empty body embeds as its question, and identical texts are embedded once:
# 3 distinct texts per thread, 5 profiles (m4 has none) and 2 community descriptions.
UNIQUE_TEXTS = THREADS * 3 + 5 + 2


def _vectors_by_id(directory) -> dict[str, np.ndarray]:
    snapshot = Snapshot.load(directory)
    vectors = np.load(directory / "c_embeddings.npy")
    return {snapshot.contributions.ids[i]: vectors[i] for i in range(len(snapshot.contributions))}


def test_first_build_publishes_v1_matching_the_store(settings, sessions, encoder):
    summary = run_index(settings, encoder=encoder, progress=False)

    index_dir = settings.index_dir
    assert (summary.version, summary.built, summary.reused, summary.removed) == (1, True, 0, 0)
    assert (index_dir / "CURRENT").read_text().strip() == "v000001"
    assert current_dir(index_dir) == index_dir / "v000001"
    snapshot = Snapshot.load(current_dir(index_dir))
    assert snapshot.version == 1
    assert len(snapshot.contributions) == THREADS * 4
    assert len(snapshot.members) == 6 and len(snapshot.communities) == 2
    assert snapshot.contribution_index.ntotal == THREADS * 4
    assert summary.embedded == len(encoder.embedded) == UNIQUE_TEXTS
    assert snapshot.reference_time == (START + timedelta(days=10 * (THREADS - 1), hours=3)).timestamp()


def test_rows_carry_author_kind_thread_and_text(settings, sessions, encoder):
    run_index(settings, encoder=encoder, progress=False)
    snapshot = Snapshot.load(current_dir(settings.index_dir))
    rows, members = snapshot.contributions, snapshot.members
    row = {rows.ids[i]: i for i in range(len(rows))}

    answer, question = row["a3x"], row["q3"]
    assert rows.author[answer] == members.row_of["m4"]
    assert KINDS[rows.kind[answer]] == "answer" and rows.accepted[answer]
    assert not rows.accepted[row["a3y"]]
    assert rows.thread[answer] == rows.thread[question] != rows.thread[row["q4"]]
    assert rows.title[answer] == "question title 3"
    assert rows.snippet[answer] == "first answer 3"
    assert rows.snippet[row["a3y"]] == "question body 3 about indexes"  # empty answer: the question
    assert rows.community[answer] == snapshot.communities.row_of["org/db"]
    assert rows.score[question] == 3
    assert members.manager[members.row_of["m2"]] == members.row_of["m0"]
    assert not snapshot.profile_vectors[members.row_of["m4"]].any()  # no profile: zero row
    assert np.isclose(np.linalg.norm(snapshot.profile_vectors[members.row_of["m1"]]), 1.0)


def test_levels_and_memberships(settings, sessions, encoder):
    run_index(settings, encoder=encoder, progress=False)
    members = Snapshot.load(current_dir(settings.index_dir)).members
    communities = Snapshot.load(current_dir(settings.index_dir)).communities
    m1, org, db = members.row_of["m1"], communities.row_of["org"], communities.row_of["org/db"]
    assert LEVELS[members.level[m1]] == "core"  # one comment per thread plus answers: the most
    assert members.communities[m1] == [db]
    assert set(members.community_level[m1]) == {org, db}  # org covers org/db's contributions
    assert members.level[members.row_of["m0"]] > 0


def test_incremental_build_embeds_only_changed_and_new(settings, sessions, encoder):
    run_index(settings, encoder=encoder, progress=False)
    v1 = _vectors_by_id(current_dir(settings.index_dir))
    edit(sessions, "a7x", "a better first answer")
    edit(sessions, "c8", "a sharper comment", minutes=2)
    with transaction(sessions) as session:
        session.add(
            Contribution(
                id="a9z",
                author_id="m2",
                kind="answer",
                parent_id="q9",
                thread_id="q9",
                community_id="org/db",
                created_at=START,
                body="a late answer",
                updated_at=START + timedelta(days=1001),
            )
        )
        session.execute(delete(Contribution).where(Contribution.id == "c2"))

    second = FakeEncoder()
    summary = run_index(settings, encoder=second, progress=False)

    assert summary.version == 2
    assert summary.embedded == len(second.embedded) == 3
    assert any("a better first answer" in text for text in second.embedded)
    assert summary.removed == 1
    assert summary.reused == THREADS * 4 - 3 + 5 + 2
    v2 = _vectors_by_id(current_dir(settings.index_dir))
    assert set(v2) == set(v1) - {"c2"} | {"a9z"}
    for cid in set(v1) - {"a7x", "c8", "c2"}:
        assert np.array_equal(v1[cid], v2[cid])
    assert not np.array_equal(v1["a7x"], v2["a7x"])
    assert read_manifest(current_dir(settings.index_dir))["reused"] == summary.reused


def test_editing_a_question_reembeds_its_replies(settings, sessions, encoder):
    run_index(settings, encoder=encoder, progress=False)
    edit(sessions, "q5", "a reworded question")
    second = FakeEncoder()
    summary = run_index(settings, encoder=second, progress=False)
    assert summary.embedded == 3  # its replies carry its text (the empty answer is the same text)


def test_unchanged_store_makes_no_new_version(settings, sessions, encoder):
    run_index(settings, encoder=encoder, progress=False)
    second = FakeEncoder()
    summary = run_index(settings, encoder=second, progress=False)

    assert (summary.built, summary.version, summary.embedded) == (False, 1, 0)
    assert second.embedded == []
    assert not (settings.index_dir / "v000002").exists()
    assert "up to date" in summary.line()


def test_member_edit_or_model_change_triggers_a_build(settings, sessions, encoder):
    run_index(settings, encoder=encoder, progress=False)
    with transaction(sessions) as session:
        member = session.get(Member, "m3")
        member.profile, member.updated_at = "now a storage expert", START + timedelta(days=999)
    second = FakeEncoder()
    assert run_index(settings, encoder=second, progress=False).embedded == 1
    other_model = settings.model_copy(update={"model": "another-model"})
    assert run_index(other_model, encoder=FakeEncoder(), progress=False).version == 3


def test_full_build_equals_incremental(settings, sessions, encoder):
    run_index(settings, encoder=encoder, progress=False)
    edit(sessions, "a4x", "changed")
    incremental = run_index(settings, encoder=FakeEncoder(), progress=False)
    full_encoder = FakeEncoder()
    full = run_index(settings, full=True, encoder=full_encoder, progress=False)

    assert (incremental.version, full.version) == (2, 3)
    assert full.embedded == len(full_encoder.embedded) == UNIQUE_TEXTS and full.reused == 0
    index_dir = settings.index_dir
    for name in (
        "c_embeddings.npy",
        "profile_vectors.npy",
        "community_vectors.npy",
        "c_ids.blob.npy",
    ):
        assert np.array_equal(np.load(index_dir / "v000002" / name), np.load(index_dir / "v000003" / name))
    assert json.loads((index_dir / "v000002" / "members.json").read_text()) == json.loads(
        (index_dir / "v000003" / "members.json").read_text()
    )


def test_manifest_records_the_build(settings, sessions, encoder):
    run_index(settings, encoder=encoder, progress=False)
    manifest = read_manifest(current_dir(settings.index_dir))
    assert manifest["version"] == 1 and manifest["encoder"] == "fake/test" and manifest["dim"] == 16
    assert manifest["counts"] == {"contributions": THREADS * 4, "members": 6, "communities": 2}
    assert manifest["source"]["counts"]["contributions"] == THREADS * 4
    assert manifest["source"]["watermark"].startswith("2023-01-01")
    assert "c_embeddings.npy" in manifest["files"] and len(manifest["files"]["c_embeddings.npy"]) == 64
    assert "contributions.faiss" not in manifest["files"]  # an exact index is its vectors: stored once


def test_index_build_rows_record_outcomes(settings, sessions, encoder):
    run_index(settings, encoder=encoder, progress=False)
    with sessions() as session:
        build = session.scalars(select(IndexBuild)).one()
        assert (build.status, build.version, build.embedded) == ("done", 1, UNIQUE_TEXTS)
        assert build.finished_at is not None
        run_index(settings, encoder=encoder, progress=False)  # no change: no row
        assert session.scalar(select(func.count()).select_from(IndexBuild)) == 1


def test_a_version_of_an_older_format_is_rebuilt_reusing_its_vectors(
    settings, sessions, encoder, monkeypatch
):
    run_index(settings, encoder=encoder, progress=False)
    for module in (models.snapshot, indexing.job, indexing.build):
        monkeypatch.setattr(module, "FORMAT", models.snapshot.FORMAT + 1)
    with pytest.raises(ValueError, match="index format"):
        Snapshot.load(current_dir(settings.index_dir))
    second = FakeEncoder()
    summary = run_index(settings, encoder=second, progress=False)
    assert (summary.built, summary.version, summary.embedded) == (True, 2, 0)
    assert Snapshot.load(current_dir(settings.index_dir)).version == 2
