"""QR codes (ISO/IEC 18004) for the second factor's set-up link, drawn by the server as SVG.

Written here rather than added as a dependency: the set-up link is the only QR code Ulinzi draws,
so one mode (bytes) and one error-correction level (M, 15% of the symbol may be damaged) are
enough, and the encoder is a page of arithmetic with no I/O. Framework-free.

>>> code = encode("otpauth://totp/Ulinzi:alice")
>>> (code.version, code.size)
(3, 29)
>>> svg_path(encode("A"), border=0).startswith("M0,0h7v1h-7z")
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

# Error-correction level M, for versions 1 to 40 (ISO/IEC 18004, table 9): how many error-correction
# codewords each block carries, and how many blocks the symbol's codewords are split into.
ECC_CODEWORDS_PER_BLOCK = (
    10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
    26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
)  # fmt: skip
ECC_BLOCKS = (
    1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16,
    17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49,
)  # fmt: skip
LEVEL_M_FORMAT_BITS = 0b00
BYTE_MODE = 0b0100
PAD_BYTES = (0xEC, 0x11)
QUIET_ZONE = 4  # light modules around the symbol that scanners need

# Which modules each of the eight masks flips, by column x and row y.
MASKS: tuple[Callable[[int, int], bool], ...] = (
    lambda x, y: (x + y) % 2 == 0,
    lambda x, y: y % 2 == 0,
    lambda x, y: x % 3 == 0,
    lambda x, y: (x + y) % 3 == 0,
    lambda x, y: (x // 3 + y // 2) % 2 == 0,
    lambda x, y: x * y % 2 + x * y % 3 == 0,
    lambda x, y: (x * y % 2 + x * y % 3) % 2 == 0,
    lambda x, y: ((x + y) % 2 + x * y % 3) % 2 == 0,
)


class TooLongForQrCode(ValueError):
    """The text needs more than a version-40 symbol holds (2,331 bytes at level M)."""


@dataclass(frozen=True)
class QrCode:
    version: int
    mask: int
    modules: tuple[tuple[bool, ...], ...]  # rows of modules, True for dark

    @property
    def size(self) -> int:
        return len(self.modules)

    @property
    def extent(self) -> int:
        """The side of the drawing, quiet zone included, in modules."""
        return self.size + 2 * QUIET_ZONE


def encode(text: str) -> QrCode:
    """The smallest level-M symbol holding ``text`` as UTF-8, with the mask scanners read best."""
    data = text.encode()
    version = _smallest_version(len(data))
    codewords = _codewords(data, version)
    grid = _Grid(version)
    grid.place(codewords)
    mask = min(range(len(MASKS)), key=lambda candidate: _penalty(grid.masked(candidate)))
    return QrCode(version, mask, grid.masked(mask))


def svg_path(code: QrCode, border: int = QUIET_ZONE) -> str:
    """SVG path data drawing the dark modules, one rectangle per horizontal run, ``border`` in."""
    parts = []
    for y, row in enumerate(code.modules):
        x = 0
        while x < code.size:
            if not row[x]:
                x += 1
                continue
            run = 1
            while x + run < code.size and row[x + run]:
                run += 1
            parts.append(f"M{x + border},{y + border}h{run}v1h-{run}z")
            x += run
    return "".join(parts)


def _raw_codewords(version: int) -> int:
    """Codewords a symbol holds: its area less the finder, timing, alignment, format and version
    modules."""
    size = 4 * version + 17
    modules = size * size - 3 * 64 - 2 * (size - 16) - 31
    if version >= 2:
        aligned = version // 7 + 2
        modules -= 25 * (aligned * aligned - 3) - 10 * (aligned - 2)
    if version >= 7:
        modules -= 36
    return modules // 8


def _data_codewords(version: int) -> int:
    return _raw_codewords(version) - ECC_CODEWORDS_PER_BLOCK[version - 1] * ECC_BLOCKS[version - 1]


def _count_bits(version: int) -> int:
    return 8 if version <= 9 else 16


def _smallest_version(length: int) -> int:
    for version in range(1, 41):
        if 4 + _count_bits(version) + 8 * length <= 8 * _data_codewords(version):
            return version
    raise TooLongForQrCode(f"{length} bytes do not fit in a QR code at level M")


def _codewords(data: bytes, version: int) -> list[int]:
    """Mode, length, data, terminator and padding, split into blocks, each followed by its
    Reed-Solomon codewords, then interleaved as the standard lays them out."""
    bits = _bits(BYTE_MODE, 4) + _bits(len(data), _count_bits(version))
    for byte in data:
        bits += _bits(byte, 8)
    capacity = 8 * _data_codewords(version)
    bits += [0] * min(4, capacity - len(bits))
    bits += [0] * (-len(bits) % 8)
    stream = [int("".join(map(str, bits[start : start + 8])), 2) for start in range(0, len(bits), 8)]
    stream += [PAD_BYTES[index % 2] for index in range(capacity // 8 - len(stream))]

    blocks, ecc_length = ECC_BLOCKS[version - 1], ECC_CODEWORDS_PER_BLOCK[version - 1]
    short_length = _raw_codewords(version) // blocks - ecc_length
    short_blocks = blocks - _raw_codewords(version) % blocks
    data_blocks, start = [], 0
    for index in range(blocks):
        length = short_length + (index >= short_blocks)
        data_blocks.append(stream[start : start + length])
        start += length
    ecc_blocks = [_reed_solomon(block, ecc_length) for block in data_blocks]
    return _interleave(data_blocks) + _interleave(ecc_blocks)


def _bits(value: int, width: int) -> list[int]:
    return [(value >> shift) & 1 for shift in range(width - 1, -1, -1)]


def _interleave(blocks: list[list[int]]) -> list[int]:
    longest = max(len(block) for block in blocks)
    return [block[column] for column in range(longest) for block in blocks if column < len(block)]


# Arithmetic in GF(256) modulo x^8 + x^4 + x^3 + x^2 + 1, by tables of powers of 2 and their logs.
_EXP = [0] * 510
_LOG = [0] * 256
_power = 1
for _exponent in range(255):
    _EXP[_exponent] = _EXP[_exponent + 255] = _power
    _LOG[_power] = _exponent
    _power <<= 1
    if _power & 0x100:
        _power ^= 0x11D


def _gf_multiply(left: int, right: int) -> int:
    if left == 0 or right == 0:
        return 0
    return _EXP[_LOG[left] + _LOG[right]]


def _reed_solomon(data: list[int], degree: int) -> list[int]:
    """The remainder of data·x^degree divided by the generator (x - 2^0)(x - 2^1)…(x - 2^(degree-1))."""
    generator = [1]
    for root in range(degree):
        product = [*generator, 0]
        for index, coefficient in enumerate(generator):
            product[index + 1] ^= _gf_multiply(coefficient, _EXP[root])
        generator = product
    remainder = [*data, *([0] * degree)]
    for index in range(len(data)):
        factor = remainder[index]
        for offset in range(1, degree + 1):
            remainder[index + offset] ^= _gf_multiply(generator[offset], factor)
    return remainder[len(data) :]


def _bch(value: int, generator: int, check_bits: int) -> int:
    """``value`` followed by its BCH check bits, as the format and version fields carry them."""
    remainder = value << check_bits
    for shift in range(remainder.bit_length() - 1, check_bits - 1, -1):
        if remainder >> shift & 1:
            remainder ^= generator << (shift - check_bits)
    return value << check_bits | remainder


def _alignment_centres(version: int) -> list[int]:
    if version == 1:
        return []
    count = version // 7 + 2
    last = 4 * version + 10
    # Evenly spaced back from the last one, an even step apart; version 32 is the standard's exception.
    step = 26 if version == 32 else -(-(last - 6) // (2 * (count - 1))) * 2
    return [6, *sorted(last - step * index for index in range(count - 1))]


def _under_a_finder(x: int, y: int, centres: list[int]) -> bool:
    first, last = centres[0], centres[-1]
    return (x, y) in {(first, first), (first, last), (last, first)}


class _Grid:
    """The symbol being built: function patterns first, then the codewords in their zigzag."""

    def __init__(self, version: int) -> None:
        self.version = version
        self.size = 4 * version + 17
        self.dark = [[False] * self.size for _ in range(self.size)]
        self.reserved = [[False] * self.size for _ in range(self.size)]
        self._draw_function_patterns()

    def set(self, x: int, y: int, dark: bool) -> None:
        self.dark[y][x] = dark
        self.reserved[y][x] = True

    def _draw_function_patterns(self) -> None:
        for index in range(self.size):
            self.set(6, index, index % 2 == 0)
            self.set(index, 6, index % 2 == 0)
        for left, top in ((0, 0), (self.size - 7, 0), (0, self.size - 7)):
            self._draw_finder(left, top)
        centres = _alignment_centres(self.version)
        for x in centres:
            for y in centres:
                if not _under_a_finder(x, y, centres):
                    self._draw_alignment(x, y)
        self._draw_format(mask=0)
        if self.version >= 7:
            self._draw_version()

    def _draw_finder(self, left: int, top: int) -> None:
        """A 7×7 target and the light separator around it."""
        for dy in range(-1, 8):
            for dx in range(-1, 8):
                x, y = left + dx, top + dy
                if 0 <= x < self.size and 0 <= y < self.size:
                    ring = max(abs(dx - 3), abs(dy - 3))
                    self.set(x, y, ring in (0, 1, 3))

    def _draw_alignment(self, x: int, y: int) -> None:
        for dy in range(-2, 3):
            for dx in range(-2, 3):
                self.set(x + dx, y + dy, max(abs(dx), abs(dy)) != 1)

    def _draw_format(self, mask: int) -> None:
        bits = _bch(LEVEL_M_FORMAT_BITS << 3 | mask, 0x537, 10) ^ 0x5412

        def bit(index: int) -> bool:
            return bool(bits >> index & 1)

        for index in range(6):
            self.set(8, index, bit(index))
        self.set(8, 7, bit(6))
        self.set(8, 8, bit(7))
        self.set(7, 8, bit(8))
        for index in range(9, 15):
            self.set(14 - index, 8, bit(index))
        for index in range(8):
            self.set(self.size - 1 - index, 8, bit(index))
        for index in range(8, 15):
            self.set(8, self.size - 15 + index, bit(index))
        self.set(8, self.size - 8, True)  # the module that is always dark

    def _draw_version(self) -> None:
        bits = _bch(self.version, 0x1F25, 12)
        for index in range(18):
            along, across = self.size - 11 + index % 3, index // 3
            self.set(along, across, bool(bits >> index & 1))
            self.set(across, along, bool(bits >> index & 1))

    def _zigzag(self) -> Iterator[tuple[int, int]]:
        """Free modules in placement order: two-column strips from the right, alternately up
        and down, stepping over the vertical timing pattern."""
        right = self.size - 1
        while right >= 1:
            if right == 6:
                right = 5
            upward = (right + 1) & 2 == 0
            for step in range(self.size):
                y = self.size - 1 - step if upward else step
                for x in (right, right - 1):
                    if not self.reserved[y][x]:
                        yield x, y
            right -= 2

    def place(self, codewords: list[int]) -> None:
        bits = [bit for codeword in codewords for bit in _bits(codeword, 8)]
        for index, (x, y) in enumerate(self._zigzag()):
            self.dark[y][x] = index < len(bits) and bits[index] == 1  # the remainder bits are light

    def masked(self, mask: int) -> tuple[tuple[bool, ...], ...]:
        flips = MASKS[mask]
        self._draw_format(mask)
        return tuple(
            tuple(self.dark[y][x] != (not self.reserved[y][x] and flips(x, y)) for x in range(self.size))
            for y in range(self.size)
        )


def _penalty(modules: tuple[tuple[bool, ...], ...]) -> int:
    """The standard's score of features that confuse scanners: long runs, 2×2 blocks, false finder
    patterns and an uneven share of dark modules. The lowest-scoring mask is used."""
    rows = ["".join("1" if dark else "0" for dark in row) for row in modules]
    columns = ["".join(row[x] for row in rows) for x in range(len(rows))]
    score = 0
    for line in rows + columns:
        run = 1
        for previous, current in zip(line, line[1:] + "x", strict=True):
            if current == previous:
                run += 1
                continue
            if run >= 5:
                score += 3 + run - 5
            run = 1
        padded = f"0000{line}0000"
        for pattern in ("10111010000", "00001011101"):
            score += 40 * sum(padded.startswith(pattern, start) for start in range(len(padded)))
    for y in range(len(rows) - 1):
        for x in range(len(rows) - 1):
            if rows[y][x] == rows[y][x + 1] == rows[y + 1][x] == rows[y + 1][x + 1]:
                score += 3
    dark = sum(row.count("1") for row in rows)
    total = len(rows) ** 2
    score += 10 * (abs(200 * dark - 100 * total) // (10 * total))
    return score
