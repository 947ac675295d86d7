"""The server-drawn QR code of the second factor's set-up link, checked against the standard.

The expected values come from outside this encoder: a symbol made by an independent encoder
(python-qrcode 7.4, same text, level and mask), and the format and version words tabulated in
ISO/IEC 18004. While it was written, every version from 1 to 40 and every mask were also read
back with zbar's decoder.
"""

from __future__ import annotations

import doctest

import pytest

from ulinzi.accounts import qr

# "hello world" at level M, version 1, mask 2, as python-qrcode 7.4 draws it ("#" is dark).
HELLO_WORLD = (
    "#######..#.##.#######",
    "#.....#...#...#.....#",
    "#.###.#.####..#.###.#",
    "#.###.#.###.#.#.###.#",
    "#.###.#.#.#.#.#.###.#",
    "#.....#.#..#..#.....#",
    "#######.#.#.#.#######",
    "........#.#..........",
    "#.#####..#.#..#####..",
    ".##.##.#.#.########.#",
    "#.#.####.##.###..###.",
    "#.#..#...#.###..###..",
    "...#.#####..###.....#",
    "........#.#.#...##..#",
    "#######....#..#...##.",
    "#.....#.#....#.#.####",
    "#.###.#.#..#..##....#",
    "#.###.#.##..######...",
    "#.###.#.##..#..#..#..",
    "#.....#..##.##..###..",
    "#######.##.##.#.#..#.",
)
# ISO/IEC 18004: the format word of level M for each mask, and the version words of 7, 8 and 40.
FORMAT_WORDS_M = (0x5412, 0x5125, 0x5E7C, 0x5B4B, 0x45F9, 0x40CE, 0x4F97, 0x4AA0)
VERSION_WORDS = {7: 0x07C94, 8: 0x085BC, 40: 0x28C69}
# Bytes each version holds at level M (the standard's capacity table).
BYTE_CAPACITY_M = {1: 14, 2: 26, 5: 84, 7: 122, 8: 152, 10: 213, 20: 666, 40: 2331}


def drawn(code: qr.QrCode) -> tuple[str, ...]:
    return tuple("".join("#" if dark else "." for dark in row) for row in code.modules)


def format_word(code: qr.QrCode) -> int:
    """The 15 format bits as placed beside the top-left finder."""
    places = [(8, row) for row in range(6)] + [(8, 7), (8, 8), (7, 8)] + [(column, 8) for column in range(5, -1, -1)]
    return sum(code.modules[y][x] << index for index, (x, y) in enumerate(places))


def version_word(code: qr.QrCode) -> int:
    """The 18 version bits as placed above the bottom-left finder."""
    return sum(code.modules[code.size - 11 + index % 3][index // 3] << index for index in range(18))


def test_the_examples_in_the_module_hold():
    result = doctest.testmod(qr)
    assert (result.attempted > 0, result.failed) == (True, 0)


def test_a_symbol_matches_an_independent_encoder():
    code = qr.encode("hello world")
    assert (code.version, code.mask) == (1, 2)
    assert drawn(code) == HELLO_WORLD


@pytest.mark.parametrize(("version", "capacity"), sorted(BYTE_CAPACITY_M.items()))
def test_each_version_holds_what_the_standard_says(version, capacity):
    assert qr.encode("x" * capacity).version == version
    if version < 40:
        assert qr.encode("x" * (capacity + 1)).version == version + 1


def test_text_too_long_for_any_version_is_refused():
    with pytest.raises(qr.TooLongForQrCode):
        qr.encode("x" * 2332)


@pytest.mark.parametrize("text", ["A", "otpauth://totp/Ulinzi%3Aalice?secret=" + "A" * 32, "é" * 300])
def test_the_format_and_version_words_are_the_standards(text):
    code = qr.encode(text)
    assert format_word(code) == FORMAT_WORDS_M[code.mask]
    if code.version in VERSION_WORDS:
        assert version_word(code) == VERSION_WORDS[code.version]


def test_version_words_of_large_symbols():
    for version, word in VERSION_WORDS.items():
        code = qr.encode("x" * BYTE_CAPACITY_M[version])
        assert code.version == version
        assert version_word(code) == word


def test_the_svg_path_draws_every_dark_module_once_inside_the_quiet_zone():
    code = qr.encode("otpauth://totp/Ulinzi%3Aalice?secret=" + "A" * 32 + "&issuer=Ulinzi")
    path = qr.svg_path(code)
    runs = [int(part.split("v1")[0]) for part in path.split("h")[1::2]]
    assert sum(runs) == sum(sum(row) for row in code.modules)
    assert code.extent == code.size + 2 * qr.QUIET_ZONE
    assert path.startswith(f"M{qr.QUIET_ZONE},{qr.QUIET_ZONE}h7v1h-7z")
