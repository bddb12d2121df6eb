"""Typed data shared by the stages: extract → normalize → validate → emit.

Every model is strict about its fields (``extra="forbid"``) so a typo in a stage is an error,
not a silently dropped value. Coordinates are PDF points, origin top-left (pdfplumber's),
pages are 1-based.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from itertools import chain
from typing import Any, Literal, overload

from pydantic import BaseModel, ConfigDict, Field, GetCoreSchemaHandler
from pydantic_core import core_schema

TableKind = Literal[
    "evaluasi_renja", "rencana_program", "pemetaan_perubahan", "analisa_kebutuhan",
    "tujuan_sasaran", "rincian_belanja", "realisasi_anggaran", "other",
]
RowLevel = Literal[
    "urusan", "bidang", "program", "kegiatan", "sub_kegiatan", "indicator", "total",
    "average", "predikat", "section", "other",
]
ColumnType = Literal["int", "code", "text", "qty", "unit", "money", "percent"]
Severity = Literal["error", "warning", "info"]


class Strict(BaseModel):
    # ser_json_inf_nan: a float that is not finite is written NaN / Infinity, as Python's json
    # module writes it (the JSON output was written by it before pydantic's serializer).
    model_config = ConfigDict(extra="forbid", ser_json_inf_nan="constants")


# One set of all its field names per class of SharedFieldsSet (see there).
_ALL_FIELDS: dict[type, set[str]] = {}
# One dict per class of CompactModel that shares its keys with the class's instances (see there).
_SHARED_KEYS_DICTS: dict[type, dict[str, Any]] = {}


def _all_fields(cls: type[BaseModel]) -> set[str]:
    shared = _ALL_FIELDS.get(cls)
    if shared is None:
        shared = _ALL_FIELDS[cls] = set(cls.model_fields)
    return shared


def _shared_keys_dict(cls: type[BaseModel]) -> dict[str, Any]:
    """A dict of ``cls``'s fields (each None) sharing its table of keys with ``cls``'s instances:
    the ``__dict__`` CPython made for an instance given its fields one by one (PEP 412)."""
    model = _SHARED_KEYS_DICTS.get(cls)
    if model is None:
        twin = cls.__new__(cls)  # no dict yet: the first attribute set makes a shared-key one
        for name in cls.model_fields:
            object.__setattr__(twin, name, None)
        model = _SHARED_KEYS_DICTS[cls] = twin.__dict__
    return model


def _set_up(model: BaseModel, values: dict[str, Any]) -> None:
    """Set ``model`` up as pydantic's validation and :meth:`SharedFieldsSet.model_post_init` set up
    an instance of those ``values`` (every field, in the class's order, each already what validating
    it gives): the fast paths of the models a document holds by the ten thousand (BBox, TextLine,
    RawCell, ParsedValue, CellSource), whose other input pydantic validates.

    Validating a model costs about a microsecond more than this, and a document makes some
    150,000 of them. Each fast path takes only values of its fields' exact types (no subclass, no
    conversion), which pydantic returns as they are; ``tests/test_models_compact.py`` holds each
    to the instance pydantic validates (a field added to one of these models must be added to
    its fast path too, or those tests fail)."""
    object.__setattr__(model, "__dict__", values)
    object.__setattr__(model, "__pydantic_fields_set__", _ALL_FIELDS.get(type(model)) or _all_fields(type(model)))
    object.__setattr__(model, "__pydantic_extra__", None)
    object.__setattr__(model, "__pydantic_private__", None)


def _fast_path(init: Any) -> Any:
    """Mark a model's fast-path ``__init__`` (see :func:`_set_up`) as pydantic marks its own base
    ``__init__``: pydantic then validates what it is handed itself (``model_validate``, JSON, a dict
    inside another model), as for a model without an ``__init__`` of its own, instead of calling it."""
    init.__pydantic_base_init__ = True
    return init


class SharedFieldsSet(Strict):
    """A model of which one document holds hundreds of thousands (boxes, text lines, cells,
    cell sources, parsed values) or tens of thousands (rows, findings).

    pydantic gives every instance its own ``model_fields_set`` (a Python set: 216 bytes, 728 from
    five fields on), more than the values themselves cost. Instances of these classes share one
    set of all the class's fields instead: nothing in renjana reads which fields were given
    (no ``exclude_unset``), and assigning a field adds a name the set already holds, so the
    shared set never changes.
    """

    def model_post_init(self, context: Any, /) -> None:
        object.__setattr__(self, "__pydantic_fields_set__", _ALL_FIELDS.get(type(self)) or _all_fields(type(self)))


class CompactModel(SharedFieldsSet):
    """A :class:`SharedFieldsSet` model that a finished document holds one of per cell, row or
    finding until it is written (boxes, cell sources, parsed values, rows, findings), its values
    kept in a key-sharing dict.

    pydantic stores an instance's values in a dict of its own, keys and all (184 bytes for four
    fields, 272 for seven). CPython can share one table of keys among the instances of a class
    (PEP 412), leaving each only its values: about half the size. pydantic's own dict is replaced
    by such a dict: a copy of one made once per class (see :func:`_shared_keys_dict`; copying a
    key-sharing dict keeps sharing), given the instance's values; it behaves as any dict (dumps,
    equality, assignment). Well under a microsecond an instance.
    """

    def model_post_init(self, context: Any, /) -> None:
        # One function (no super() call): pydantic calls it for every box, cell source and value.
        cls = type(self)
        values = (_SHARED_KEYS_DICTS.get(cls) or _shared_keys_dict(cls)).copy()
        values.update(self.__dict__)  # the same keys in the same order: the dict stays key-sharing
        object.__setattr__(self, "__dict__", values)
        object.__setattr__(self, "__pydantic_fields_set__", _ALL_FIELDS.get(cls) or _all_fields(cls))

    def __setstate__(self, state: dict[Any, Any]) -> None:  # unpickled (normalize's first pass)
        super().__setstate__(state)
        self.model_post_init(None)


# A field a fast-path __init__ (see _set_up) was not given: pydantic must say it is missing.
_NOT_GIVEN: Any = object()


class BBox(CompactModel):
    """A box on a page: x0 < x1 left to right, top < bottom top to bottom."""

    x0: float
    top: float
    x1: float
    bottom: float

    @_fast_path
    def __init__(self, /, *, x0: float = _NOT_GIVEN, top: float = _NOT_GIVEN, x1: float = _NOT_GIVEN,
                 bottom: float = _NOT_GIVEN, **other: Any) -> None:
        # Extract makes a box of four floats it computed for every text line and cell (some
        # 50,000 in eight documents), at half of pydantic's cost here: four Python floats are
        # what validating them gives (the same objects; non-finite ones are allowed), and the
        # instance is set up as pydantic and CompactModel.model_post_init set it up. Any other
        # input (an int, a numpy float, a field missing or unknown) is pydantic's to validate.
        if type(x0) is float and type(top) is float and type(x1) is float and type(bottom) is float and not other:
            values = (_SHARED_KEYS_DICTS.get(BBox) or _shared_keys_dict(BBox)).copy()  # as CompactModel's
            values["x0"], values["top"], values["x1"], values["bottom"] = x0, top, x1, bottom
            _set_up(self, values)
            return
        given = {name: value for name, value in (("x0", x0), ("top", top), ("x1", x1), ("bottom", bottom))
                 if value is not _NOT_GIVEN}
        super().__init__(**given, **other)

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    def union(self, other: "BBox") -> "BBox":
        return BBox(x0=min(self.x0, other.x0), top=min(self.top, other.top),
                    x1=max(self.x1, other.x1), bottom=max(self.bottom, other.bottom))


class GlyphEdges(Sequence[tuple[float, float]]):
    """The (left, right) edges of each character of a line, packed in one ``array('d')``.

    Why not a list of float pairs: a long document holds about a million glyphs until normalize
    has read them all, and a list of pairs costs about 110 bytes a glyph (a tuple and two float
    objects) where the packed array costs 16. It reads like the list it replaces: ``edges[i]``
    is an ``(x0, x1)`` tuple, a slice is a list of them; the floats are the same doubles.
    """

    __slots__ = ("_xs",)

    def __init__(self, pairs: Iterable[tuple[float, float]] = ()) -> None:
        self._xs = array("d", list(chain.from_iterable(pairs)))

    @classmethod
    def packed(cls, xs: array) -> "GlyphEdges":
        """Take ``xs`` (x0, x1, x0, x1, …; not copied) as the edges."""
        edges = cls.__new__(cls)
        edges._xs = xs
        return edges

    @classmethod
    def of(cls, value: "GlyphEdges | Iterable[tuple[float, float]]") -> "GlyphEdges":
        return value if isinstance(value, GlyphEdges) else cls(value)

    def __len__(self) -> int:
        return len(self._xs) // 2

    @overload
    def __getitem__(self, index: int) -> tuple[float, float]: ...
    @overload
    def __getitem__(self, index: slice) -> list[tuple[float, float]]: ...

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("glyph index out of range")
        return self._xs[2 * index], self._xs[2 * index + 1]

    def __iter__(self) -> Iterator[tuple[float, float]]:
        xs = iter(self._xs)
        return zip(xs, xs)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, GlyphEdges):
            return self._xs == other._xs
        if isinstance(other, (list, tuple)):
            return list(self) == [tuple(pair) for pair in other]
        return NotImplemented

    def __repr__(self) -> str:
        return f"GlyphEdges({list(self)!r})"

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        # Validated from any sequence of pairs (kept as is when already packed); dumped and
        # described in JSON Schema as the list of pairs it stands for.
        pairs = handler.generate_schema(list[tuple[float, float]])
        return core_schema.no_info_plain_validator_function(
            cls.of, json_schema_input_schema=pairs,
            serialization=core_schema.plain_serializer_function_ser_schema(list, return_schema=pairs))


class TextLine(SharedFieldsSet):
    """One printed line of text inside a cell, as the PDF laid it out.

    ``glyph_x`` holds the left/right edge of each character of ``text`` (a space inserted for a
    gap where the PDF printed no space glyph has zero width), so later stages can reason about
    geometry and tell a printed word space from the gap between two cells.
    ``trailing_space`` says the producer kept a space glyph after the last character, which
    some producers (LibreOffice) do at a word-gap line break and others never do.
    """

    text: str
    bbox: BBox
    font_size: float
    bold: bool = False
    trailing_space: bool = False
    glyph_x: GlyphEdges = Field(default_factory=GlyphEdges, exclude=True, repr=False)
    # Lines read by OCR from a page image: ``source`` "ocr", the engine's ``confidence`` (0-1,
    # the weakest word of the line) and ``repair`` when the number grammar changed the reading.
    source: Literal["pdf", "ocr"] = "pdf"
    confidence: float | None = None
    repair: str | None = None
    # Other readings of the line by a second OCR reader that disagreed (``--ocr-check``).
    alternatives: list[str] = Field(default_factory=list)

    @_fast_path
    def __init__(self, /, *, text: str = _NOT_GIVEN, bbox: BBox = _NOT_GIVEN, font_size: float = _NOT_GIVEN,
                 bold: bool = False, trailing_space: bool = False, glyph_x: GlyphEdges = _NOT_GIVEN,
                 **other: Any) -> None:
        # A line of a PDF's text layer, as extract makes one for every line of every cell (some
        # 30,000 in eight documents): values already of their fields' exact types are what
        # validating them gives (the same objects), so it is set up directly. Any other input
        # (another type, a field missing, an OCR line's fields) is pydantic's to validate.
        if (type(text) is str and type(bbox) is BBox and type(font_size) is float and type(bold) is bool
                and type(trailing_space) is bool and type(glyph_x) is GlyphEdges and not other):
            _set_up(self, {"text": text, "bbox": bbox, "font_size": font_size, "bold": bold,
                           "trailing_space": trailing_space, "glyph_x": glyph_x, "source": "pdf",
                           "confidence": None, "repair": None, "alternatives": []})
            return
        given = {name: value for name, value in (("text", text), ("bbox", bbox), ("font_size", font_size),
                                                 ("glyph_x", glyph_x)) if value is not _NOT_GIVEN}
        super().__init__(**given, bold=bold, trailing_space=trailing_space, **other)


# --------------------------------------------------------------------------- extract output
class RawCell(SharedFieldsSet):
    """A cell of a page table: its grid position, its span, its box and its text lines."""

    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    bbox: BBox
    lines: list[TextLine] = Field(default_factory=list)

    @_fast_path
    def __init__(self, /, *, row: int = _NOT_GIVEN, col: int = _NOT_GIVEN, rowspan: int = 1, colspan: int = 1,
                 bbox: BBox = _NOT_GIVEN, lines: list[TextLine] = _NOT_GIVEN, **other: Any) -> None:
        # A cell as extract's grid makes one, for every cell of every table: values already of
        # their fields' exact types are what validating them gives (``lines`` a new list of the
        # same lines, as pydantic copies a list), so it is set up directly. Any other input is
        # pydantic's to validate.
        if (type(row) is int and type(col) is int and type(rowspan) is int and type(colspan) is int
                and type(bbox) is BBox and type(lines) is list and not other
                and all(type(line) is TextLine for line in lines)):
            _set_up(self, {"row": row, "col": col, "rowspan": rowspan, "colspan": colspan, "bbox": bbox,
                           "lines": list(lines)})
            return
        given = {name: value for name, value in (("row", row), ("col", col), ("bbox", bbox), ("lines", lines))
                 if value is not _NOT_GIVEN}
        super().__init__(**given, rowspan=rowspan, colspan=colspan, **other)

    @property
    def text(self) -> str:
        return " ".join(line.text.strip() for line in self.lines).strip()


class PageTable(Strict):
    """A table (or the piece of one) found on one page.

    ``col_edges``/``row_edges`` are the x and y boundaries of the atomic grid; ``cells`` holds
    one entry per merged region (so a header cell spanning four columns is one cell).

    ``turn`` (degrees: 0, 90, 180, 270) says the table was drawn turned on its page (a landscape
    table drawn sideways on a portrait page whose ``/Rotate`` is 0): its text advances ``turn``
    degrees anticlockwise on the printed page, and it was read on the page turned ``turn`` degrees
    clockwise. All its boxes (table, cells, lines) are then in that upright *virtual* page's
    coordinates (width and height swapped for 90/270), the convention pdfplumber uses for a page
    with ``/Rotate``; ``renjana.extract.orientation.unturn_box`` maps a box back to the printed page.
    Every box lies inside its (virtual) page.
    """

    page: int
    bbox: BBox
    ruled: bool  # True: vertical rules drawn (lattice); False: horizontal rules only
    col_edges: list[float]
    row_edges: list[float]
    cells: list[RawCell]
    caption: str = ""  # text printed just above the table on this page, if any
    turn: int = 0  # degrees the page was turned clockwise to read this table (see above)

    @property
    def n_rows(self) -> int:
        return len(self.row_edges) - 1

    @property
    def n_cols(self) -> int:
        return len(self.col_edges) - 1


class PageText(Strict):
    """Text lines on a page outside any table (headings, captions, cover, footers).

    ``turn``: as :attr:`PageTable.turn`, the frame the page's text was read in (the direction most
    of its glyphs run); the lines' boxes are in that upright virtual page's coordinates.
    """

    page: int
    lines: list[TextLine]
    turn: int = 0


PageStatus = Literal["needs-ocr", "ocr", "text-unreadable", "unreadable"]


class UnreadPage(Strict):
    """A page whose text did not come out of the PDF's text layer as data, and why.

    ``status``: ``needs-ocr`` (no text layer, or an image under an invisible one, and OCR did not
    run), ``ocr`` (read by OCR: its cells carry OCR confidences), ``text-unreadable`` (a text layer
    that fails the health check, e.g. fonts without a Unicode map: nothing emitted as data),
    ``unreadable`` (the PDF library could not read the page at all, or only part of it: its
    content stream cut short or not decoding whole, or nothing at all on the page of a damaged
    file; what was read of it stays in the tables). ``reason`` says it in plain
    words. The batch manifest counts a document with any page other than ``ocr`` here as not fully
    read.
    """

    page: int
    status: PageStatus
    reason: str


class ExtractedDocument(Strict):
    file: str
    path: str
    sha256: str
    pages: int
    page_sizes: list[tuple[float, float]] = Field(default_factory=list)
    tables: list[PageTable] = Field(default_factory=list)
    text: list[PageText] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)  # e.g. "page 3: no text layer: needs OCR"
    unread_pages: list[UnreadPage] = Field(default_factory=list)
    # Pages on which the reader found nothing at all (no glyph, rule, fill or image): blank in a
    # sound file; in a damaged one their content was probably lost (the pipeline says so).
    empty_pages: list[int] = Field(default_factory=list)


# --------------------------------------------------------------------------- normalize output
class ParsedValue(CompactModel):
    """What a cell means as a number. ``number`` is None when nothing parseable is printed;
    ``reason`` then says why (``empty``, ``nil`` for '-', ``lost`` for '###', ``text``)."""

    number: Decimal | None = None
    unit: str | None = None
    decimals: int | None = None  # digits printed after the decimal separator
    reason: str | None = None

    @_fast_path
    def __init__(self, /, *, number: Decimal | None = None, unit: str | None = None, decimals: int | None = None,
                 reason: str | None = None, **other: Any) -> None:
        # Normalize parses one of every numeric cell: values already of their fields' exact types
        # are what validating them gives (the same objects; pydantic refuses a Decimal that is
        # not finite), so it is set up directly. Any other input is pydantic's to validate.
        if ((number is None or type(number) is Decimal and number.is_finite()) and (unit is None or type(unit) is str)
                and (decimals is None or type(decimals) is int) and (reason is None or type(reason) is str)
                and not other):
            values = (_SHARED_KEYS_DICTS.get(ParsedValue) or _shared_keys_dict(ParsedValue)).copy()
            values["number"], values["unit"], values["decimals"], values["reason"] = number, unit, decimals, reason
            _set_up(self, values)
            return
        super().__init__(number=number, unit=unit, decimals=decimals, reason=reason, **other)


class CellSource(CompactModel):
    """Where a cell's text came from: its box, page, the raw lines, and how sure the repair is."""

    page: int
    bbox: BBox | None = None
    lines: list[str] = Field(default_factory=list)
    confidence: float = 1.0
    repair: str | None = None  # short note of what the repair changed and why it is unsure
    source: Literal["pdf", "ocr"] = "pdf"  # "ocr": read from the page image (confidence: OCR's)
    # OCR cells: the cell as a second reader read it, where it disagreed (``--ocr-check``); the
    # text above stays the first reader's. None when no second reader disagreed.
    alternatives: list[str] | None = None

    @_fast_path
    def __init__(self, /, *, page: int = _NOT_GIVEN, bbox: BBox | None = None, lines: list[str] = _NOT_GIVEN,
                 confidence: float = 1.0, repair: str | None = None, source: str = "pdf",
                 alternatives: list[str] | None = None, **other: Any) -> None:
        # Normalize finishes every cell with one: values already of their fields' exact types are
        # what validating them gives (``lines`` a new list of the same texts, as pydantic copies
        # a list), so it is set up directly. Any other input (an OCR cell's alternatives
        # too) is pydantic's to validate.
        if (type(page) is int and (bbox is None or type(bbox) is BBox) and type(confidence) is float
                and (repair is None or type(repair) is str) and type(source) is str and source in ("pdf", "ocr")
                and alternatives is None and not other
                and (lines is _NOT_GIVEN or type(lines) is list and all(type(text) is str for text in lines))):
            values = (_SHARED_KEYS_DICTS.get(CellSource) or _shared_keys_dict(CellSource)).copy()
            values["page"], values["bbox"], values["confidence"] = page, bbox, confidence
            values["lines"] = [] if lines is _NOT_GIVEN else list(lines)
            values["repair"], values["source"], values["alternatives"] = repair, source, None
            _set_up(self, values)
            return
        given = {name: value for name, value in (("page", page), ("lines", lines)) if value is not _NOT_GIVEN}
        super().__init__(**given, bbox=bbox, confidence=confidence, repair=repair, source=source,
                         alternatives=alternatives, **other)


