"""Look-alike names: skeletons and script mixing."""

import pytest

from wiki.lookalikes import confusable, mixes_scripts


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("аdmin", "admin"),  # Cyrillic а
        ("ADMIN", "admin"),
        ("ａｄｍｉｎ", "admin"),  # fullwidth
        ("𝐚𝐝𝐦𝐢𝐧", "admin"),  # mathematical bold
        ("ad\u200bmin", "admin"),  # zero-width space
        ("adrnin", "admin"),  # rn reads as m
        ("r00t", "root"),
        ("Ian", "lan"),  # capital I reads as l
        ("ADMlN", "admin"),  # ... and so reads as ADMIN
        ("ѕуѕтем", "system"),
    ],
)
def test_names_that_read_alike_are_confusable(a, b):
    assert confusable(a, b)
    assert confusable(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("alice", "bob"),
        ("José", "Jose"),
        ("IAN", "LAN"),
        ("dave", "dave2"),
        ("john.smith", "john_smith"),
    ],
)
def test_names_that_read_differently_are_not_confusable(a, b):
    assert not confusable(a, b)


@pytest.mark.parametrize(
    ("name", "mixed"),
    [
        ("аdmin", True),  # Cyrillic and Latin
        ("Ελληνικάa", True),  # Greek and Latin
        ("admin", False),
        ("Ελληνικά", False),
        ("山田たろう", False),  # Han and Hiragana are written together
        ("김민준kim", False),  # so are Hangul and Latin
        ("a.b-c_1@d+", False),  # digits and punctuation have no script
    ],
)
def test_names_mixing_scripts_not_written_together_are_found(name, mixed):
    assert mixes_scripts(name) is mixed
