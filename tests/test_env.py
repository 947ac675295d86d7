import re
from pathlib import Path

import pytest

from ulinzi.env import ConfigurationError, env_bool, env_choice, env_int, env_list, env_path, env_tile_url


def test_booleans_accept_common_words_and_refuse_typos():
    assert env_bool("X", False, {"X": "yes"}) is True
    assert env_bool("X", True, {"X": "Off"}) is False
    assert env_bool("X", True, {}) is True
    with pytest.raises(ConfigurationError, match="X='ture' is not a yes/no value"):
        env_bool("X", False, {"X": "ture"})


def test_integers_are_checked_against_their_range():
    assert env_int("P", 8000, {"P": "8080"}, minimum=1, maximum=65535) == 8080
    with pytest.raises(ConfigurationError, match="above the maximum"):
        env_int("P", 8000, {"P": "70000"}, maximum=65535)
    with pytest.raises(ConfigurationError, match="not a whole number"):
        env_int("P", 8000, {"P": "80x"})


def test_choices_name_the_allowed_values():
    with pytest.raises(ConfigurationError, match="use one of: INFO, DEBUG"):
        env_choice("L", "INFO", ("INFO", "DEBUG"), {"L": "VERBOSE"})


def test_lists_and_paths():
    assert env_list("H", ["a"], {"H": " x , y ,"}) == ["x", "y"]
    assert env_list("H", ["a"], {"H": ""}) == ["a"]
    assert env_path("V", Path("/srv/ulinzi"), {}) == Path("/srv/ulinzi")


def test_a_tile_url_must_be_an_https_xyz_template():
    assert env_tile_url("T", {}) is None
    assert env_tile_url("T", {"T": "https://a.example/{z}/{x}/{y}.png"}) == (
        "https://a.example/{z}/{x}/{y}.png",
        "https://a.example",
    )
    for wrong, reason in (
        ("http://a.example/{z}/{x}/{y}.png", "https://"),
        ("https://{s}.example/{z}/{x}/{y}.png", "host is written out"),
        ("https://a.example/{z}/{x}.png", "lacks {y}"),
        ("https://user@a.example/{z}/{x}/{y}", "host is written out"),
    ):
        with pytest.raises(ConfigurationError, match=re.escape(reason)):
            env_tile_url("T", {"T": wrong})
