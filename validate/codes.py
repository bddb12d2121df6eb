"""Program / kegiatan / sub kegiatan codes: format, length for the level, nesting, uniqueness.

Permendagri 90/2019 prints codes as ``U.BB.PP.K.KK.SS``: urusan 1 character, bidang, program,
kegiatan number and sub kegiatan 2 digits each, the kegiatan marker ``K`` 1 digit. Codes are
compared after zero-padding, so ``2.17.1.2.02.`` is a format problem but still nests under
``2.17.01``. Structural contradictions are reported, never repaired.

Rules in their scope: a table's codes are checked against the scheme the table itself uses
(:func:`table_scheme`, inferred by :mod:`renjana.normalize.codes` from the segment widths it
prints). A table in an older scheme (Permendagri 13/2006, a local ``307.16.012`` scheme) is not
wrong for not being 050-3708: its codes are checked against its own widths and its own depth per
level, so a code inconsistent with the document's own scheme is still reported. Duplicates are
looked for within one responsible agency only (a Renstra / RPJMD repeats the penunjang program
under each agency): an agency heading row or a change in the OPD column starts a new scope.

Severity from proof: a code finding is an ``error`` only when the levels it relies on are
certain (see :meth:`TableView.level_doubt`); otherwise the same finding is a ``warning`` that
says why it cannot be proved.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from renjana.models import Finding
from renjana.normalize.codes import SCHEME_LEVELS, parse_kode, scheme_of
from renjana.normalize.level_words import opening_word

from .registry import PROGRAM_KINDS, RANK, TableView, rule

WIDTHS = [1, 2, 2, 1, 2, 2]
SEGMENTS = {"urusan": 1, "bidang": 2, "program": 3, "kegiatan": 5, "sub_kegiatan": 6}
LEVEL_OF_LENGTH = {v: k for k, v in SEGMENTS.items()}
_SEGMENT_RE = re.compile(r"^(\d+|X+)$", re.IGNORECASE)
# The scheme of Kepmendagri 050-3708/2020 (Permendagri 90/2019), whose widths are fixed above.
OFFICIAL_SCHEME = "permendagri90"
# Column keys (their start) naming the responsible agency of a row (RPJMD / Renstra forms).
AGENCY_KEYS = ("opd", "perangkat_daerah", "perangkat")


@dataclass(frozen=True)
class Scheme:
    """The code grammar a table uses: its name (see :mod:`renjana.normalize.codes`), the width
    of each segment position and the number of segments of each level."""

    name: str
    widths: tuple[int, ...]
    depth: dict[str, int]

    @property
    def official(self) -> bool:
        return self.name == OFFICIAL_SCHEME

    def level_of_length(self, n: int) -> str | None:
        return next((lvl for lvl, d in self.depth.items() if d == n), None)

    def describe(self) -> str:
        if self.official:
            return "the 050-3708 scheme"
        shown = " › ".join(f"{lvl.replace('_', ' ')} {d}" for lvl, d in
                           sorted(self.depth.items(), key=lambda x: x[1]))
        return f"this table's own {self.name} scheme ({shown} segments)"


def _most_common(values) -> int | None:
    counts = Counter(values)
    return counts.most_common(1)[0][0] if counts else None


def table_scheme(view: TableView) -> Scheme:
    """The code scheme of ``view``'s table, from the codes its hierarchy rows print.

    The official scheme keeps its fixed widths and depths. Any other scheme takes the usual
    width of each segment position from the table's codes and the depth of each level from the
    scheme's known grammar, or, where that has none, from the depth most of the table's rows of
    that level print."""
    cached = getattr(view, "_scheme", None)
    if cached is not None:
        return cached
    kodes = []
    by_level: dict[str, list[int]] = {}
    for r in range(len(view.rows)):
        if view.level(r) not in RANK:
            continue
        text = view.text(r, "kode").strip() if view.has("kode") else ""
        k = parse_kode(text or view.rows[r].kode or "")
        if k is not None:
            kodes.append(k)
            by_level.setdefault(view.level(r), []).append(k.depth)
    positions = max((k.depth for k in kodes), default=0)
    widths = tuple(_most_common(len(k.segments[i]) for k in kodes if k.depth > i)
                   for i in range(positions))
    name = scheme_of(widths)
    if name == OFFICIAL_SCHEME:
        scheme = Scheme(name, tuple(WIDTHS), dict(SEGMENTS))
    else:
        depth: dict[str, int] = {}
        for d, lvl in sorted(SCHEME_LEVELS.get(name, {}).items()):
            depth.setdefault(lvl, d)
        for lvl, depths in by_level.items():
            if lvl not in depth and (d := _most_common(depths)) is not None:
                depth[lvl] = d
        scheme = Scheme(name, widths, depth)
    view._scheme = scheme  # type: ignore[attr-defined]
    return scheme


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


def parse_code(text: str | None, widths: tuple[int, ...] | list[int] = tuple(WIDTHS),
               official: bool = True) -> Code | None:
    """Parse a printed code; None when the cell holds no code at all. ``widths``: the width of
    each segment position in the scheme the code is checked against (the official one by
    default); ``official``: allow the official scheme's 4-digit sub kegiatan variant."""
    if not text:
        return None
    t = "".join(text.split())
    if not t or not re.match(r"^[0-9Xx]", t):
        return None
    code = Code(raw=text.strip(), segments=[], trailing_dot=t.endswith("."))
    parts = t.rstrip(".").split(".")
    if len(parts) > len(widths):
        code.problems.append(f"{len(parts)} segments (at most {len(widths)})")
    for i, seg in enumerate(parts):
        if not _SEGMENT_RE.match(seg):
            code.valid = False
            code.problems.append(f"segment {seg!r} is not a number")
            code.segments.append(seg)
            continue
        seg = seg.upper()
        width = widths[i] if i < len(widths) else 2
        if seg.isdigit() and len(seg) < width:
            code.problems.append(f"segment {seg!r} not zero-padded to {width} digits")
            seg = seg.zfill(width)
        elif len(seg) > width:
            if official and i == 5 and len(seg) == 4 and seg.startswith("00"):
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
    """Row ``r``'s code, parsed against the table's own scheme."""
    text = view.text(r, "kode").strip() if view.has("kode") else ""
    scheme = table_scheme(view)
    return parse_code(text or view.rows[r].kode, scheme.widths, scheme.official)


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


