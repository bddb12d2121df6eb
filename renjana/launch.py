"""The ``renjana`` command's entry point: loads the CLI and says in plain words when it cannot.

Loading the CLI maps the shared libraries of its dependencies (duckdb, pyarrow, pdfium, OpenCV);
under an address-space limit (``ulimit -v``) smaller than that, the import fails with a loader
message ("failed to map segment from shared object") that does not say what to do.
"""

from __future__ import annotations

import errno
import resource
import sys

EXIT_CANNOT_START = 1

# What the loader or Python says when the address space is too small for a library.
_NO_MEMORY_WORDS = ("failed to map segment", "cannot allocate memory", "out of memory")


def main() -> None:
    """Run the CLI (:data:`renjana.cli.app`); exits with :data:`EXIT_CANNOT_START` and a plain
    message when its libraries cannot be loaded for lack of memory. Other errors are raised."""
    try:
        from renjana.cli import app
    except (ImportError, MemoryError, OSError) as exc:
        if not _lack_of_memory(exc):
            raise
        print(f"renjana: cannot start: not enough memory to load its libraries{_limit()}. "
              "Raise the limit (ulimit -v) or run without one.", file=sys.stderr)
        sys.exit(EXIT_CANNOT_START)
    app()


def _lack_of_memory(exc: BaseException) -> bool:
    return (isinstance(exc, MemoryError) or (isinstance(exc, OSError) and exc.errno == errno.ENOMEM)
            or any(word in str(exc).lower() for word in _NO_MEMORY_WORDS))


def _limit() -> str:
    soft, _hard = resource.getrlimit(resource.RLIMIT_AS)
    return "" if soft == resource.RLIM_INFINITY else f" (this shell allows {soft >> 20} MiB of address space)"
