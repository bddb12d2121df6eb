#!/usr/bin/env python
"""Table structure: renjana against camelot's flavours and pdfplumber, scored on the truth.

    python3 benchmarks/compare_tools.py                         # corpus (born-digital) and cases, every tool
    python3 benchmarks/compare_tools.py --folders cases --tools renjana,camelot-network
    python3 benchmarks/compare_tools.py --score-only            # re-score the outputs already in --out

Every tool reads every PDF of a folder once, in one spawned worker process per tool (tools run
one after the other: the machine is shared). A file that takes a tool longer than --timeout
seconds ends that worker; the file is listed as skipped for that tool (the scorer then counts it
as missing) and a fresh worker goes on with the next file.

Each tool's tables are written as contract documents (shared/corpus/CONTRACT.md) and scored with
shared/tools/renja_score.py. renjana writes its own document (``renjana.pipeline.process_file``).
For the other tools, a table is its rows as the tool printed them, each cell the tool's text with
newlines replaced by spaces; rows whose cells are all empty are dropped; and pages are stacked as
a user would: a table that is the first on its page continues the last table of the previous page
when both have the same column count, and the continuation's leading rows that repeat one of the
first piece's top rows (the repeated header) are dropped. These tables carry no column keys, kinds
or levels, so only tables found, cell and row accuracy compare across tools. Each folder is also
scored with every whitespace removed from truth and output cells ("cells spaces aside"): that
measures the cell boxes alone, whatever each tool does to join a cell's text lines.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import inspect
import json
import multiprocessing as mp
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from importlib import metadata
from pathlib import Path

SHARED = Path("/work/shared")
SCORER = SHARED / "tools" / "renja_score.py"
FOLDERS = {  # name -> (PDF folder, truth folder)
    "corpus": (SHARED / "corpus" / "pdf", SHARED / "corpus" / "truth"),
    "cases": (SHARED / "cases" / "pdf", SHARED / "cases" / "truth"),
}
DEFAULT_OUT = Path("/tmp/compare_tools")
DEFAULT_TIMEOUT_S = 120.0  # one tool on one file; past this the file is skipped for that tool
WORKER_START_S = 120.0  # a worker's imports (camelot pulls in OpenCV) must finish within this
HEADER_ROWS_MAX = 10  # a continuation's leading rows are compared with this many top rows of the first piece
CAMELOT = "camelot"
CAMELOT_FLAVOURS = {  # tool -> read_pdf options; a flavour the installed camelot lacks is skipped
    "camelot-lattice": {"flavor": "lattice"},  # default: engine="combined", backend="pdfium"
    "camelot-vector": {"flavor": "lattice", "engine": "vector"},  # rules from the PDF's vector graphics only
    "camelot-stream": {"flavor": "stream"},
    "camelot-network": {"flavor": "network"},
    "camelot-hybrid": {"flavor": "hybrid"},
    "camelot-auto": {"flavor": "auto"},  # lattice or network, chosen per page from its ruled lines
}
# "ml" needs Table Transformer weights from a model hub, which this machine cannot reach.
CAMELOT_NOT_RUN = {"ml": "needs Table Transformer weights from the HuggingFace hub (no network here)"}
PDFPLUMBER_TEXT = {"vertical_strategy": "text", "horizontal_strategy": "text"}
TOOLS = ["renjana", "pdfplumber", "pdfplumber-text", *CAMELOT_FLAVOURS]


# --------------------------------------------------------------------------- extractors (in the worker)
def _cell(text) -> str:
    return " ".join(str(text or "").replace("\n", " ").split())


def _renjana_extractor():
    from renjana.pipeline import process_file

    def run(path: Path) -> dict:
        return {"document": process_file(path).model_dump(mode="json")}

    return run, "renjana.pipeline.process_file(path)"


def _pdfplumber_extractor(settings: dict | None):
    import pdfplumber

    def run(path: Path) -> dict:
        pieces = []
        with pdfplumber.open(path) as pdf:
            for number, page in enumerate(pdf.pages, 1):
                for table in page.find_tables(settings or {}):
                    pieces.append({"page": number, "rows": [[_cell(c) for c in row] for row in table.extract()]})
                page.close()
        return {"pieces": pieces}

    shown = f"page.find_tables({settings})" if settings else "page.find_tables()"
    return run, f"pdfplumber {metadata.version('pdfplumber')}: {shown} + table.extract()"


def camelot_offers(options: dict) -> str | None:
    """None when the installed camelot takes these read_pdf options, else why not."""
    import camelot
    from camelot import handlers
    from camelot.parsers import Lattice

    flavor = options["flavor"]
    if flavor != "auto" and flavor not in handlers.PARSERS:
        return f"camelot {camelot.__version__} has no flavor {flavor!r}"
    if flavor == "auto" and "'auto'" not in (camelot.read_pdf.__doc__ or ""):
        return f"camelot {camelot.__version__} has no flavor 'auto'"
    lattice = inspect.signature(Lattice.__init__).parameters
    extra = [k for k in options if k != "flavor" and flavor == "lattice" and k not in lattice]
    return f"camelot {camelot.__version__}: lattice has no {', '.join(extra)}= option" if extra else None


def _camelot_extractor(options: dict):
    import camelot

    def run(path: Path) -> dict:
        tables = camelot.read_pdf(str(path), pages="all", suppress_stdout=True, **options)
        pieces = [{"page": int(t.page), "rows": [[_cell(c) for c in row] for row in t.df.values.tolist()]}
                  for t in tables]
        return {"pieces": sorted(pieces, key=lambda p: p["page"])}  # stable: keeps camelot's order on a page

    shown = ", ".join(f"{k}={v!r}" for k, v in options.items())
    return run, f"camelot {camelot.__version__}: read_pdf(path, pages='all', {shown})"


def extractor(tool: str):
    """(run(path) -> payload, description) for a tool, or (None, why it cannot run)."""
    if tool == "renjana":
        return _renjana_extractor()
    if tool == "pdfplumber":
        return _pdfplumber_extractor(None)
    if tool == "pdfplumber-text":
        return _pdfplumber_extractor(PDFPLUMBER_TEXT)
    if importlib.util.find_spec(CAMELOT) is None:
        return None, "camelot not installed (pip install -e .[bench])"
    why = camelot_offers(CAMELOT_FLAVOURS[tool])
    return (None, why) if why else _camelot_extractor(CAMELOT_FLAVOURS[tool])


def _worker(tool: str, conn) -> None:
    """Worker loop: receive a path, send back {payload, seconds} or {error}; None ends it."""
    warnings.simplefilter("ignore")  # camelot warns on every page without a table
    run, what = extractor(tool)
    conn.send({"what": what, "ready": run is not None})
    if run is None:
        return
    while (path := conn.recv()) is not None:
        start = time.perf_counter()
        try:
            payload = run(Path(path))
            conn.send({"payload": payload, "seconds": time.perf_counter() - start})
        except Exception as exc:  # one broken file must not end the run
            conn.send({"error": f"{type(exc).__name__}: {exc}", "seconds": time.perf_counter() - start})


# --------------------------------------------------------------------------- parent: running
class Worker:
    """One spawned process that runs one tool on file after file."""

    def __init__(self, tool: str):
        ctx = mp.get_context("spawn")  # a fresh interpreter: nothing inherited from this process
        self.conn, child_conn = ctx.Pipe()
        self.process = ctx.Process(target=_worker, args=(tool, child_conn), daemon=True)
        self.process.start()
        child_conn.close()
        self.hello = self.conn.recv() if self.conn.poll(WORKER_START_S) else {"what": "worker did not start",
                                                                              "ready": False}

    def run(self, path: Path, timeout: float) -> dict | None:
        """The worker's answer for one file, or None when it took longer than timeout seconds."""
        self.conn.send(str(path))
        if self.conn.poll(timeout):
            try:
                return self.conn.recv()
            except EOFError:
                return {"error": "worker died", "seconds": 0.0}
        return None

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            try:
                self.conn.send(None)
            except (BrokenPipeError, OSError):
                pass
        self.process.join(timeout=10)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


