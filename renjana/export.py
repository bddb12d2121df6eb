"""CSV copies of the tables, for users who work in spreadsheets.

Per document: each ``<stem>.<kind>.parquet`` beside the JSON gets a ``<stem>.<kind>.csv``
(``renjana run --csv``: written by the worker with the document's other files, so the manifest
lists them; never inside ``OUT/dataset/``, whose partition folders hold Parquet parts only). Pooled: every view of the dataset's database but the ``<kind>_leaf`` ones (their
kind's CSV filtered on ``is_leaf``) as ``OUT/csv/<view>.csv`` (``renjana dataset --csv``). UTF-8 with a byte-order mark, so spreadsheet programs read the
Indonesian text right; numbers (``__value`` columns) with a point as decimal separator.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from renjana.emit import atomic_path

__all__ = ["CSV_DIR", "CSV_ENCODING", "csv_beside", "export_views"]

CSV_DIR = "csv"
# The byte-order mark tells spreadsheet programs the file is UTF-8 (without it some read cp1252).
CSV_ENCODING = "utf-8-sig"


def csv_beside(parquet_paths: Iterable[str | Path]) -> list[Path]:
    """A CSV beside each Parquet file given (same name, ``.csv``); other paths are ignored.
    Returns the CSVs written."""
    written = []
    for path in map(Path, parquet_paths):
        if path.suffix != ".parquet":
            continue
        target = path.with_suffix(".csv")
        with atomic_path(target) as tmp:
            pq.read_table(path).to_pandas().to_csv(tmp, index=False, encoding=CSV_ENCODING)
        written.append(target)
    return written


def export_views(database: Path, views: Iterable[str], out_dir: Path) -> list[Path]:
    """Each named view of ``database`` as ``out_dir/<view>.csv``; returns the CSVs written.
    Raises duckdb.Error when a view cannot be read."""
    written = []
    with duckdb.connect(str(database), read_only=True) as con:
        for view in views:
            target = Path(out_dir) / f"{view}.csv"
            with atomic_path(target) as tmp:
                con.execute(f'SELECT * FROM "{view}"').df().to_csv(tmp, index=False,
                                                                   encoding=CSV_ENCODING)
            written.append(target)
    return written
