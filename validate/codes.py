"""Program / kegiatan / sub kegiatan codes: format, length for the level, nesting, uniqueness.

Permendagri 90/2019 prints codes as ``U.BB.PP.K.KK.SS``: urusan 1 character, bidang, program,
kegiatan number and sub kegiatan 2 digits each, the kegiatan marker ``K`` 1 digit. Codes are
compared after zero-padding, so ``2.17.1.2.02.`` is a format problem but still nests under
``2.17.01``. Structural contradictions are reported, never repaired.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from renjana.models import Finding

from .registry import PROGRAM_KINDS, RANK, TableView, rule

WIDTHS = [1, 2, 2, 1, 2, 2]
SEGMENTS = {"urusan": 1, "bidang": 2, "program": 3, "kegiatan": 5, "sub_kegiatan": 6}
LEVEL_OF_LENGTH = {v: k for k, v in SEGMENTS.items()}
_SEGMENT_RE = re.compile(r"^(\d+|X+)$", re.IGNORECASE)


@dataclass
class Code:
    raw: str
    segments: list[str]  # zero-padded
    trailing_dot: bool = False
    problems: list[str] = field(default_factory=list)  # format problems (errors)
    style: list[str] = field(default_factory=list)  # harmless variants (4-digit sub kegiatan)
    valid: bool = True  # every segment is digits or X

    @property
    def normal(self) -> str:
        return ".".join(self.segments)

    def __len__(self) -> int:
        return len(self.segments)

    def prefix(self, n: int) -> str:
        return ".".join(self.segments[:n])


def parse_code(text: str | None) -> Code | None:
    """Parse a printed code; None when the cell holds no code at all."""
    if not text:
        return None
    t = "".join(text.split())
    if not t or not re.match(r"^[0-9Xx]", t):
        return None
    code = Code(raw=text.strip(), segments=[], trailing_dot=t.endswith("."))
    parts = t.rstrip(".").split(".")
    if len(parts) > len(WIDTHS):
        code.problems.append(f"{len(parts)} segments (at most 6)")
    for i, seg in enumerate(parts):
        if not _SEGMENT_RE.match(seg):
            code.valid = False
            code.problems.append(f"segment {seg!r} is not a number")
            code.segments.append(seg)
            continue
        seg = seg.upper()
        width = WIDTHS[i] if i < len(WIDTHS) else 2
        if seg.isdigit() and len(seg) < width:
            code.problems.append(f"segment {seg!r} not zero-padded to {width} digits")
            seg = seg.zfill(width)
        elif len(seg) > width:
            if i == 5 and len(seg) == 4 and seg.startswith("00"):
                code.style.append(f"4-digit sub kegiatan segment {seg!r}")
                seg = seg[2:]
            elif seg.isdigit() and len(str(int(seg))) <= width:
                code.problems.append(f"segment {seg!r} has {len(seg)} digits, not {width}")
                seg = str(int(seg)).zfill(width)
            else:
                code.problems.append(f"segment {seg!r} has {len(seg)} digits, not {width}")
        code.segments.append(seg)
    return code


def row_code(view: TableView, r: int) -> Code | None:
    text = view.text(r, "kode").strip() if view.has("kode") else ""
    return parse_code(text or view.rows[r].kode)


def table_codes(view: TableView) -> dict[int, Code]:
    """Codes of the hierarchy rows (urusan … sub kegiatan); heading/section rows are left out."""
    cache = getattr(view, "_codes", None)
    if cache is None:
        cache = {}
        for r in range(len(view.rows)):
            if view.level(r) in RANK and (code := row_code(view, r)) is not None:
                cache[r] = code
        view._codes = cache  # type: ignore[attr-defined]
    return cache


def level_ok(view: TableView, r: int, code: Code) -> bool:
    return code.valid and len(code) == SEGMENTS[view.level(r)]


def _kode_key(view: TableView) -> str | None:
    return "kode" if view.has("kode") else None


def children_prefix(view: TableView, r: int, n: int) -> str | None:
    """The code prefix of length ``n`` most of ``r``'s coded children share."""
    codes = table_codes(view)
    prefixes = Counter(codes[c].prefix(n) for c in view.tree.children(r)
                       if c in codes and codes[c].valid and len(codes[c]) > n)
    if not prefixes:
        return None
    return prefixes.most_common(1)[0][0]


@rule("code_level", kinds=PROGRAM_KINDS, reads=["kode"], category="structure")
def code_level(view: TableView) -> Iterator[Finding]:
    """A code has as many segments as its level needs (program 3, kegiatan 5, sub kegiatan 6 …):
    a kegiatan printed with its program's or its first sub kegiatan's code is reported."""
    for r, code in table_codes(view).items():
        level = view.level(r)
        want = SEGMENTS[level]
        if not code.valid or len(code) == want:
            continue
        looks = LEVEL_OF_LENGTH.get(len(code))
        expected = children_prefix(view, r, want)
        yield view.finding(
            "code_level", "error", r, _kode_key(view),
            f"{level} row carries a {len(code)}-segment code"
            + (f" (a {looks.replace('_', ' ')} code)" if looks else "")
            + f"; a {level.replace('_', ' ')} code has {want} segments"
            + (f"; its children give {expected}" if expected else ""),
            printed=code.raw, expected=expected)


