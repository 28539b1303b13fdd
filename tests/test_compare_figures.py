"""The figures' captions say what they draw."""

from __future__ import annotations

from orgsim.compare.figures import FIGURES


def test_the_differences_caption_describes_means_and_intervals_not_each_replication():
    """The figure draws each scenario's mean difference and its interval, not the
    replications one by one: its caption must not promise them."""
    _, caption, _ = FIGURES["differences"]
    assert "replication by replication" not in caption
    assert "mean difference" in caption
    assert "95% interval" in caption