def depth_of(view: TableView, level: str) -> int | None:
    """How many segments a code of ``level`` has in the table's scheme (None: unknown)."""
    return table_scheme(view).depth.get(level)


def level_ok(view: TableView, r: int, code: Code) -> bool:
    return code.valid and len(code) == depth_of(view, view.level(r))


def severity(view: TableView, rows) -> tuple[str, str]:
    """('error', '') when the levels of ``rows`` are certain, else ('warning', why not)."""
    doubts = view.structure_doubts(rows)
    if not doubts:
        return "error", ""
    return "warning", "; cannot be proved: " + "; ".join(doubts)


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
    scheme = table_scheme(view)
    for r, code in table_codes(view).items():
        level = view.level(r)
        want = scheme.depth.get(level)
        if want is None or not code.valid or len(code) == want:
            continue
        looks = scheme.level_of_length(len(code))
        expected = children_prefix(view, r, want)
        sev, why = severity(view, [r])
        yield view.finding(
            "code_level", sev, r, _kode_key(view),
            f"{level} row carries a {len(code)}-segment code"
            + (f" (a {looks.replace('_', ' ')} code)" if looks else "")
            + f"; a {level.replace('_', ' ')} code has {want} segments"
            + ("" if scheme.official else f" in {scheme.describe()}")
            + (f"; its children give {expected}" if expected else "") + why,
            printed=code.raw, expected=expected)