def inferred_codes(view: TableView) -> dict[int, str]:
    """Codes of hierarchy rows printed without one, from their first coded descendant."""
    codes = table_codes(view)
    out: dict[int, str] = {}
    for r in range(len(view.rows)):
        if view.level(r) not in RANK or r in codes:
            continue
        n = SEGMENTS[view.level(r)]
        for d in view.tree.descendants(r):
            c = codes.get(d)
            if c is not None and c.valid and len(c) > n and level_ok(view, d, c):
                out[r] = c.prefix(n)
                break
    return out


@rule("code_prefix", kinds=PROGRAM_KINDS, reads=["kode"], category="structure")
def code_prefix(view: TableView) -> Iterator[Finding]:
    """A child's code starts with its parent's code (after zero-padding). When every child of a
    parent disagrees with it but not with each other, the parent is reported instead."""
    codes = table_codes(view)
    inferred = inferred_codes(view)

    def usable(r: int) -> str | None:
        c = codes.get(r)
        if c is None:
            return inferred.get(r)
        return c.normal if level_ok(view, r, c) else None

    def fits(child: str, parent: str) -> bool:
        return child.startswith(parent + ".")

    key = _kode_key(view)
    for p in range(len(view.rows)):
        level = view.level(p)
        if level not in RANK:
            continue
        p_code = usable(p)
        kids = [(c, usable(c)) for c in view.tree.children(p)]
        kids = [(c, k) for c, k in kids if k is not None]
        if p_code is None or not kids:
            continue
        bad = [(c, k) for c, k in kids if not fits(k, p_code)]
        if not bad:
            continue
        n = SEGMENTS[level]
        shared = {".".join(k.split(".")[:n]) for _, k in bad}
        gp = view.tree.parent[p]
        gp_code = usable(gp) if gp is not None else None
        p_contradicts_own_parent = gp_code is not None and not fits(p_code, gp_code)
        if len(bad) == len(kids) and len(shared) == 1 and p in codes and \
                (len(kids) >= 2 or p_contradicts_own_parent):
            want = shared.pop()
            yield view.finding(
                "code_prefix", "error", p, key,
                f"{level} code {codes[p].raw} does not prefix any of its "
                f"{len(kids)} children (rows {', '.join(str(c) for c, _ in kids)}), which are "
                f"all coded {want}.…: this row's code is wrong",
                printed=codes[p].raw, expected=want)
            continue
        parent_text = codes[p].raw if p in codes else f"no code, its rows give {p_code}"
        for c, k in bad:
            level = view.level(c).replace("_", " ")
            if c in codes:
                what = f"{level} code {codes[c].raw}"
            else:
                what = f"{level} row has no code; its rows are coded {k}.…, which"
            yield view.finding(
                "code_prefix", "error", c, key,
                f"{what} does not start with the code of its parent row {p} ({parent_text})",
                printed=codes[c].raw if c in codes else "",
                expected=f"{p_code}.*" if c in codes else k)


@rule("code_unique", kinds=PROGRAM_KINDS, reads=["kode"], category="structure")
def code_unique(view: TableView) -> Iterator[Finding]:
    """No two rows of a table share a code (after zero-padding); rows whose code does not fit
    their level are left to code_level."""
    groups: dict[str, list[int]] = {}
    for r, code in table_codes(view).items():
        if code.valid:
            groups.setdefault(code.normal, []).append(r)
    for normal, rows in groups.items():
        if len(rows) < 2:
            continue
        fitting = [r for r in rows if level_ok(view, r, table_codes(view)[r])]
        if len(fitting) < 2 and len(fitting) < len(rows):
            continue  # the misfit rows are reported by code_level
        for r in fitting[1:]:
            yield view.finding(
                "code_unique", "error", r, _kode_key(view),
                f"code {normal} already used by row {fitting[0]}",
                printed=table_codes(view)[r].raw)


@rule("code_format", kinds=PROGRAM_KINDS, reads=["kode"], category="structure")
def code_format(view: TableView) -> Iterator[Finding]:
    """Codes are printed as Permendagri 90/2019 prints them: U.BB.PP.K.KK.SS, zero-padded."""
    for r, code in table_codes(view).items():
        if not code.problems:
            continue
        expected = code.normal if code.valid and len(code) <= 6 else None
        if expected and code.trailing_dot:
            expected += "."  # the trailing dot alone is style, reported by code_trailing_dot
        yield view.finding("code_format", "error", r, _kode_key(view),
                           "code format: " + "; ".join(code.problems),
                           printed=code.raw, expected=expected)


@rule("code_trailing_dot", kinds=PROGRAM_KINDS, reads=["kode"], category="structure")
def code_trailing_dot(view: TableView) -> Iterator[Finding]:
    """Codes ending with a dot (``2.17.01.2.01.``): a style of the document, reported once per
    table as info."""
    rows = [r for r, code in table_codes(view).items() if code.trailing_dot]
    if rows:
        shown = ", ".join(map(str, rows[:12])) + (" …" if len(rows) > 12 else "")
        yield view.finding("code_trailing_dot", "info", None, _kode_key(view),
                           f"{len(rows)} codes end with a dot (rows {shown})")
