"""How the meter reads (issue 19): one headline figure, gaps for empty weeks, pandas told apart by shape."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from satisfaction.templatetags.satisfaction_tags import trend_svg
from tests.factories.satisfaction import answer, record

pytestmark = pytest.mark.django_db

IMG = Path(settings.BASE_DIR) / "satisfaction" / "static" / "satisfaction" / "img"


def _week(start, enough, percent=90.0):
    if not enough:
        return {"week_start": start, "enough": False, "n": 2}
    return {
        "week_start": start, "enough": True, "n": 40, "percent": percent,
        "percent_whole": round(percent), "low": percent - 5, "high": percent + 3,
    }


def test_weeks_without_enough_answers_are_gaps_with_no_point_and_no_segment():
    weekly = [
        _week("2026-06-01", True, 80), _week("2026-06-08", True, 90),
        _week("2026-06-15", False), _week("2026-06-22", False),
        _week("2026-06-29", True, 70), _week("2026-07-06", True, 75),
        _week("2026-07-13", False), _week("2026-07-20", True, 95),
    ]
    svg = str(trend_svg(weekly))
    # five weeks with data: five dots and five interval bars, nothing for the three empty weeks
    assert svg.count('class="sat-dot"') == 5
    assert svg.count('class="sat-band"') == 5
    assert "sat-empty" not in svg
    # the line breaks at each gap: two segments of two weeks; the lone last week is a dot only
    lines = re.findall(r'<polyline points="([^"]+)"', svg)
    assert [len(points.split()) for points in lines] == [2, 2]
    # no point sits on the 0 % line
    zero_y = re.search(r'<line x1="\d+" y1="([\d.]+)"[^>]*class="sat-grid"/><text[^>]*>0 %', svg).group(1)
    assert f'cy="{zero_y}"' not in svg


def test_the_meter_has_one_headline_figure_and_the_other_windows_are_secondary(client, site_tree):
    for i in range(12):
        answer(record(), satisfied=i != 0)
    html = client.get("/satisfaction/").content.decode()
    assert html.count("sat-window-main") == 1
    assert html.count('class="sat-window"') == 1  # the 90-day window, secondary
    # the headline comes before the pandas
    assert html.index("sat-window-main") < html.index('data-bind="icons"')


def test_an_unhappy_panda_differs_in_shape_not_only_colour():
    happy = (IMG / "panda-yes.svg").read_text()
    unhappy = (IMG / "panda-no.svg").read_text()
    # a smile curves down then up (q with positive control y), a frown the other way
    assert re.search(r"<path d=\"M[\d. ]+q[\d.]+ [\d.]+ ", happy)
    assert re.search(r"<path d=\"M[\d. ]+q[\d.]+ ?-[\d.]+ ", unhappy)
    # drooped ears: rotated ellipses low on the sides, where the happy panda's are round on top
    assert 'circle cx="5" cy="5.5"' in happy and 'circle cx="5" cy="5.5"' not in unhappy
    assert re.search(r'<ellipse cx="3.6" cy="9.5"[^>]*rotate', unhappy)