def run_tool(tool: str, files: list[Path], out_dir: Path, timeout: float, meta: dict) -> dict:
    """Run one tool on every file, write its contract documents to out_dir; return its figures."""
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir(parents=True)
    worker = Worker(tool)
    record = {"tool": tool, "what": worker.hello["what"], "files": [], "skipped": [], "errors": []}
    if not worker.hello["ready"]:
        worker.stop()
        return record | {"not_run": worker.hello["what"]}
    for path in files:
        answer = worker.run(path, timeout)
        if answer is None:  # too slow: end this worker, start a fresh one for the next file
            worker.stop(kill=True)
            record["skipped"].append(path.name)
            print(f"    {tool}: {path.name} skipped (> {timeout:.0f} s)", flush=True)
            worker = Worker(tool)
            continue
        if "error" in answer:
            record["errors"].append(f"{path.name}: {answer['error']}")
            print(f"    {tool}: {path.name} error {answer['error']}", flush=True)
            if answer["error"] == "worker died":
                worker = Worker(tool)
            continue
        document = contract_document(path, answer["payload"], meta.get(path.name, {}))
        (out_dir / f"{path.stem}.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        record["files"].append({"file": path.name, "seconds": round(answer["seconds"], 3),
                                "tables": len(document["tables"])})
    worker.stop()
    return record


