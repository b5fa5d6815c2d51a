"""The full service and each signal switched off in turn: what every signal buys."""

from dataclasses import dataclass, replace

from models.experts import ExpertWeights


@dataclass(frozen=True)
class Variant:
    """One configuration of the expert ranker under evaluation."""

    name: str
    weights: ExpertWeights
    exposure: bool  # queries record exposure in order, as production does (load spreading)


def expert_variants() -> list[Variant]:
    """`copmatch` (the defaults, load spreading live) and one variant per signal turned off."""
    base = ExpertWeights()
    return [
        Variant("copmatch", base, True),
        Variant(
            "copmatch -lexical", replace(base, fusion=replace(base.fusion, use_lexical=False)), True
        ),
        Variant("copmatch -recency", replace(base, use_recency=False), True),
        Variant("copmatch -kind-weights", replace(base, use_kind_weights=False), True),
        Variant("copmatch -community", replace(base, use_community=False), True),
        Variant("copmatch -activity", replace(base, use_activity=False), True),
        Variant("copmatch -profile", replace(base, use_profile=False), True),
        Variant("copmatch -load-spreading", replace(base, use_load_spreading=False), False),
    ]
