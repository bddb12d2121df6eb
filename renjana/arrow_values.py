"""pyarrow set to convert plain Python values without importing pandas.

The first time pyarrow converts Python values (``pa.array``, ``Table.from_pylist``) it imports
pandas, if installed, to tell pandas objects apart from plain ones: about 40 MiB of resident
memory and a few tenths of a CPU second in every process that writes records, at the end of a
file's processing when the document is still held (the whole job's peak). renjana hands pyarrow
only lists of Python values. :func:`convert_without_pandas` makes pyarrow's first conversion
while pandas cannot be imported: pyarrow then remembers that it has no pandas and treats every
input as plain values. pandas itself stays importable: ``Table.to_pandas`` (CSV export) imports
it as it always does, and pyarrow knows pandas objects again from then on. Where pandas was
imported already, nothing changes.
"""

from __future__ import annotations

import sys
import threading

import pyarrow as pa

__all__ = ["convert_without_pandas"]

_HIDDEN = "pandas"
_done = threading.Lock()


class _HidePandas:
    """An import finder that answers ImportError for pandas, in the thread that put it in place."""

    def __init__(self) -> None:
        self.thread = threading.get_ident()

    def find_spec(self, name: str, path=None, target=None):
        if threading.get_ident() == self.thread and name.partition(".")[0] == _HIDDEN:
            raise ImportError(f"{_HIDDEN} hidden while pyarrow makes its first conversion")
        return None  # any other module: the next finder's


def convert_without_pandas() -> None:
    """pyarrow's first conversion of Python values made with pandas hidden (see the module's
    docstring); nothing where pandas is imported already."""
    with _done:
        if _HIDDEN in sys.modules:
            return
        finder = _HidePandas()
        sys.meta_path.insert(0, finder)
        try:
            pa.array([None])  # a value: both the Python shim and the C++ converter ask for pandas once
        finally:
            sys.meta_path.remove(finder)