# --------------------------------------------------------------------------- parent: contract documents
def stack_pages(pieces: list[dict]) -> list[dict]:
    """Join page pieces into tables as a user would.

    pieces: [{"page": 1-based page, "rows": [[cell text]]}] in reading order. A piece that is
    the first on its page continues the open table when that table's last piece was the last on
    the page just before and both have the same column count; the continuation's leading rows
    equal to one of the first piece's top HEADER_ROWS_MAX rows (a repeated header) are dropped.
    Rows whose cells are all empty are dropped. Returns [{"pages": [..], "rows": [[..]]}].
    """
    tables: list[dict] = []
    for k, piece in enumerate(pieces):
        rows = [row for row in piece["rows"] if any(row)]
        if not rows:
            continue
        width = len(rows[0])
        first_on_page = k == 0 or pieces[k - 1]["page"] != piece["page"]
        open_table = tables[-1] if tables else None
        if (open_table and first_on_page and open_table["last_on_page"] and open_table["width"] == width
                and piece["page"] == open_table["pages"][-1] + 1):
            header = open_table["rows"][:HEADER_ROWS_MAX]
            while rows and rows[0] in header:
                rows.pop(0)
            open_table["rows"].extend(rows)
            open_table["pages"].append(piece["page"])
        else:
            tables.append({"pages": [piece["page"]], "rows": rows, "width": width})
        tables[-1]["last_on_page"] = k == len(pieces) - 1 or pieces[k + 1]["page"] != piece["page"]
    return [{"pages": t["pages"], "rows": t["rows"]} for t in tables]


def contract_document(path: Path, payload: dict, document_meta: dict) -> dict:
    """The contract document of one tool's answer for one PDF (matched to truth by file name)."""
    if "document" in payload:
        return payload["document"]
    tables = [{"id": f"t{k}", "kind": "other", "pages": t["pages"], "columns": [],
               "rows": [{"cells": row, "level": "other"} for row in t["rows"]]}
              for k, t in enumerate(stack_pages(payload["pieces"]), 1)]
    return {"source": {"file": path.name, "sha256": sha256(path)}, "document": document_meta,
            "tables": tables, "findings": []}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --------------------------------------------------------------------------- scoring and reports
def truth_documents(truth_dir: Path) -> dict[str, dict]:
    """PDF file name -> truth document."""
    docs = {}
    for path in sorted(truth_dir.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        docs[doc["file"]] = doc | {"_path": str(path)}
    return docs


def is_scanned(truth: dict) -> bool:
    return bool((truth.get("style") or {}).get("scan"))


def mechanism(folder: str, truth: dict) -> str:
    """What a document tests: the corpus' border style, or the case's own name."""
    if folder == "cases":
        return Path(truth["file"]).stem.removeprefix("case-")
    return (truth.get("style") or {}).get("borders") or "?"


def score(out_dir: Path, truth_dir: Path) -> dict:
    """The scorer's --json results for one tool's output folder (its text report is kept beside)."""
    result = out_dir.with_suffix(".score.json")
    text = subprocess.run([sys.executable, str(SCORER), "--truth", str(truth_dir), "--out", str(out_dir),
                           "--per-doc", "--json", str(result)], capture_output=True, text=True, check=False)
    out_dir.with_suffix(".score.txt").write_text(text.stdout + text.stderr, encoding="utf-8")
    return json.loads(result.read_text(encoding="utf-8"))


def drop_spaces(doc: dict) -> dict:
    """The document with every whitespace removed from its table cells (truth or contract shape)."""
    for table in doc.get("tables") or []:
        for row in table.get("rows") or []:
            row["cells"] = ["".join(str(c or "").split()) for c in row.get("cells") or []]
    return doc


def spaceless_folder(src: Path, dst: Path) -> Path:
    """Copy every *.json document under src to dst with drop_spaces applied; return dst.

    Scoring these copies against a spaceless truth measures the cell boxes alone: a cell counts
    when it holds the right characters, however the tool joined its text lines."""
    shutil.rmtree(dst, ignore_errors=True)
    dst.mkdir(parents=True)
    for path in sorted(src.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        (dst / path.name).write_text(json.dumps(drop_spaces(doc), ensure_ascii=False), encoding="utf-8")
    return dst


COUNTS = ("tables", "tables_found", "cells", "cells_right", "rows", "rows_right")


def sum_counts(documents: list[dict]) -> dict:
    total = dict.fromkeys(COUNTS, 0)
    for d in documents:
        for k in COUNTS:
            total[k] += d["figures"]["counts"][k]
    return total


def short(tool: str) -> str:
    """A column header: the camelot flavour without its prefix."""
    return tool.removeprefix(f"{CAMELOT}-")


def pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f}%" if b else "n/a"


def print_rows(head: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    for row in [head, ["-" * w for w in widths], *rows]:
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))).rstrip())


