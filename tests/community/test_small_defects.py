"""Issue 17's small defects in the community's pages: durations, badge names read by
screen readers, suggestions without duplicate titles."""

import pytest

from community.templatetags.community_tags import hours_human


@pytest.mark.parametrize(
    "hours, shown",
    [
        (None, "–"),
        (0.2, "12 minutes"),
        (0.999, "1 hour"),  # 60 minutes is an hour
        (1.0, "1 hour"),
        (3.24, "3.2 hours"),
        (9.96, "10 hours"),  # was "10.0 hours" beside "11 hours"
        (10.0, "10 hours"),
        (11.2, "11 hours"),
        (47.9, "2 days"),
        (60, "2.5 days"),
    ],
)
def test_durations_read_alike_without_a_trailing_point_zero(hours, shown):
    assert hours_human(hours) == shown
