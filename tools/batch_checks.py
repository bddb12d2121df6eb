"""Checks of a batch's output folder against what its inputs should give (used by tests and
benchmarks/batch_safety.py).

    python tools/batch_checks.py expect BAD_DIR OUT_DIR   # bad_inputs.py's EXPECT.json against OUT
    python tools/batch_checks.py integrity OUT_DIR        # every manifest output complete, no orphans

``expect``: every EXPECT.json file reported exactly once in OUT/manifest.jsonl, with an outcome its
entry accepts, a plain reason for errors (naming "password" where asked), the ``must_contain``
cells present and ``must_not_contain`` absent; ``max_seconds`` is printed, not asserted.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

DONE = ("ok", "partial", "needs-ocr")
# A reason that is an exception's wording, not plain words: "SomethingError: ..." at its start.
_RAW_EXCEPTION = re.compile(r"^[A-Z]\w*(Error|Exception)\b")


def manifest(out: Path) -> list[dict]:
    """The latest record of each input in OUT/manifest.jsonl."""
    latest: dict[str, dict] = {}
    path = out / "manifest.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines() if path.exists() else []:
        try:
            item = json.loads(line)
        except ValueError:
            continue
        if "path" in item:
            latest[item["path"]] = item
    return list(latest.values())


def cells(out: Path, record: dict) -> set[str]:
    found: set[str] = set()
    for rel in record.get("outputs", []):
        if rel.endswith(".json"):
            doc = json.loads((out / rel).read_text(encoding="utf-8"))
            for table in doc.get("tables", []):
                for row in table.get("rows", []):
                    found.update(str(c) for c in row.get("cells", []) if c is not None)
    return found


def outcome(record: dict) -> str:
    if record["status"] not in DONE:
        return "error"
    return "ok" if record.get("tables", 0) else "ok-no-tables"


def check_expect(bad: Path, out: Path, skip: tuple[str, ...] = ()) -> tuple[list[str], list[str]]:
    """(problems, lines of timing/outcome per file) of OUT against BAD/EXPECT.json."""
    expect = json.loads((bad / "EXPECT.json").read_text(encoding="utf-8"))["files"]
    records = manifest(out)
    by_name: dict[str, list[dict]] = {}
    for record in records:
        by_name.setdefault(record["name"], []).append(record)
    problems, lines = [], []
    for entry in expect:
        name = os.fsencode(entry["name"]).decode("utf-8", errors="backslashreplace")
        if entry["name"] in skip:
            continue
        found = by_name.get(name, [])
        if len(found) != 1:
            problems.append(f"{name}: reported {len(found)} times")
            continue
        record = found[0]
        got = outcome(record)
        accepted = {entry["expect"], *entry.get("accept", [])}
        checks = entry.get("checks") or {}
        lines.append(f"{name}: {record['status']} ({got}) {record['seconds']['total']:.1f} s"
                     + (f" [max {checks['max_seconds']} s]" if "max_seconds" in checks else "")
                     + (f" — {record['reason']}" if record.get("reason") else ""))
        if got not in accepted:
            problems.append(f"{name}: {got}, expected {sorted(accepted)} ({record.get('reason')})")
            continue
        if got == "error":
            reason = record.get("reason") or ""
            if not reason or _RAW_EXCEPTION.match(reason):
                problems.append(f"{name}: error reason not in plain words: {reason!r}")
            if checks.get("error_mentions") and checks["error_mentions"] not in reason.lower():
                problems.append(f"{name}: reason does not mention {checks['error_mentions']!r}: {reason!r}")
            if record.get("outputs"):
                problems.append(f"{name}: failed but has outputs")
            continue
        present = cells(out, record)
        for value in checks.get("must_contain", []) if got == "ok" else []:
            if value not in present:
                problems.append(f"{name}: cell {value} missing")
        for value in checks.get("must_not_contain", []):
            if value in present:
                problems.append(f"{name}: superseded cell {value} present")
    return problems, lines


def check_integrity(out: Path) -> list[str]:
    """Every output listed in the manifest exists; every document file under OUT is listed; no
    staging or temporary leftovers; no output listed twice."""
    problems = []
    listed: dict[str, str] = {}
    for record in manifest(out):
        for rel in record.get("outputs", []):
            if rel in listed:
                problems.append(f"{rel}: listed for {listed[rel]} and {record['path']}")
            listed[rel] = record["path"]
            if not (out / rel).is_file():
                problems.append(f"{rel}: listed but missing")
        kinds = {rel.rsplit(".", 1)[-1] for rel in record.get("outputs", [])}
        if record["status"] in DONE and "json" not in kinds:
            problems.append(f"{record['path']}: done without a JSON")
    for path in out.rglob("*"):
        rel = path.relative_to(out).as_posix()
        if path.is_file() and path.suffix in (".json", ".parquet") and not rel.startswith(".") \
                and "/" in rel and not rel.startswith("dataset/") and rel not in listed:
            problems.append(f"{rel}: on disk but in no manifest record (orphan)")
        if path.name.endswith(".tmp") or rel.startswith(".renjana-staging/"):
            problems.append(f"{rel}: leftover temporary file")
    return problems


def main(argv: list[str]) -> int:
    if argv[:1] == ["expect"] and len(argv) == 3:
        problems, lines = check_expect(Path(argv[1]), Path(argv[2]))
        print("\n".join(lines))
    elif argv[:1] == ["integrity"] and len(argv) == 2:
        problems = check_integrity(Path(argv[1]))
    else:
        print(__doc__)
        return 2
    print("\n".join(f"PROBLEM {p}" for p in problems) or "all checks pass")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))


def silent_losses(out: Path, original: dict[str, set[str]], source_of: dict[str, str]) -> tuple[list[str], dict]:
    """Damaged copies whose output holds fewer cells than their source's and says nothing.

    ``original``: source name -> its cells (from an undamaged run); ``source_of``: copy name ->
    source name. Returns (problems, counts by status). A copy is "noted" when its status is not
    ``ok`` (``partial``/``needs-ocr`` carry a reason saying what was lost) — a plain ``ok``
    holding less than its source is a silent loss.
    """
    problems, counts = [], {}
    for record in manifest(out):
        counts[record["status"]] = counts.get(record["status"], 0) + 1
        source = source_of.get(record["name"])
        if source is None or record["status"] != "ok":
            continue
        lost = original[source] - cells(out, record)
        if lost:
            problems.append(f"{record['name']}: ok but {len(lost)} cells of {source} missing, e.g. "
                            f"{sorted(lost)[:3]}")
    return problems, counts


def children(pid: int) -> set[int]:
    """The process ids whose parent is ``pid`` (Linux ``/proc``): a batch's worker processes."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.add(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return found


def alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (a zombie does not)."""
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