def mechanism_table(title: str, by_mech: dict, tools: list[str], scores: dict) -> dict:
    """Print cell accuracy per mechanism and tool, with the best camelot flavour and its lead
    over renjana in points; return {mechanism: {tool: counts + cell_accuracy}}."""
    rows, figures = [], {}
    camelots = [t for t in tools if t.startswith(CAMELOT)]
    for mech, names in sorted(by_mech.items()):
        cells = {}
        for tool in tools:
            c = sum_counts([d for d in scores[tool]["documents"] if d["file"] in names])
            cells[tool] = (c["cells_right"] / c["cells"] if c["cells"] else 0.0, c)
        figures[mech] = {t: {"cell_accuracy": v, **c} for t, (v, c) in cells.items()}
        row = [f"{mech} ({len(names)})", *[f"{100 * cells[t][0]:.1f}" for t in tools]]
        if camelots:
            best = max(camelots, key=lambda t: cells[t][0])
            row.append(short(best))
            if "renjana" in cells:
                row.append(f"{100 * (cells[best][0] - cells['renjana'][0]):+.1f}")
        rows.append(row)
    print(f"\n{title}\n")
    head = ["mechanism", *map(short, tools)]
    if camelots:
        head += ["best camelot"] + (["vs renjana"] if "renjana" in tools else [])
    print_rows(head, rows)
    return figures


def report(folder: str, records: list[dict], scores: dict, boxes: dict, truths: dict, pages: dict) -> dict:
    """Print the folder's tables; return the figures for --json."""
    ran = [r for r in records if "not_run" not in r]
    print(f"\n=== {folder}: {len(pages)} PDFs, {sum(pages.values())} pages ===\n")
    rows = []
    for r in ran:
        c = sum_counts(scores[r["tool"]]["documents"])
        b = sum_counts(boxes[r["tool"]]["documents"])
        done = r["files"]
        seconds = sum(f["seconds"] for f in done)
        n_pages = sum(pages[f["file"]] for f in done)
        rows.append([r["tool"], str(len(done)), str(len(r["skipped"]) + len(r["errors"])),
                     f"{c['tables_found']}/{c['tables']}", pct(c["cells_right"], c["cells"]),
                     pct(c["rows_right"], c["rows"]), pct(b["cells_right"], b["cells"]), f"{seconds:.1f}",
                     f"{n_pages / seconds:.1f}" if seconds else "-"])
    print_rows(["tool", "files", "skipped", "tables found", "cells", "rows", "cells spaces aside", "wall s",
                "pages/s"], rows)
    for r in records:
        print(f"  {r['tool']}: {r.get('not_run') or r['what']}")
        for name in r["skipped"]:
            print(f"    skipped (> timeout): {name}")
        for error in r["errors"]:
            print(f"    error: {error}")

    # per mechanism: cell accuracy of each tool, and the best camelot flavour against renjana
    by_mech: dict[str, list[str]] = {}
    for name, truth in truths.items():
        by_mech.setdefault(mechanism(folder, truth), []).append(name)
    tools = [r["tool"] for r in ran]
    what = "case" if folder == "cases" else "style.borders"
    figures = {"cells": mechanism_table(f"cell accuracy (%) per mechanism ({what}, documents)",
                                        by_mech, tools, scores),
               "cells_spaces_aside": mechanism_table(
                   f"cell accuracy, spaces aside (%) per mechanism ({what}): the cell boxes alone",
                   by_mech, tools, boxes)}

    # per file: cell accuracy of each tool, and the tools that read more cells right than renjana
    per_file = {t: {d["file"]: d["figures"]["counts"] for d in scores[t]["documents"]} for t in tools}
    file_rows = []
    for name in sorted(truths):
        row = [name.removesuffix(".pdf"), mechanism(folder, truths[name])]
        row += [pct(per_file[t][name]["cells_right"], per_file[t][name]["cells"]).rstrip("%") for t in tools]
        if "renjana" in tools:
            own = per_file["renjana"][name]["cells_right"]
            row.append(",".join(short(t) for t in tools if per_file[t][name]["cells_right"] > own) or "-")
        file_rows.append(row)
    if any(len(names) > 1 for names in by_mech.values()):  # else the mechanism table says it all
        print("\ncell accuracy (%) per file\n")
        print_rows(["file", "mechanism", *map(short, tools)] + (["beats renjana"] if "renjana" in tools else []),
                   file_rows)
    return {"tools": records, "per_mechanism": figures,
            "totals": {r["tool"]: sum_counts(scores[r["tool"]]["documents"]) for r in ran}}


