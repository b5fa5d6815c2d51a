"""Speed tools: benchmarks of the encoder, vector index, indexing and service; a synthetic 1M organization."""
