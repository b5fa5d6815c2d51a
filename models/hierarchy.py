"""Community hierarchy helpers: a community covers itself and all its sub-communities."""

from collections.abc import Sequence

import numpy as np
from scipy import sparse


def ancestors(parent: Sequence[int]) -> list[list[int]]:
    """Rows of each community's ancestors, nearest first (parent -1 = none; cycles stop)."""
    chains = []
    for row in range(len(parent)):
        chain, up = [], parent[row]
        while up >= 0 and up != row and up not in chain:
            chain.append(up)
            up = parent[up]
        chains.append(chain)
    return chains


def cover_matrix(chains: Sequence[Sequence[int]]) -> sparse.csr_matrix:
    """C x C 0/1 matrix: (a, c) is 1 when community a covers c (a is c or an ancestor of c)."""
    links = np.array(
        [(up, row) for row, chain in enumerate(chains) for up in (row, *chain)], dtype=np.int64
    ).reshape(-1, 2)
    size = len(chains)
    return sparse.csr_matrix((np.ones(len(links)), (links[:, 0], links[:, 1])), shape=(size, size))


def placement_matrix(community: np.ndarray, communities: int) -> sparse.csr_matrix:
    """C x N 0/1 matrix: entry (c, i) is 1 when item i sits in community c (-1 = none)."""
    placed = np.flatnonzero(community >= 0)
    return sparse.csr_matrix(
        (np.ones(len(placed)), (community[placed], placed)), shape=(communities, len(community))
    )
