"""Stage 2, normalize: page tables → logical tables with leaf columns, repaired cell text,
parsed numbers, row levels and the kode tree, plus the document's metadata."""

from __future__ import annotations

from itertools import chain, islice

from renjana.models import (
    BBox, CellSource, ExtractedDocument, NormalizedDocument, RawCell, Row, Source, Table, TextLine,
)

from .cell_text import JoinContext, join_lines
from .context import context_blocks
from .columns import assign_columns
from .first_pass import FirstPass
from .header import header_tail, leaf_labels, printed_header
from .kinds import table_kind
from .relations import numbers_from_labels, relations, split_fused
from .hierarchy import assign_levels
from .metadata import extract_metadata
from .numbers import parse_value
from .ocr_words import repair_words
from .stitch import DraftCell, LogicalTable, build_logical

__all__ = ["normalize_document", "FirstPass"]

# A cell whose words were repaired from the lexicon (normalize/ocr_words.py) is this sure at most.
OCR_WORD_CONFIDENCE = 0.8
# Body rows sampled per column to tell values from units.
SAMPLE_ROWS = 12
# The first body rows read for the end of the header (a K/Rp row, wrapped formulas).
HEADER_TAIL_ROWS = 4


def normalize_document(doc: ExtractedDocument, first_pass: FirstPass | None = None) -> NormalizedDocument:
    """The logical tables, metadata and context of ``doc``.

    ``first_pass``: the document's page tables, already read by a :class:`FirstPass` as extract
    handed them over (``extract_document(path, on_table=first_pass.add)``, which leaves
    ``doc.tables`` empty); each logical table is then read back and normalized one at a time.
    None: the page tables are ``doc.tables``.
    """
    if first_pass is None:
        first_pass = FirstPass(live_pages=None)
        for table in doc.tables:
            first_pass.add(table)
    ctx = first_pass.join_context(doc.text)
    tables: list[Table] = []
    for pieces in first_pass.logical_tables():
        logical = build_logical(pieces, first_pass.known_cells)
        table = _table(logical, f"t{len(tables) + 1}", ctx)
        if table.rows:
            tables.append(table)
    cover = [line.text for page in doc.text[:1] for line in page.lines]
    # Running text wraps a long name over lines: each page is matched as one text.
    body = [" ".join(line.text for line in page.lines) for page in doc.text[1:4]]
    meta = extract_metadata(cover, [t.caption for t in tables], body)
    return NormalizedDocument(
        source=Source(file=doc.file, sha256=doc.sha256, pages=doc.pages, unread_pages=doc.unread_pages),
        document=meta, tables=tables, context=context_blocks(doc.text), notes=list(doc.notes),
    )


def _cell_text(cell: RawCell, ctx: JoinContext) -> str:
    return join_lines(cell.lines, cell.bbox, ctx).text


def _table(logical: LogicalTable, table_id: str, ctx: JoinContext) -> Table:
    """The logical table normalized. Its body rows are read (and their pieces read back) as they
    are finished: only the first rows wait, until the columns are known."""
    first = logical.first
    depth = logical.depth
    text_of = lambda cell: _cell_text(cell, ctx)  # noqa: E731
    stacks, numbers = leaf_labels(first, depth, text_of)
    header = printed_header(first, depth, text_of)
    head = list(islice(logical.rows, HEADER_TAIL_ROWS))
    tail = header_tail([[" ".join(l.text for l in c.lines) for c in d.cells] for d in head], stacks, numbers)
    drafts = chain(head[tail:], logical.rows)
    if tail:
        repeated = [d.texts() for d in head[:tail]]
        drafts = (d for d in drafts if d.texts() not in repeated)
    if not any(n.strip() for n in numbers) and (found := numbers_from_labels(stacks)):
        stacks, numbers = found
    numbers = split_fused(numbers)
    sampled = list(islice(drafts, SAMPLE_ROWS))
    samples = [[" ".join(l.text for l in row.cells[i].lines) for row in sampled] for i in range(first.n_cols)]
    columns, collisions, _roles = assign_columns(stacks, samples, numbers)
    header_text = " ".join(text for stack in stacks for text in stack)
    kind = table_kind(first.caption, header_text, [c.key for c in columns])
    notes = [f"columns {', '.join(collisions)}: their header paths give the same roles; "
             "rules do not read them"] if collisions else []
    rows: list[Row] = []
    for draft in chain(sampled, drafts):
        texts, sources = [], []
        for cell in draft.cells:
            text, source = _finish_cell(cell, ctx)
            texts.append(text)
            sources.append(source)
        values = {col.key: parse_value(text, col.type) for col, text in zip(columns, texts)
                  if col.type in ("int", "qty", "money", "percent")}
        rows.append(Row(cells=texts, page=draft.page, values=values, sources=sources))
    assign_levels(rows, [c.key for c in columns], kind)
    return Table(id=table_id, kind=kind, caption=" ".join(first.caption.split()),
                 pages=sorted(set(logical.pages)), header=header,
                 column_numbers=numbers, columns=columns, rows=rows,
                 relations=relations(numbers, [c.key for c in columns]),
                 key_collisions=collisions, notes=notes)


def _finish_cell(cell: DraftCell, ctx: JoinContext) -> tuple[str, CellSource]:
    lines = cell.lines + cell.tail_lines
    if not lines:
        return "", CellSource(page=cell.page, bbox=cell.bbox)
    bbox = cell.bbox or cell.tail_bbox or BBox(x0=0, top=0, x1=0, bottom=0)
    joined = join_lines(lines, bbox, ctx)
    repair = "; ".join(joined.notes) or None
    if cell.tail_lines:
        repair = "; ".join(filter(None, [f"row continues on page {cell.tail_page}", repair]))
    confidence = joined.confidence
    ocr = [line for line in lines if line.source == "ocr"]
    if ocr:  # read from a page image: the engine's confidence and the grammar's repairs count too
        confidence = min([confidence] + [line.confidence for line in ocr if line.confidence is not None])
        joined.text, word_notes = repair_words(joined.text, ctx.ocr_trusted)
        if word_notes:
            confidence = min(confidence, OCR_WORD_CONFIDENCE)
        repair = "; ".join(filter(None, [repair, *(line.repair for line in ocr), *word_notes])) or None
    return joined.text, CellSource(
        page=cell.page, bbox=cell.bbox, lines=[line.text for line in lines],
        confidence=round(confidence, 3),
        repair=repair if confidence < 1 or cell.tail_lines or ocr else None,
        source="ocr" if ocr else "pdf",
        alternatives=_alternatives(lines) if any(line.alternatives for line in ocr) else None,
    )


def _alternatives(lines: list[TextLine]) -> list[str]:
    """The other readings of the cell a second OCR reader gave (each a whole-cell reading)."""
    return [alt for line in lines for alt in line.alternatives]
