"""The relevance test set: queries a customer would type over the demo data.

Each query names the item a help centre should show near the top: its type(s)
and words its title holds. The set passes when the expected item is in the top
3 for at least 90 % of the queries, on whichever database the suite runs
(SQLite by default, PostgreSQL with DATABASE_URL). The demo is loaded once and
every query is checked against that load, since loading is the slow part.
"""

import pytest
from django.core.management import call_command

from portal.search import site_search
from tests.factories.portal import ensure_tree_roots

pytestmark = pytest.mark.django_db

ARTICLE, PRODUCT, THREAD = ("article",), ("product",), ("question", "answer")

# (query as typed, accepted types, words the expected title holds)
RELEVANCE_SET = [
    # Help articles, by their words, word forms, prefixes and typos.
    ("firmware", ARTICLE, "Update Router X firmware"),
    ("update firmware", ARTICLE, "Update Router X firmware"),
    ("firmwar", ARTICLE, "Update Router X firmware"),
    ("firm", ARTICLE, "Update Router X firmware"),
    ("firmwre", ARTICLE, "Update Router X firmware"),
    ("updating the firmware", ARTICLE, "Update Router X firmware"),
    ("set up router", ARTICLE, "Set up Router X in ten minutes"),
    ("wi-fi channel", ARTICLE, "Choose the best Wi-Fi channel"),
    ("factory reset", ARTICLE, "Reset Router X to factory settings"),
    ("reset router", ARTICLE, "Reset Router X to factory settings"),
    ("add mesh node", ARTICLE, "Add a Mesh Node M2 to your network"),
    ("place mesh nodes", ARTICLE, "Where to place mesh nodes"),
    ("install thermostat", ARTICLE, "Install Thermostat T1 safely"),
    ("thermostat schedule", ARTICLE, "Teach Thermostat T1 your schedule"),
    ("wiring error", ARTICLE, "Thermostat T1 shows a wiring error"),
    ("mount doorbell", ARTICLE, "Mount Doorbell Cam D3"),
    ("doorbell battery", ARTICLE, "Make Doorbell Cam D3's battery last longer"),
    ("night vision blurry", ARTICLE, "Doorbell Cam D3 night vision is blurry"),
    ("schedule smart plug", ARTICLE, "Schedule Smart Plug P1"),
    ("energy use", ARTICLE, "Read your energy use with Smart Plug P1"),
    ("pair devices hub", ARTICLE, "Pair devices with Home Hub H5"),
    ("hub without internet", ARTICLE, "Use Home Hub H5 without the internet"),
    ("back up hub settings", ARTICLE, "Back up your Home Hub H5 settings"),
    ("invite family", ARTICLE, "Invite family members to the app"),
    ("account security", ARTICLE, "Keep your Candor Home account secure"),
    ("warranty", ARTICLE, "What our warranty covers"),
    ("what does the warranty cover", ARTICLE, "What our warranty covers"),
    # Products by name.
    ("router x", PRODUCT, "Router X"),
    ("mesh node m2", PRODUCT, "Mesh Node M2"),
    ("smart plug", PRODUCT + ARTICLE, "Smart Plug P1"),
    ("home hub h5", PRODUCT, "Home Hub H5"),
    ("doorbell cam", PRODUCT + ARTICLE, "Doorbell Cam D3"),
    ("thermostst", PRODUCT + ARTICLE, "Thermostat T1"),
    # Community threads (the question or one of its answers).
    ("guest network", THREAD, "guest network"),
    ("wpa3", THREAD, "WPA3"),
    ("port forwarding game console", THREAD, "forward a port"),
    ("orange light", THREAD, "orange light"),
    ("router reboots by itself", THREAD, "reboots by itself"),
    ("rebooting router", THREAD, "reboots by itself"),
    ("dropping connection", THREAD, "drops the connection"),
    ("heat pump", THREAD, "heat pump"),
    ("zigbee sensor", THREAD, "Zigbee sensor"),
    ("z-wave lock", THREAD, "Z-Wave lock"),
    ("countdown timer", THREAD, "countdown timer"),
    ("zero watts", THREAD, "zero watts"),
    ("motion zones", THREAD, "motion zones"),
    ("chime sound", THREAD, "chime sound"),
    ("ethernet backhaul", THREAD, "ethernet backhaul"),
    ("hub stuck on update", THREAD, "stuck on update"),
]


def found_in_top_3(query: str, types: tuple, title: str) -> bool:
    hits = site_search(query).hits[:3]
    return any(h.type.key in types and title.lower() in h.title.lower() for h in hits)


def test_the_expected_item_is_in_the_top_3_for_90_percent_of_the_set():
    # given the demo site a newcomer gets from the README
    ensure_tree_roots()
    call_command("portal_demo", stdout=open("/dev/null", "w"))
    # when each query of the set is searched
    misses = [
        (query, [(h.type.key, h.title) for h in site_search(query).hits[:3]])
        for query, types, title in RELEVANCE_SET
        if not found_in_top_3(query, types, title)
    ]
    # then at most 10 % miss (the misses are printed to tune the ranking by)
    assert len(RELEVANCE_SET) >= 40
    share = 1 - len(misses) / len(RELEVANCE_SET)
    print(f"relevance: {share:.0%} in the top 3; misses: {misses}")  # noqa: T201
    assert share >= 0.9, misses
