"""The QR code of a document's public address, as an SVG picture for Typst.  Pure: no I/O.

A QR code (ISO/IEC 18004:2015, model 2) in byte mode, error correction level M, mask pattern 0,
with a quiet zone of one module, drawn as vectors (sharp at any scale, where a bitmap is smoothed
by some viewers).

Written here rather than taken from a QR library because a region's night prints some 20,000
codes: ``segno`` (the reference the tests compare with, module for module) spends about 2 ms on
one address, this about 0.1 ms.  Everything that depends only on the version — the function
patterns, the order in which the data modules are filled, the mask, the Reed–Solomon
generator — is computed once per version and kept; a code is then a few operations on
integers and one ``itemgetter`` over the modules.
"""

from __future__ import annotations

from functools import cache
from operator import itemgetter

# Per version 1–40, level M (ISO/IEC 18004 tables 7 and 9): codewords in all, error-correction
# codewords per block, blocks.
_TOTAL = (26, 44, 70, 100, 134, 172, 196, 242, 292, 346, 404, 466, 532, 581, 655, 733, 815, 901,
          991, 1085, 1156, 1258, 1364, 1474, 1588, 1706, 1828, 1921, 2051, 2185, 2323, 2465,
          2611, 2761, 2876, 3034, 3196, 3362, 3532, 3706)
_EC = (10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28,
       28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28)
_BLOCKS = (1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21,
           23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49)
_FORMAT_M_MASK0 = 0b101010000010010  # level M (00), mask 0 (000), BCH, XOR 101010000010010



def _gf256() -> tuple[list[int], list[int]]:
    """Powers of 2 and logarithms in GF(256) modulo x^8 + x^4 + x^3 + x^2 + 1 (§7.5.2)."""
    exp, log = [0] * 512, [0] * 256
    x = 1
    for i in range(255):
        exp[i] = exp[i + 255] = x
        log[x] = i
        x <<= 1
        if x & 0x100:
            x ^= 0x11D
    return exp, log


_EXP, _LOG = _gf256()


def _data_capacity(version: int) -> int:
    return _TOTAL[version - 1] - _EC[version - 1] * _BLOCKS[version - 1]


def _version(length: int) -> int:
    """The smallest version holding ``length`` bytes at level M."""
    for version in range(1, 41):
        count_bits = 8 if version < 10 else 16
        if 4 + count_bits + 8 * length <= 8 * _data_capacity(version):
            return version
    raise ValueError(f"{length} bytes do not fit in a QR code at level M")


@cache
def _rs_rows(degree: int) -> tuple[int, ...]:
    """For each byte ``f``, the generator polynomial of ``degree`` times ``f``, as an integer
    of ``degree`` bytes (the division's step: shift, then XOR the row of the byte shifted out)."""
    gen = [1]
    for i in range(degree):  # (x - a^0)(x - a^1)…
        nxt = [0] * (len(gen) + 1)
        for j, c in enumerate(gen):
            nxt[j] ^= c
            if c:
                nxt[j + 1] ^= _EXP[_LOG[c] + i]
        gen = nxt
    rows = [0]
    for f in range(1, 256):
        lf = _LOG[f]
        rows.append(int.from_bytes(bytes(_EXP[lf + _LOG[c]] if c else 0 for c in gen[1:])))
    return tuple(rows)


def _ec_bytes(block: bytes, degree: int) -> bytes:
    rows = _rs_rows(degree)
    shift = 8 * (degree - 1)
    mask = (1 << 8 * degree) - 1
    rem = 0
    for b in block:
        rem = ((rem << 8) & mask) ^ rows[b ^ (rem >> shift)]
    return rem.to_bytes(degree)


