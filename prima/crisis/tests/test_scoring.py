"""The one scoring function: level scenarios, missing information, the explanation."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prima.crisis import config
from prima.crisis.config import CONTEXT_FACTORS, DEFAULT, FACTORS, INTEREST_FACTORS
from prima.crisis.scoring import STAFF, FactorInput, Inputs, assess, level_for


def inputs(category: str = "", **values: float | None) -> Inputs:
    return Inputs(
        category=category,
        factors={name: FactorInput(value, STAFF) for name, value in values.items()},
    )


EXTORTION_VIDEO = {
    # A viral video of extortion at a counter, picked up by national outlets.
    "volume": 1.0,  # many times the usual volume
    "growth": 0.8,
    "negative": 0.95,
    "reach": 0.9,  # shared by accounts with hundreds of thousands of followers
    "mainstream": 1.0,  # three or more national outlets
    "spread": 0.67,  # X, TikTok, Instagram
    "affected": 0.4,
    "safety": 0.0,
    "rights": 1.0,  # money taken illegally
    "vulnerable": 0.0,
    "reputation": 1.0,  # national
    "political": 0.5,
}
QUEUE_COMPLAINT = {
    # One traveller complains about a long queue.
    "volume": 0.0,
    "growth": 0.0,
    "negative": 1.0,
    "reach": 0.0,
    "mainstream": 0.0,
    "spread": 0.0,
    "affected": 0.0,
    "safety": 0.0,
    "rights": 0.0,
    "vulnerable": 0.0,
    "reputation": 0.0,
    "political": 0.0,
}


def test_a_viral_extortion_video_picked_up_nationally_is_at_least_tinggi():
    result = assess(DEFAULT, inputs("misconduct", **EXTORTION_VIDEO))
    assert result.level >= 3
    assert not result.missing


def test_the_extortion_video_is_tinggi_even_before_public_interest_is_known():
    context_only = {k: v for k, v in EXTORTION_VIDEO.items() if k in CONTEXT_FACTORS}
    result = assess(DEFAULT, inputs("misconduct", **context_only))
    assert result.level >= 3
    assert set(result.missing) == set(INTEREST_FACTORS)


def test_a_single_queue_complaint_is_rendah():
    result = assess(DEFAULT, inputs("queues", **QUEUE_COMPLAINT))
    assert result.level == 1


def test_the_explanation_lists_every_factor_with_its_points():
    result = assess(DEFAULT, inputs("misconduct", **EXTORTION_VIDEO))
    factors = [c.factor for c in result.contributions]
    assert factors == ["category", *FACTORS]
    assert sum(c.points for c in result.contributions) == pytest.approx(result.score)
    by = {c.factor: c for c in result.contributions}
    assert by["category"].points == 35
    assert by["mainstream"].points == pytest.approx(DEFAULT.weights["mainstream"])
    assert all(c.points <= c.max_points + 1e-9 for c in result.contributions)


def test_missing_information_is_named_and_assumed():
    result = assess(DEFAULT, inputs("", volume=0.2))
    assert "category" in result.missing and "affected" in result.missing
    assert "volume" not in result.missing
    by = {c.factor: c for c in result.contributions}
    assert by["category"].value is None and by["category"].points == DEFAULT.unknown_severity
    assert by["affected"].used == DEFAULT.assume["affected"]


def test_missing_information_raises_the_level_when_it_could_matter():
    # Known and benign: Rendah. The same with the public interest unknown: higher.
    known = assess(DEFAULT, inputs("queues", **QUEUE_COMPLAINT))
    unknown = assess(
        DEFAULT,
        inputs("queues", **{k: v for k, v in QUEUE_COMPLAINT.items() if k in CONTEXT_FACTORS}),
    )
    assert known.level == 1
    assert unknown.level > known.level
    assert unknown.raised_for_missing


def test_nothing_missing_means_no_lean():
    result = assess(DEFAULT, inputs("misconduct", **EXTORTION_VIDEO))
    assert result.level == result.base_level == level_for(result.score, DEFAULT.thresholds)


values = st.one_of(st.none(), st.floats(min_value=0, max_value=1, allow_nan=False))
complete = st.fixed_dictionaries(
    {name: st.floats(min_value=0, max_value=1, allow_nan=False) for name in FACTORS}
)
categories = st.sampled_from([c.code for c in DEFAULT.taxonomy])


@settings(max_examples=300, deadline=None)
@given(complete, categories, st.sets(st.sampled_from(["category", *FACTORS]), min_size=1))
def test_missing_information_never_lowers_the_level_below_the_benign_answer(
    known, category, dropped
):
    """Whatever is missing, the level is at least what it is when the missing
    information is known to be benign (0, or the mildest category)."""
    partial = inputs(
        "" if "category" in dropped else category,
        **{k: v for k, v in known.items() if k not in dropped},
    )
    mildest = min(DEFAULT.taxonomy, key=lambda c: c.severity).code
    benign = inputs(
        mildest if "category" in dropped else category,
        **{k: (0.0 if k in dropped else v) for k, v in known.items()},
    )
    assert assess(DEFAULT, partial).level >= assess(DEFAULT, benign).level


@settings(max_examples=500, deadline=None)
@given(complete, categories, st.sampled_from(["category", *FACTORS]))
def test_with_the_shipped_configuration_forgetting_one_thing_never_lowers_the_level(
    known, category, dropped
):
    full = assess(DEFAULT, inputs(category, **known))
    partial = inputs(
        "" if dropped == "category" else category,
        **{k: v for k, v in known.items() if k != dropped},
    )
    assert assess(DEFAULT, partial).level >= full.level


@settings(max_examples=200, deadline=None)
@given(st.fixed_dictionaries(dict.fromkeys(FACTORS, values)), categories)
def test_more_of_any_factor_never_lowers_the_level(factors, category):
    for name in FACTORS:
        low = dict(factors, **{name: 0.0})
        high = dict(factors, **{name: 1.0})
        assert (
            assess(DEFAULT, inputs(category, **high)).level
            >= assess(DEFAULT, inputs(category, **low)).level
        )


def test_the_default_configuration_round_trips():
    data = DEFAULT.to_data()
    assert config.parse(data) == DEFAULT
    assert data == config.parse(config.default_data()).to_data()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d["thresholds"].update({"3": 10}), "thresholds"),
        (lambda d: d["taxonomy"][0].update({"cluster": "alien"}), "taxonomy"),
        (lambda d: d["taxonomy"][1].update({"code": d["taxonomy"][0]["code"]}), "taxonomy"),
        (lambda d: d["levels"]["3"].update({"tiers": [["mayor"]]}), "levels"),
        (lambda d: d["levels"]["4"].update({"ack_minutes": 600}), "levels"),
        (lambda d: d.update({"holding_statement": "{oops}"}), "holding_statement"),
        (lambda d: d["weights"].update({"volume": -1}), "weights"),
    ],
)
def test_invalid_configurations_are_refused_with_the_part_named(change, field):
    data = config.default_data()
    change(data)
    with pytest.raises(config.ConfigError) as caught:
        config.parse(data)
    assert caught.value.field == field
