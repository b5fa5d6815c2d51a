"""The small demo organization written, imported and indexed under a home: what the shared apps serve."""

from typing import Any

from indexing.embeddings import TextEncoder
from indexing.job import run_index
from service.demo.generator import generate_demo, load_truth
from store.db import open_store
from store.importers.bundle import import_bundle
from store.settings import Settings


def indexed_demo(settings: Settings, encoder: TextEncoder) -> dict[str, Any]:
    """Write the seed-7 small demo to settings.home/bundle, import and index it; its truth.json."""
    bundle = settings.home / "bundle"
    generate_demo(seed=7, size="small").write_bundle(bundle)
    import_bundle(open_store(settings), bundle)
    run_index(settings, encoder=encoder, progress=False)
    return load_truth(bundle / "truth.json")