class _Grid:
    """The modules of one version being drawn: dark or not, and fixed (a function pattern) or
    left for the data."""

    def __init__(self, version: int) -> None:
        self.version = version
        self.size = 17 + 4 * version
        self.dark = [[False] * self.size for _ in range(self.size)]
        self.fixed = [[False] * self.size for _ in range(self.size)]

    def put(self, x: int, y: int, on: bool) -> None:
        self.dark[y][x] = on
        self.fixed[y][x] = True

    def finders(self) -> None:
        """The three finder patterns and their separators (§6.3.3)."""
        size = self.size
        for cx, cy in ((3, 3), (size - 4, 3), (3, size - 4)):
            for dy in range(-4, 5):
                for dx in range(-4, 5):
                    if 0 <= cx + dx < size and 0 <= cy + dy < size:
                        self.put(cx + dx, cy + dy, max(abs(dx), abs(dy)) not in (2, 4))

    def timing(self) -> None:
        """The timing patterns, row 6 and column 6 (§6.3.5)."""
        for i in range(self.size):
            if not self.fixed[6][i]:
                self.put(i, 6, i % 2 == 0)
            if not self.fixed[i][6]:
                self.put(6, i, i % 2 == 0)

    def alignment(self) -> None:
        """The alignment patterns (§6.3.6, annex E), none where a finder is."""
        if self.version == 1:
            return
        count = self.version // 7 + 2
        step = (26 if self.version == 32
                else (self.version * 4 + count * 2 + 1) // (count * 2 - 2) * 2)
        at = [6, *(self.size - 7 - i * step for i in reversed(range(count - 1)))]
        corners = {(at[0], at[0]), (at[0], at[-1]), (at[-1], at[0])}
        for ay in at:
            for ax in at:
                if (ax, ay) not in corners:
                    for dy in range(-2, 3):
                        for dx in range(-2, 3):
                            self.put(ax + dx, ay + dy, max(abs(dx), abs(dy)) != 1)

    def information(self) -> None:
        """The format information twice, the dark module, and from version 7 the version
        information twice (§7.9, §7.10)."""
        size, bits = self.size, _FORMAT_M_MASK0
        for i in range(6):
            self.put(8, i, bool(bits >> i & 1))
        self.put(8, 7, bool(bits >> 6 & 1))
        self.put(8, 8, bool(bits >> 7 & 1))
        self.put(7, 8, bool(bits >> 8 & 1))
        for i in range(9, 15):
            self.put(14 - i, 8, bool(bits >> i & 1))
        for i in range(8):
            self.put(size - 1 - i, 8, bool(bits >> i & 1))
        for i in range(8, 15):
            self.put(8, size - 15 + i, bool(bits >> i & 1))
        self.put(8, size - 8, True)
        if self.version >= 7:  # BCH (18, 6)
            rem = self.version
            for _ in range(12):
                rem = (rem << 1) ^ ((rem >> 11) * 0x1F25)
            vbits = self.version << 12 | rem
            for i in range(18):
                self.put(size - 11 + i % 3, i // 3, bool(vbits >> i & 1))
                self.put(i // 3, size - 11 + i % 3, bool(vbits >> i & 1))

    def order(self) -> list[tuple[int, int]]:
        """The data modules in the order they are filled: two columns at a time from the
        right, up then down, skipping the vertical timing pattern (§7.7.3)."""
        out: list[tuple[int, int]] = []
        right = self.size - 1
        while right >= 1:
            if right == 6:
                right = 5
            upward = (right + 1) & 2 == 0
            for vert in range(self.size):
                y = self.size - 1 - vert if upward else vert
                out.extend((x, y) for x in (right, right - 1) if not self.fixed[y][x])
            right -= 2
        return out


class _Layout:
    """What depends only on the version: the width, the number of data modules (codewords and
    remainder bits), mask 0 over them, and where each module of the picture comes from."""

    def __init__(self, version: int) -> None:
        grid = _Grid(version)
        grid.finders()
        grid.timing()
        grid.alignment()
        grid.information()
        order = grid.order()
        self.size = grid.size
        self.bits = len(order)
        self.mask = int("".join("1" if (x + y) % 2 == 0 else "0" for x, y in order), 2)
        where = {xy: i for i, xy in enumerate(order)}
        one, zero = self.bits, self.bits + 1  # two more characters: a fixed dark, a fixed light
        cells = []
        for y in range(-1, grid.size + 1):  # with the quiet zone
            for x in range(-1, grid.size + 1):
                inside = 0 <= x < grid.size and 0 <= y < grid.size
                if inside and not grid.fixed[y][x]:
                    cells.append(where[x, y])
                else:
                    cells.append(one if inside and grid.dark[y][x] else zero)
        self.pick = itemgetter(*cells)


@cache
def _layout(version: int) -> _Layout:
    return _Layout(version)


def _codewords(data: bytes, version: int) -> bytes:
    """The data codewords, blocked, with their error correction, interleaved (§7.4–7.6)."""
    capacity = _data_capacity(version)
    count_bits = 8 if version < 10 else 16
    stream = (0b0100 << count_bits | len(data)) << 8 * len(data) | int.from_bytes(data)
    used = 4 + count_bits + 8 * len(data)
    end = used + min(4, 8 * capacity - used)  # the terminator: up to four zeros
    end += 8 - end % 8 if end < 8 * capacity else 0  # zeros to the next byte boundary (a
    # whole byte of them when the terminator ends on one, as segno writes them)
    raw = bytearray((stream << (end - used)).to_bytes(end // 8))
    raw.extend((b"\xec\x11" * capacity)[:capacity - len(raw)])  # the pad codewords
    blocks = _BLOCKS[version - 1]
    degree = _EC[version - 1]
    short = capacity // blocks
    longer = capacity % blocks  # the last ones have one more data codeword
    parts, ecs, at = [], [], 0
    for b in range(blocks):
        n = short + (b >= blocks - longer)
        part = bytes(raw[at:at + n])
        at += n
        parts.append(part)
        ecs.append(_ec_bytes(part, degree))
    out = bytearray()
    for i in range(short + 1):
        out.extend(p[i] for p in parts if i < len(p))
    for i in range(degree):
        out.extend(e[i] for e in ecs)
    return bytes(out)


def qr_modules(text: str) -> tuple[int, str]:
    """``text`` as a QR code: its width in modules (quiet zone included) and its modules row
    after row, ``1`` dark and ``0`` light.

    The bytes encoded are ISO 8859-1 when ``text`` fits in it, else UTF-8 (as ``segno`` does);
    the version is the smallest that holds them at level M."""
    try:
        data = text.encode("iso-8859-1")
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    version = _version(len(data))
    layout = _layout(version)
    words = _codewords(data, version)
    bits = int.from_bytes(words) << (layout.bits - 8 * len(words))  # remainder bits: zeros
    stream = format(bits ^ layout.mask, f"0{layout.bits}b") + "10"
    return layout.size + 2, "".join(layout.pick(stream))


_RUN_LENGTH = {c * k: str(k) for c in "01" for k in range(1, 180)}  # a row is 179 at most


def qr_svg(text: str) -> str:
    """``text`` as a QR code in SVG, one module to the unit: each row one stroked line whose
    dashes are its dark runs (a few dozen drawing operations, where a path per run takes a
    thousand)."""
    size, modules = qr_modules(text)
    lines = "\n".join([modules[i:i + size] for i in range(0, size * size, size)])
    lines = lines.replace("10", "1 0").replace("01", "0 1")  # the runs, apart
    rows = []
    for y, line in enumerate(lines.split("\n")):
        if "1" not in line:
            continue
        dashes = " ".join(map(_RUN_LENGTH.__getitem__, line.split(" ")))
        if line[0] == "0":
            dashes = "0 " + dashes  # the dashes start dark
        rows.append(f'<path d="M0 {y}.5h{size}" stroke-dasharray="{dashes}"/>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}">'
            f'<g fill="none" stroke="#000">{"".join(rows)}</g></svg>')
