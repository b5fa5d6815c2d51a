"""The full service and each signal switched off in turn: what every signal buys."""

from dataclasses import dataclass, replace

from models.expert_features import DEFAULT_RANKER, SIGNALS
from models.experts import ExpertWeights


@dataclass(frozen=True)
class Variant:
    """One configuration of the expert ranker under evaluation."""

    name: str
    weights: ExpertWeights
    exposure: bool  # queries record exposure in order, as production does (load spreading)


def expert_variants() -> list[Variant]:
    """`copmatch` (the defaults, load spreading live) and one variant per signal turned off.

    A variant's ranker is learned anew without its signal (`learn_ranker` honours `off`), except
    `copmatch (default weights)`: the shipped weights, which organizations without history get.
    """
    base = ExpertWeights()
    lexical_off = replace(base.fusion, use_lexical=False)
    return [
        Variant("copmatch", base, True),
        Variant("copmatch (default weights)", replace(base, ranker=DEFAULT_RANKER), True),
        Variant("copmatch -lexical", replace(base, fusion=lexical_off, off=frozenset({"lexical"})), True),
        Variant("copmatch -recency", replace(base, evidence=replace(base.evidence, use_recency=False)), True),
        Variant(
            "copmatch -kind-weights",
            replace(base, evidence=replace(base.evidence, use_kind_weights=False)),
            True,
        ),
        *(
            Variant(f"copmatch -{name}", replace(base, off=frozenset({name})), True)
            for name in SIGNALS
            if name != "lexical"
        ),
        Variant("copmatch -load-spreading", replace(base, use_load_spreading=False), False),
    ]
