"""Hypothesis strategies of small, valid organisations (merged into strategies.py later)."""

from typing import Any

from hypothesis import strategies as st

DISTRIBUTIONS = st.one_of(
    st.floats(0.05, 2.0).map(lambda m: {"dist": "exponential", "mean": m}),
    st.floats(0.05, 2.0).map(lambda m: {"dist": "lognormal", "mean": m, "cv": 0.8}),
    st.floats(0.05, 2.0).map(lambda m: {"dist": "gamma", "mean": m, "cv": 0.5}),
    st.floats(0.0, 2.0).map(lambda m: {"dist": "deterministic", "value": m}),
    st.floats(0.0, 1.0).map(lambda m: {"dist": "uniform", "low": m, "high": m + 1}),
)


@st.composite
def layers(draw: st.DrawFn, floor: float) -> list[dict[str, Any]]:
    """Up to three layers with growing mandates, the top one unlimited."""
    built, mandate = [], floor
    count = draw(st.integers(0, 3))
    for index in range(count):
        mandate += draw(st.floats(0, 5_000))
        members = draw(st.integers(1, 4))
        rule = draw(st.sampled_from(["all", "any", "majority", "k_of_n"]))
        built.append(
            {
                "name": f"layer_{index}",
                "role": draw(st.sampled_from(["approver", "approver", "coach"])),
                "span": draw(st.integers(1, 3)),
                "mandate": mandate,
                "members": members,
                "rule": rule,
                "k": draw(st.integers(1, members)) if rule == "k_of_n" else None,
                "review": draw(st.sampled_from(["parallel", "sequential"])),
                "review_time_h": draw(DISTRIBUTIONS),
                "availability": draw(st.floats(0.2, 1.0)),
                "skill": draw(st.floats(0.0, 1.0)),
                "absence": {"share": draw(st.sampled_from([0.0, 0.1])), "mean_days": 1.0},
            }
        )
    approvers = [layer for layer in built if layer["role"] == "approver"]
    if built and not approvers:
        built[-1]["role"] = "approver"
        approvers = [built[-1]]
    if approvers:
        approvers[-1]["mandate"] = None  # the top approver may decide anything
    return built


@st.composite
def organisations(draw: st.DrawFn) -> dict[str, Any]:
    """A small, valid scenario mapping of any structure the schema allows."""
    size = draw(st.integers(1, 5))
    decision = draw(st.sampled_from(["individual", "advice", "consensus"]))
    pooled = decision == "individual" and draw(st.booleans())
    employee_mandate = draw(st.sampled_from([0.0, 100.0, 1_000.0]))
    team_mandate = employee_mandate + draw(st.floats(0, 3_000))
    structure_layers = draw(layers(team_mandate if decision != "individual" else employee_mandate))
    approvers = [layer for layer in structure_layers if layer["role"] == "approver"]
    top = None if approvers else employee_mandate
    if decision != "individual" and not approvers:
        top, team_mandate = None, None
    value_cap = 4_000.0 if top is None else top
    return {
        "name": "generated",
        "demand": {
            "customers_per_team": draw(st.integers(1, 6)),
            "requests_per_customer_per_day": draw(st.floats(0.2, 3.0)),
            "kinds": [
                {
                    "name": "generated",
                    "share": 1,
                    "value": {"dist": "uniform", "low": 0, "high": value_cap},
                    "work_h": draw(DISTRIBUTIONS),
                    "good_share": draw(st.floats(0, 1)),
                    "expected_response_h": draw(st.floats(0.5, 24)),
                }
            ],
        },
        "structure": {
            "teams": {
                "count": draw(st.integers(1, 4)),
                "size": size,
                "employee_mandate": employee_mandate
                if approvers or decision != "individual"
                else None,
                "team_mandate": team_mandate,
                "decision": decision,
                "advisors": draw(st.integers(0, size - 1)),
                "pooled": pooled,
                "consult_time_h": draw(DISTRIBUTIONS),
                "lateral_handoff": {
                    "enabled": not pooled and draw(st.booleans()),
                    "queue_threshold": 1,
                    "scope": draw(st.sampled_from(["team", "organisation"])),
                },
            },
            "layers": structure_layers,
            "information_decay": draw(st.floats(0.5, 1.0)),
            "handoff_time_h": draw(DISTRIBUTIONS),
            "rework": {"probability": draw(st.floats(0, 1)), "max_rounds": draw(st.integers(0, 2))},
        },
        "culture": {
            "trust": {
                "initial": draw(st.floats(0, 1)),
                "blame": draw(st.booleans()),
                "learning_rate": draw(st.floats(0, 0.5)),
            }
        },
        "satisfaction": {"churn": {"threshold": 0.9, "probability": draw(st.floats(0, 1))}},
        "run": {"days": draw(st.floats(2, 6)), "warmup_days": 0.5, "sample_every_days": 1},
    }
