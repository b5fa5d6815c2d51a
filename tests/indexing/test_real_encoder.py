"""The small demo organization indexed with the real encoder, then re-indexed after one edit."""

from datetime import UTC, datetime

import numpy as np
import pytest
from sqlalchemy import func, select

from indexing.job import make_encoder, run_index
from indexing.versions import current_dir, read_manifest
from models.snapshot import Snapshot
from store.db import open_store, transaction
from store.settings import Settings
from store.tables import Contribution, Member

pytestmark = pytest.mark.slow


def test_small_demo_builds_and_reuses_with_the_real_encoder(tmp_path):
    generator = pytest.importorskip("service.demo.generator")
    from store.importers.bundle import import_bundle

    settings = Settings(home=tmp_path, _env_file=None)
    sessions = open_store(settings)
    generator.generate_demo(seed=7, size="small").write_bundle(tmp_path / "bundle")
    import_bundle(sessions, tmp_path / "bundle")
    encoder = make_encoder(settings)

    assert run_index(settings, encoder=encoder, progress=False).version == 1

    directory = current_dir(settings.index_dir)
    snapshot = Snapshot.load(directory)
    with sessions() as session:
        contributions = session.scalar(select(func.count()).select_from(Contribution))
        members = session.scalar(select(func.count()).select_from(Member))
    assert (len(snapshot.contributions), len(snapshot.members)) == (contributions, members)
    assert read_manifest(directory)["encoder"] == encoder.name
    vectors = np.load(directory / "c_embeddings.npy")
    assert vectors.shape == (contributions, encoder.dim)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    _, rows = snapshot.contribution_index.search(vectors[:5], 1)
    nearest_threads = [snapshot.contributions.thread[r] for r in rows[:, 0]]
    assert nearest_threads == list(snapshot.contributions.thread[:5])  # its own thread

    assert not run_index(settings, encoder=encoder, progress=False).built
    with transaction(sessions) as session:
        answer = session.scalars(select(Contribution).where(Contribution.kind == "answer")).first()
        answer.body += " Also check the connection pool size first."
        answer.updated_at = datetime.now(UTC)
    second = run_index(settings, encoder=encoder, progress=False)

    profiles = int(np.count_nonzero(np.linalg.norm(snapshot.profile_vectors, axis=1)))
    assert (second.version, second.embedded, second.removed) == (2, 1, 0)
    assert second.reused == contributions - 1 + profiles + len(snapshot.communities)
