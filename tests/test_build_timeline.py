"""Timeline label placement: whatever the years, labels never overlap and stems cross no label."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from pptx.util import Inches

from slides_builder.timeline import GAP, Rect, place_labels

AREA = Rect(Inches(0.6), Inches(1.5), Inches(12.13), Inches(4.5))

entries = st.lists(
    st.tuples(
        st.integers(1950, 2030),
        st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ- ", min_size=2, max_size=24).map(str.strip),
    ).filter(lambda e: e[1]),
    min_size=2,
    max_size=14,
).map(sorted)


@settings(max_examples=150, deadline=None)
@given(entries)
def test_labels_never_overlap_stay_in_the_area_and_stems_cross_no_label(items):
    result = place_labels(items, AREA)
    if result is None:  # too crowded: the deck splits the timeline in two slides
        return
    axis_y, placed = result
    assert len(placed) == len(items)
    for spot in placed:
        box = spot.box
        assert AREA.left <= box.left and box.right <= AREA.right
        assert AREA.top <= box.top and box.bottom <= AREA.bottom
        assert box.bottom < axis_y or box.top > axis_y  # never on the axis
    for i, a in enumerate(placed):
        for b in placed[i + 1 :]:
            apart_x = a.box.right <= b.box.left or b.box.right <= a.box.left
            apart_y = a.box.bottom <= b.box.top or b.box.bottom <= a.box.top
            assert apart_x or apart_y, (a, b)
        for b in placed:
            if b is a:
                continue
            # a's stem runs from the axis to a's box: it must not pass through b's box
            low, high = sorted((axis_y, a.box.top if a.box.top > axis_y else a.box.bottom))
            crosses_y = b.box.top < high and b.box.bottom > low
            crosses_x = b.box.left - GAP < a.marker_x < b.box.right + GAP
            assert not (crosses_x and crosses_y), (a, b)


def test_same_years_go_above_and_below_and_crowded_labels_to_a_further_lane():
    # Markers 3 years apart: the third label would overlap the first, but its stem clears it.
    items = [(1980, "PROCESSUS A"), (1983, "PROCESSUS B"), (1986, "PROCESSUS C"), (2020, "FMMD")]
    axis_y, placed = place_labels(items, AREA)
    first, second, third = (spot.box for spot in placed[:3])
    assert first.bottom < axis_y < second.top  # the first two face each other
    assert third.bottom < first.top  # the third sits above the first, in the next lane


def test_too_many_labels_for_the_area_give_none():
    items = [(2000, f"PROCESSUS NUMERO {n}") for n in range(40)]
    assert place_labels(items, AREA) is None