class Column(Strict):
    key: str
    label: str
    type: ColumnType


class HeaderCell(Strict):
    text: str
    colspan: int = 1
    rowspan: int = 1


class Row(CompactModel):
    cells: list[str]
    level: RowLevel = "other"
    kode: str | None = None
    page: int
    parent: int | None = None  # index of the parent row in the same table
    level_source: str | None = None
    """How ``level`` was decided: the evidence that settled it, e.g. ``code:permendagri90+words``
    (the kode's depth in the inferred code grammar, confirmed by the name's level word),
    ``words`` (a level word opening the name), ``label:total``, ``account:has children``,
    ``nomenclature``, ``order: …`` (row order overrode the code), ``…; words say X`` (a conflict)."""
    level_confidence: float = 1.0
    """How sure the level is, 0–1: 1 when all evidence agrees, about 0.9 for one clear piece
    (a kode or a level word), 0.6 when kode and words disagree, 0.5 for typography alone."""
    values: dict[str, ParsedValue] = Field(default_factory=dict)
    sources: list[CellSource] = Field(default_factory=list)


class Relation(Strict):
    """Arithmetic a table's column-number row declares between its columns (keys).

    ``kind="sum"``: ``column = Σ plus − Σ minus`` (``12 = 8+9+10+11``, ``8 = (7-5)``);
    ``kind="ratio"``: ``column = numerator / denominator × scale`` (``13 = 12/7 x 100%``,
    scale 100). ``printed``: the formula as the header prints it (column numbers).
    """
    column: str
    kind: Literal["sum", "ratio"]
    plus: list[str] = Field(default_factory=list)
    minus: list[str] = Field(default_factory=list)
    numerator: str | None = None
    denominator: str | None = None
    scale: int = 1
    printed: str = ""