def page_count(path: Path) -> int:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folders", default="corpus,cases", help=f"from {', '.join(FOLDERS)} (default: both)")
    parser.add_argument("--tools", default=",".join(TOOLS), help=f"from {', '.join(TOOLS)} (default: all)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S,
                        help=f"seconds per tool and file before the file is skipped (default {DEFAULT_TIMEOUT_S:.0f})")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"work folder (default {DEFAULT_OUT})")
    parser.add_argument("--score-only", action="store_true", help="score the outputs already in --out")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    args = parser.parse_args()
    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    unknown = [t for t in tools if t not in TOOLS]
    if unknown:
        sys.exit(f"unknown tool(s) {unknown}; choose from {', '.join(TOOLS)}")
    if "renjana" in tools:  # first: its document metadata goes into the other tools' documents
        tools.remove("renjana")
        tools.insert(0, "renjana")

    camelot = metadata.version("camelot-py") if importlib.util.find_spec(CAMELOT) else "not installed"
    print(f"{time.strftime('%Y-%m-%d')}  {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, camelot-py {camelot}, pdfplumber {metadata.version('pdfplumber')}; "
          f"load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}; timeout {args.timeout:.0f} s per tool and file")
    for flavour, why in CAMELOT_NOT_RUN.items():
        print(f"  camelot flavor {flavour!r} not run: {why}")
    everything = {}
    for folder in (f.strip() for f in args.folders.split(",") if f.strip()):
        pdf_dir, truth_dir = FOLDERS[folder]
        truths = {n: t for n, t in truth_documents(truth_dir).items() if not is_scanned(t)}
        files = [pdf_dir / name for name in sorted(truths) if (pdf_dir / name).exists()]
        pages = {f.name: page_count(f) for f in files}
        born_digital = Path(tempfile.mkdtemp(prefix=f"truth-{folder}-"))  # the scorer reads a whole folder
        for truth in truths.values():
            os.symlink(truth["_path"], born_digital / Path(truth["_path"]).name)
        work = args.out / folder
        records_path = work / "runs.json"
        records = json.loads(records_path.read_text()) if args.score_only and records_path.exists() else {}
        for tool in tools:
            if args.score_only:
                continue
            meta = {}
            renjana_dir = work / "renjana"
            if tool != "renjana" and renjana_dir.is_dir():
                for p in renjana_dir.glob("*.json"):
                    doc = json.loads(p.read_text(encoding="utf-8"))
                    meta[doc["source"]["file"]] = doc.get("document") or {}
            print(f"  {folder}: {tool} on {len(files)} files ...", flush=True)
            records[tool] = run_tool(tool, files, work / tool, args.timeout, meta)
            records_path.write_text(json.dumps(records, indent=1))
        chosen = [records[t] for t in tools if t in records]
        ran = [r["tool"] for r in chosen if "not_run" not in r]
        scores = {tool: score(work / tool, born_digital) for tool in ran}
        spaceless_truth = spaceless_folder(born_digital, born_digital.with_name(born_digital.name + "-nospace"))
        boxes = {tool: score(spaceless_folder(work / tool, work / f"{tool}.nospace"), spaceless_truth)
                 for tool in ran}
        everything[folder] = report(folder, chosen, scores, boxes, truths, pages)
        shutil.rmtree(born_digital, ignore_errors=True)
        shutil.rmtree(spaceless_truth, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(everything, indent=1) + "\n")
        print(f"\nfigures written to {args.json}")


if __name__ == "__main__":
    main()