def inferred_codes(view: TableView) -> dict[int, str]:
    """Codes of hierarchy rows printed without one, from their first coded descendant."""
    codes = table_codes(view)
    out: dict[int, str] = {}
    for r in range(len(view.rows)):
        if view.level(r) not in RANK or r in codes:
            continue
        n = depth_of(view, view.level(r))
        if n is None:
            continue
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
        n = depth_of(view, level) or len(p_code.split("."))
        shared = {".".join(k.split(".")[:n]) for _, k in bad}
        gp = view.tree.parent[p]
        gp_code = usable(gp) if gp is not None else None
        p_contradicts_own_parent = gp_code is not None and not fits(p_code, gp_code)
        if len(bad) == len(kids) and len(shared) == 1 and p in codes and \
                (len(kids) >= 2 or p_contradicts_own_parent):
            want = shared.pop()
            sev, why = severity(view, [p, *(c for c, _ in kids)])
            yield view.finding(
                "code_prefix", sev, p, key,
                f"{level} code {codes[p].raw} does not prefix any of its "
                f"{len(kids)} children (rows {', '.join(str(c) for c, _ in kids)}), which are "
                f"all coded {want}.…: this row's code is wrong" + why,
                printed=codes[p].raw, expected=want)
            continue
        parent_text = codes[p].raw if p in codes else f"no code, its rows give {p_code}"
        for c, k in bad:
            level = view.level(c).replace("_", " ")
            if c in codes:
                what = f"{level} code {codes[c].raw}"
            else:
                what = f"{level} row has no code; its rows are coded {k}.…, which"
            sev, why = severity(view, [p, c])
            yield view.finding(
                "code_prefix", sev, c, key,
                f"{what} does not start with the code of its parent row {p} ({parent_text})"
                + why,
                printed=codes[c].raw if c in codes else "",
                expected=f"{p_code}.*" if c in codes else k)


def agency_scopes(view: TableView) -> list[int]:
    """The responsible-agency block of each row (0, 1, …): a new block starts at an agency
    heading (a ``section`` row such as ``DINAS …``) and wherever the OPD column changes."""
    agency_col = next((k for k in view.keys() if k.startswith(AGENCY_KEYS)), None)
    out: list[int] = []
    scope, last_agency = 0, None
    for r in range(len(view.rows)):
        if view.level(r) == "section":
            label = next((c for c in view.rows[r].cells if c.strip()), "")
            source = view.rows[r].level_source or ""
            if source == "words:agency" or opening_word(label) == "agency":
                scope += 1
        if agency_col is not None:
            agency = " ".join(view.text(r, agency_col).split()).casefold()
            if agency and last_agency is not None and agency != last_agency:
                scope += 1
            last_agency = agency or last_agency
        out.append(scope)
    return out


def _misplaced(view: TableView) -> set[int]:
    """Coded rows whose code does not start with their parent's (code_prefix reports them)."""
    codes = table_codes(view)
    out = set()
    for r, code in codes.items():
        p = view.tree.parent[r]
        if p is None or p not in codes or not level_ok(view, p, codes[p]) or \
                not level_ok(view, r, code):
            continue
        if not code.normal.startswith(codes[p].normal + "."):
            out.add(r)
    return out


@rule("code_unique", kinds=PROGRAM_KINDS, reads=["kode"], category="structure")
def code_unique(view: TableView) -> Iterator[Finding]:
    """No two rows of one responsible agency's block share a code (after zero-padding); rows
    whose code does not fit their level are left to code_level, rows whose code does not start
    with their parent's to code_prefix."""
    scopes = agency_scopes(view)
    misplaced = _misplaced(view)
    groups: dict[tuple[int, str], list[int]] = {}
    for r, code in table_codes(view).items():
        if code.valid and r not in misplaced:
            groups.setdefault((scopes[r], code.normal), []).append(r)
    for (_, normal), rows in groups.items():
        if len(rows) < 2:
            continue
        fitting = [r for r in rows if level_ok(view, r, table_codes(view)[r])]
        if len(fitting) < 2 and len(fitting) < len(rows):
            continue  # the misfit rows are reported by code_level
        for r in fitting[1:]:
            sev, why = severity(view, [fitting[0], r])
            yield view.finding(
                "code_unique", sev, r, _kode_key(view),
                f"code {normal} already used by row {fitting[0]}" + why,
                printed=table_codes(view)[r].raw)


@rule("code_format", kinds=PROGRAM_KINDS, reads=["kode"], category="structure")
def code_format(view: TableView) -> Iterator[Finding]:
    """Codes are printed as the table's scheme prints them: U.BB.PP.K.KK.SS, zero-padded, for
    Permendagri 90/2019; for an older or local scheme, the segment widths the table's own codes
    use."""
    scheme = table_scheme(view)
    for r, code in table_codes(view).items():
        if not code.problems:
            continue
        expected = code.normal if code.valid and len(code) <= len(scheme.widths) else None
        if expected and code.trailing_dot:
            expected += "."  # the trailing dot alone is style, reported by code_trailing_dot
        sev, why = severity(view, [r])
        yield view.finding("code_format", sev, r, _kode_key(view),
                           "code format: " + "; ".join(code.problems)
                           + ("" if scheme.official else f" ({scheme.describe()})") + why,
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