class Table(Strict):
    """One logical table. ``relations``: the arithmetic its number row declares;
    ``key_collisions``: column keys that two or more columns would have shared (each got a
    numbered key; rules must not read them); ``notes``: what normalize could not settle."""
    id: str
    kind: TableKind = "other"
    caption: str = ""
    pages: list[int]
    header: list[list[HeaderCell]] = Field(default_factory=list)
    column_numbers: list[str] = Field(default_factory=list)
    columns: list[Column]
    rows: list[Row] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)
    key_collisions: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)

    def column_index(self, key: str) -> int | None:
        for i, column in enumerate(self.columns):
            if column.key == key:
                return i
        return None


class DocumentMeta(Strict):
    region: str | None = None
    province: str | None = None
    dinas: str | None = None
    year: int | None = None
    title: str | None = None


class Source(Strict):
    file: str
    sha256: str
    pages: int
    # Pages not read from the text layer as data (see UnreadPage); empty when every page was read.
    unread_pages: list[UnreadPage] = Field(default_factory=list)
    # Why what was read may be incomplete though every page was read (e.g. "the file is truncated"),
    # None for an intact file. A damaged file is reported "partial" by the batch.
    damaged: str | None = None


class Finding(CompactModel):
    rule: str
    severity: Severity
    table: str
    row: int | None = None
    column: str | None = None
    message: str
    printed: str | None = None
    expected: str | None = None
    page: int | None = None
    bbox: BBox | None = None


class ContextItem(Strict):
    """One line of a "label : value" block printed beside the tables (not a table): the label
    and the value as printed (a wrapped value joined with spaces), and its page."""

    page: int
    label: str
    value: str


class NormalizedDocument(Strict):
    source: Source
    document: DocumentMeta
    tables: list[Table] = Field(default_factory=list)
    context: list[ContextItem] = Field(default_factory=list)  # "label : value" blocks (SIPD sheets)
    notes: list[str] = Field(default_factory=list)


class DocumentResult(NormalizedDocument):
    """The contract document (``shared/corpus/CONTRACT.md``): normalized tables plus findings."""

    findings: list[Finding] = Field(default_factory=list)
    # The document's key in an output folder (``<stem>-<sha12>``, see renjana.hashing), the same
    # as on its records and in the manifest; last, so a rename can rewrite it at the file's end.
    document_id: str | None = None


def json_schemas() -> dict[str, dict]:
    """JSON Schema of the models a user of the output reads."""
    return {
        "DocumentResult": DocumentResult.model_json_schema(),
        "ExtractedDocument": ExtractedDocument.model_json_schema(),
    }
