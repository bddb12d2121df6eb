#!/usr/bin/env python
"""Table extraction speed and memory: renjana against pdfplumber and camelot.

    python3 benchmarks/bench_extract.py                      # born-digital PDFs of the corpus
    python3 benchmarks/bench_extract.py a.pdf some/folder/   # given PDFs and folders
    python3 benchmarks/bench_extract.py --tools renjana,camelot-stream --json figures.json

Each tool runs in its own freshly spawned process, so its peak RSS (``ru_maxrss``) is its own:
the interpreter, the tool's imports and the extraction of every file, and nothing else.
Wall seconds cover the extraction loop only (imports excluded). "tables" is each tool's own
count of page tables; the tools split tables differently, so it is no measure of correctness.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import multiprocessing as mp
import os
import platform
import resource
import sys
import time
import warnings
from importlib import metadata
from pathlib import Path

CORPUS = Path("/work/shared/corpus/pdf")
SKIP_MARK = "scan"  # image-only PDFs: no text layer, nothing for these tools to extract
DEFAULT_TOOLS = "renjana,pdfplumber,camelot"
# "camelot" stands for both lattice runs; each name may also be given on its own.
TOOL_GROUPS = {"camelot": ["camelot-lattice", "camelot-vector"]}
KNOWN_TOOLS = ["renjana", "pdfplumber", "camelot-lattice", "camelot-vector", "camelot-stream"]
CAMELOT_DIST = "camelot-py"
KIB_PER_MIB = 1024  # ru_maxrss is in KiB on Linux
# Lattice options printed with their values (defaults included) to say what camelot ran.
LATTICE_SHOWN = ("engine", "backend", "resolution")


# --------------------------------------------------------------------------- runners (in the child)
def _renjana_runner():
    from renjana.extract import extract_document

    def run(path: Path) -> int:
        return len(extract_document(path).tables)

    return run, "renjana.extract.extract_document(path)"


def _pdfplumber_runner():
    import pdfplumber

    def run(path: Path) -> int:
        found = 0
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                for table in page.find_tables():
                    table.extract()
                    found += 1
                page.close()
        return found

    return run, f"pdfplumber {metadata.version('pdfplumber')}: page.find_tables() + table.extract()"


def _camelot_runner(flavor: str, **options):
    import inspect

    import camelot
    from camelot.parsers import Lattice

    lattice = inspect.signature(Lattice.__init__).parameters
    missing = [name for name in options if flavor == "lattice" and name not in lattice]
    if missing:
        return None, f"camelot {camelot.__version__}: lattice has no {', '.join(missing)}= option"

    def run(path: Path) -> int:
        return camelot.read_pdf(str(path), pages="all", flavor=flavor, **options).n

    shown = dict(options)
    if flavor == "lattice":  # name the defaults too, so the output says exactly what ran
        shown = {name: lattice[name].default for name in LATTICE_SHOWN if name in lattice} | options
        if shown.get("engine") == "vector":  # no page is rendered: backend and resolution unused
            shown = {"engine": "vector"}
    shown_text = "".join(f", {k}={v!r}" for k, v in shown.items())
    return run, f"camelot {camelot.__version__}: read_pdf(pages='all', flavor={flavor!r}{shown_text})"


RUNNERS = {
    "renjana": _renjana_runner,
    "pdfplumber": _pdfplumber_runner,
    # lattice defaults: render each page with pdfium, find rules with OpenCV, add vector rules
    "camelot-lattice": lambda: _camelot_runner("lattice", backend="pdfium"),
    # render-free lattice: rules read straight from the PDF's vector graphics
    "camelot-vector": lambda: _camelot_runner("lattice", engine="vector"),
    "camelot-stream": lambda: _camelot_runner("stream"),
}


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / KIB_PER_MIB


def _measure(tool: str, files: list[str], conn) -> None:
    """Child process: import the tool, extract every file, send the figures back."""
    warnings.simplefilter("ignore")  # camelot warns on every page without a table
    run, what = RUNNERS[tool]()
    result = {"tool": tool, "what": what, "rss_after_import_mib": _peak_mib()}
    if run is None:
        conn.send(result | {"skipped": what})
        return
    tables, errors, peaks = 0, [], []
    start = time.perf_counter()
    for path in files:
        try:
            tables += run(Path(path))
        except Exception as exc:  # one broken file must not end the run
            errors.append(f"{Path(path).name}: {type(exc).__name__}: {exc}")
        peaks.append(round(_peak_mib(), 1))  # peak so far: flat when memory does not pile up
    result |= {"wall_s": time.perf_counter() - start, "tables": tables, "errors": errors,
               "rss_first_file_mib": peaks[0], "rss_peak_mib": peaks[-1], "rss_peak_after_each_mib": peaks}
    conn.send(result)


# --------------------------------------------------------------------------- parent
def pdf_files(args: list[str]) -> list[Path]:
    if not args:
        return sorted(p for p in CORPUS.glob("*.pdf") if SKIP_MARK not in p.name)
    found: list[Path] = []
    for arg in map(Path, args):
        if not arg.exists():
            sys.exit(f"no such file or folder: {arg}")
        found.extend(sorted(arg.glob("*.pdf")) if arg.is_dir() else [arg])
    return found


def page_count(path: Path) -> int:
    import pypdfium2

    with pypdfium2.PdfDocument(str(path)) as pdf:
        return len(pdf)


def chosen_tools(spec: str) -> list[str]:
    tools: list[str] = []
    for name in (n.strip() for n in spec.split(",") if n.strip()):
        for tool in TOOL_GROUPS.get(name, [name]):
            if tool not in KNOWN_TOOLS:
                sys.exit(f"unknown tool {tool!r}; choose from {', '.join(KNOWN_TOOLS + list(TOOL_GROUPS))}")
            if tool not in tools:
                tools.append(tool)
    return tools


def run_tool(tool: str, files: list[Path], repeat: int) -> dict:
    """The fastest of ``repeat`` runs, each in a fresh process; every wall time is kept."""
    runs = [run_once(tool, files) for _ in range(repeat)]
    done = [r for r in runs if "skipped" not in r]
    if not done:
        return runs[0]
    return min(done, key=lambda r: r["wall_s"]) | {"wall_s_runs": [round(r["wall_s"], 2) for r in done]}


def run_once(tool: str, files: list[Path]) -> dict:
    if tool.startswith("camelot") and importlib.util.find_spec("camelot") is None:
        return {"tool": tool, "skipped": "not installed (pip install camelot-py opencv-python-headless)"}
    ctx = mp.get_context("spawn")  # a fresh interpreter: nothing inherited from this process
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_measure, args=(tool, [str(f) for f in files], send))
    child.start()
    send.close()
    try:
        result = receive.recv()
    except EOFError:
        result = {"tool": tool, "skipped": "child process died"}
    child.join()
    if child.exitcode:
        result.setdefault("skipped", f"child exit code {child.exitcode}")
    return result


def print_table(results: list[dict], pages: int, n_files: int) -> None:
    head = ("tool", "files", "pages", "tables", "wall s", "pages/s", "RSS 1st file MiB", "peak RSS MiB")
    rows = []
    for r in results:
        if "skipped" in r:
            rows.append((r["tool"], "-", "-", "-", "-", "-", "-", r["skipped"]))
            continue
        rows.append((r["tool"], str(n_files), str(pages), str(r["tables"]), f"{r['wall_s']:.1f}",
                     f"{pages / r['wall_s']:.1f}", f"{r['rss_first_file_mib']:.0f}", f"{r['rss_peak_mib']:.0f}"))
    widths = [max(len(row[i]) for row in [head, *rows]) for i in range(len(head))]
    for row in [head, ["-" * w for w in widths], *rows]:
        print("  ".join(cell.ljust(w) if i == 0 else cell.rjust(w)
                        for i, (cell, w) in enumerate(zip(row, widths))).rstrip())
    print()
    for r in results:
        if "what" in r:
            print(f"  {r['tool']}: {r['what']}")
        for error in r.get("errors", []):
            print(f"    error: {error}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help=f"PDFs or folders (default: {CORPUS}, without *{SKIP_MARK}*)")
    parser.add_argument("--tools", default=DEFAULT_TOOLS,
                        help=f"comma-separated, from {', '.join(KNOWN_TOOLS + list(TOOL_GROUPS))} "
                             f"(default: {DEFAULT_TOOLS})")
    parser.add_argument("--repeat", type=int, default=1, help="runs per tool; the fastest is shown")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    repeat = max(1, args.repeat)

    files = pdf_files(args.paths)
    if not files:
        sys.exit("no PDF files found")
    pages_each = [page_count(f) for f in files]
    pages = sum(pages_each)
    camelot = metadata.version(CAMELOT_DIST) if importlib.util.find_spec("camelot") else "not installed"
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    print(f"{dt.date.today()}  {machine}  camelot-py {camelot}")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"{len(files)} files, {pages} pages; each tool in its own spawned process, fastest of "
          f"{repeat} run(s); load average at start {load}\n")

    results = [run_tool(tool, files, repeat) for tool in chosen_tools(args.tools)]
    print_table(results, pages, len(files))

    renjana = next((r for r in results if r["tool"] == "renjana" and "skipped" not in r), None)
    if renjana:
        print(f"\nrenjana memory flatness: peak RSS {renjana['rss_first_file_mib']:.0f} MiB after the first "
              f"file ({pages_each[0]} pages), {renjana['rss_peak_mib']:.0f} MiB after all {len(files)} "
              f"files ({pages} pages); {renjana['rss_after_import_mib']:.0f} MiB after imports")
        peaks = renjana["rss_peak_after_each_mib"]
        print(f"  the highest peak is first reached on {files[peaks.index(max(peaks))].name}")
    if args.json:
        figures = {"date": str(dt.date.today()), "machine": machine, "camelot_py": camelot, "repeat": repeat,
                   "files": [{"file": str(f), "pages": n} for f, n in zip(files, pages_each)],
                   "pages": pages, "results": results}
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
        print(f"figures written to {args.json}")


if __name__ == "__main__":
    main()
