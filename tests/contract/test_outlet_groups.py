"""Outlet groups: one readable group per country and ownership, from lib/data/outlet_groups.csv."""

from __future__ import annotations

import pytest

from lib.contract.outlet_groups import OTHER, UNKNOWN, group_names, outlet_group


@pytest.mark.parametrize(
    ("country", "ownership", "group"),
    [
        ("China", "state", "Chinese state media"),
        ("Russia", "state", "Russian state media"),
        ("russia", " STATE ", "Russian state media"),  # case and spaces do not count
        ("Russia", "private", "Russian private media"),
        ("United States", "private", "Western private media"),
        ("United Kingdom", "public", "Western public media"),
        ("Qatar", "state", OTHER),  # known, but no group for it
        ("China", None, OTHER),  # a known country without ownership
        (None, None, UNKNOWN),  # an outlet the outlets file does not know
        ("", "state", UNKNOWN),
        (float("nan"), None, UNKNOWN),
    ],
)
def test_outlet_group(country, ownership, group):
    assert outlet_group(country, ownership) == group


def test_groups_are_listed_in_file_order_then_other_and_unknown():
    names = group_names()
    assert names[:2] == ["Chinese state media", "Russian state media"]
    assert names[-2:] == [OTHER, UNKNOWN]
    assert len(names) == len(set(names))
