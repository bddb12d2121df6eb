"""Free memory handed back to the operating system between the stages of one file.

Python frees a large object (a PDF's image or content stream, a page table's pickled bytes, a
list of many items) to the C library's heap. glibc's ``malloc`` keeps such freed space for later
use and returns only the free space at the very top of its heap: the rest still counts in the
process's resident memory. A long document leaves a lot of it behind (the 700-page test file
with an image under each page: about 130 MiB after extract), which the next stages, whose many
small objects Python takes from memory of its own, cannot use. ``malloc_trim`` returns every
free page of the heap.
"""

from __future__ import annotations

import ctypes
from functools import lru_cache

__all__ = ["release_free_memory"]


@lru_cache(maxsize=1)
def _malloc_trim():
    """glibc's ``malloc_trim``, or None where the C library has none (macOS, musl, Windows)."""
    try:
        trim = ctypes.CDLL(None).malloc_trim  # the symbols the process has loaded: its C library's
    except (OSError, AttributeError, TypeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def release_free_memory() -> None:
    """Return the C heap's free pages to the operating system (a millisecond or less; nothing
    where the C library cannot)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
