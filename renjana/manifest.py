"""The output folder of a batch: its run manifest, its staged writes, resume and name clashes.

Layout under ``OUT``:

* ``OUT/manifest.jsonl``: one JSON record per input and attempt, appended as files finish (the
  latest record of an input path is the one that counts; the file is compacted at the start of a
  run). A record holds ``path`` (printable), ``path_hex`` (the raw bytes, only when the name is
  not UTF-8), ``name``, ``sha256``, ``size``, ``pages_in_file``, ``pages_read``, ``status``
  (``ok``, ``partial``, ``needs-ocr``, ``failed``, ``timed-out``, ``memory``), ``reason``,
  ``notes``, ``outputs`` (paths relative to OUT), ``document_id`` (the id in the document's JSON
  and records; null when nothing was written), ``tool_version``, ``seconds`` and ``finished``.
  A ``{"pending": ...}`` line is written before a document's files are moved into place, so a
  run killed in the middle of that leaves a trace the next run cleans.
* ``OUT/.renjana-staging/<id>/``: a document is written here first (by the worker), then its
  files are renamed into ``OUT/<region>/<dinas>/<year>/`` by the parent, Parquet first, JSON last,
  then the record is appended: a document's files appear together with their record, or the next
  run removes them. Leftover staging folders are removed at the start of the next run.
* ``OUT/.renjana.lock``: held while a run writes (two runs on one folder would mix their work).

Everything is created with the user's umask. Stdlib only: ``fcntl`` for the lock.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from renjana.emit import DATASET_DIR, PART_SHA_CHARS, remove_file, set_document_id, set_json_document_id
from renjana.hashing import MAX_STEM_BYTES, document_id
from renjana.hashing import file_sha256  # noqa: F401 - part of this module's interface
from renjana.preflight import safe_name
from renjana.wording import count

__all__ = ["MANIFEST_NAME", "OutputError", "OutputStore", "Record", "tool_version", "FAILED_STATUSES"]

MANIFEST_NAME = "manifest.jsonl"
STAGING_DIR = ".renjana-staging"
LOCK_NAME = ".renjana.lock"
# Statuses of a file that went through; the others mean nothing was written.
DONE_STATUSES = ("ok", "partial", "needs-ocr")
FAILED_STATUSES = ("failed", "timed-out", "memory")
# Hex digits of the content hash added to an output name that another input already owns: the
# document id's, so the renamed JSON's stem is its id (``<stem>-<sha12>``, the hash once).
CLASH_HASH_CHARS = PART_SHA_CHARS
# Numbered names tried (``<stem>-<sha12>-2`` …) for the same PDF given again under one name
# (another folder): ``<stem>-<sha12>`` is then the first input's id already.
MAX_CLASH_NUMBER = 1000
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_PACKAGE_DIR = Path(__file__).resolve().parent


class OutputError(Exception):
    """The output folder cannot be used (not creatable, not writable, in use by another run)."""


def tool_version() -> str:
    """The package version plus a fingerprint of its code and data, so a changed tool redoes
    files on resume even where the version number was not raised."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        base = version("renjana")
    except PackageNotFoundError:
        base = "0"
    digest = hashlib.sha256()
    roots = [_PACKAGE_DIR] + [_PACKAGE_DIR.parent / name for name in ("extract", "normalize", "validate")]
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.suffix in {".py", ".csv", ".txt", ".toml", ".json"} and "__pycache__" not in path.parts:
                digest.update(path.relative_to(root.parent).as_posix().encode())
                digest.update(path.read_bytes())
    return f"{base}+{digest.hexdigest()[:10]}"


def path_key(path: Path) -> str:
    """An input's identity across runs: its absolute path, printable."""
    return safe_name(os.path.abspath(path))


def safe_stem(stem: str) -> str:
    """An output file stem from an input's: separators and control characters become ``_``,
    leading dots go (no hidden files), cut to :data:`MAX_STEM_BYTES`; any script is kept."""
    text = _UNSAFE.sub("_", stem).strip().lstrip(".") or "document"
    data = text.encode("utf-8")[:MAX_STEM_BYTES]
    return data.decode("utf-8", errors="ignore").rstrip() or "document"


@dataclass
class Record:
    """One line of the manifest (see the module docstring for the fields)."""

    data: dict = field(default_factory=dict)

    @property
    def status(self) -> str:
        return self.data.get("status", "failed")

    @property
    def outputs(self) -> list[str]:
        return list(self.data.get("outputs", []))


def _umask() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)  # no /proc: read it by setting it (and put it back at once)
    os.umask(mask)
    return mask


class OutputStore:
    """The output folder: checked and locked on creation; staged writes, commits and the manifest.

    ``OutputStore(out)`` raises :class:`OutputError` when ``out`` cannot be created or written, or
    another run holds it. Use as a context manager (or call :meth:`close`) to release the lock.
    """

    def __init__(self, out_dir: Path, version: str | None = None, variant: str = ""):
        self.out = Path(out_dir)
        # ``variant`` names a kind of run that writes more (``audit``): a resume redoes files
        # done by a plain run, whose outputs lack the variant's files.
        self.version = (version or tool_version()) + (f"+{variant}" if variant else "")
        self.umask = _umask()
        if self.out.is_symlink() and not self.out.exists():
            raise OutputError(f"output folder {self.out} cannot be used: it is a symbolic link to "
                              f"{os.readlink(self.out)}, which does not exist")
        if self.out.exists() and not self.out.is_dir():
            raise OutputError(f"output folder {self.out} cannot be used: it is a file, not a folder")
        try:
            self.out.mkdir(parents=True, exist_ok=True)
            fd, probe = tempfile.mkstemp(dir=self.out, prefix=".renjana-probe-")
            os.close(fd)
            os.unlink(probe)
        except OSError as exc:
            raise OutputError(f"output folder {self.out} cannot be used: {exc.strerror or exc}") from None
        self._lock = self._take_lock()
        self.manifest_path = self.out / MANIFEST_NAME
        self.latest: dict[str, dict] = {}
        self._owner: dict[str, str] = {}  # output path (relative) -> path key of its input
        self._ids: dict[str, str] = {}  # document id -> path key of its input
        self.cleaned: list[str] = []
        self._load_and_clean()

    # ------------------------------------------------------------------ setup
    def _take_lock(self):
        import fcntl

        handle = open(self.out / LOCK_NAME, "a+")  # noqa: SIM115 - held for the store's life
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            raise OutputError(f"output folder {self.out} is in use by another renjana run") from None
        return handle

    def close(self) -> None:
        with contextlib.suppress(OSError):
            (self.out / STAGING_DIR).rmdir()  # only when empty: no run is writing
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def __enter__(self) -> OutputStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _read_lines(self) -> Iterator[dict]:
        if not self.manifest_path.exists():
            return
        with self.manifest_path.open(encoding="utf-8", errors="replace") as fh:
            for line in fh:
                try:
                    item = json.loads(line)
                except ValueError:
                    continue  # a line cut by a kill: the file it named is redone
                if isinstance(item, dict):
                    yield item

    def _load_and_clean(self) -> None:
        """Read the manifest; remove what a killed run left: staging folders, temporary files,
        and the files of a document whose move into place was interrupted."""
        pending: dict[str, list[str]] = {}
        for item in self._read_lines():
            if "pending" in item:
                pending[item["pending"]] = item.get("outputs", [])
            elif "path" in item:
                pending.pop(item["path"], None)
                self.latest[item["path"]] = item
        for key, outputs in pending.items():
            owned = set(self.latest.get(key, {}).get("outputs", []))
            for rel in outputs:
                if rel not in owned:
                    self._remove(rel)
        shutil.rmtree(self.out / STAGING_DIR, ignore_errors=True)
        for tmp in self.out.glob("*/*/*/.*.tmp"):  # atomic_path leftovers of older versions
            tmp.unlink(missing_ok=True)
            self.cleaned.append(str(tmp))
        for key, item in self.latest.items():
            for rel in item.get("outputs", []):
                self._owner[rel] = key
            doc_id = _record_id(item)
            if doc_id:
                self._ids[doc_id] = key
        self._compact()

    def _remove(self, rel: str) -> None:
        """Remove an output, and the folders up to OUT it leaves empty."""
        target = self.out / rel
        if remove_file(target, self.out):
            self.cleaned.append(str(target))

    def _compact(self) -> None:
        """Rewrite the manifest with the latest record of each input only."""
        if not self.manifest_path.exists():
            return
        fd, tmp = tempfile.mkstemp(dir=self.out, prefix=".manifest.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            for item in self.latest.values():
                fh.write(json.dumps(item, ensure_ascii=False) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~self.umask)
        os.replace(tmp, self.manifest_path)

    # ------------------------------------------------------------------ resume
    def complete(self, path: Path, sha256: str) -> dict | None:
        """The earlier record of ``path`` when its content and tool version are unchanged and all
        its outputs exist (a resume skips the file), else None."""
        item = self.latest.get(path_key(path))
        if (item and item.get("status") in DONE_STATUSES and item.get("sha256") == sha256
                and item.get("tool_version") == self.version
                and all((self.out / rel).is_file() for rel in item.get("outputs", []))):
            return item
        return None

    # ------------------------------------------------------------------ writing
    def staging_dir(self) -> Path:
        """A new empty folder inside OUT (same file system: its files can be renamed into place)."""
        root = self.out / STAGING_DIR
        root.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(dir=root))

    def _clashes(self, rel_json: str, key: str, sha256: str) -> bool:
        owner = self._owner.get(rel_json)
        if owner is not None:
            return owner != key
        target = self.out / rel_json
        if not target.exists():
            return False
        try:  # a file from a run without a manifest record: its own sha256 says whose it is
            return json.loads(target.read_text(encoding="utf-8"))["source"]["sha256"] != sha256
        except (OSError, ValueError, KeyError, TypeError):
            return True

    def _final_names(self, staged: list[str], key: str, sha256: str) -> tuple[dict[str, str], str | None]:
        """Staged relative path -> final relative path, and the document's id (None: no JSON).

        The stem is the PDF's made safe; when another input owns that name, ``<stem>-<sha12>``
        (the hash once; the renamed JSON's stem is its id); when that id is another input's too
        (the same PDF under the same name a second time), ``<stem>-<sha12>-2``, ``-3`` …"""
        jsons = [rel for rel in staged if rel.endswith(".json")]
        if not jsons:
            return {rel: rel for rel in staged}, None
        folder, stem = os.path.split(jsons[0][: -len(".json")])
        base = safe_stem(stem)
        # A long name is cut with its hash already (renjana.hashing.output_stem): not twice.
        mark = base if base.endswith(f"-{sha256[:CLASH_HASH_CHARS]}") else f"{base}-{sha256[:CLASH_HASH_CHARS]}"
        candidates = [base, mark] + [f"{mark}-{n}" for n in range(2, MAX_CLASH_NUMBER + 1)]
        chosen = next((c for c in candidates
                       if not self._clashes(os.path.join(folder, c + ".json"), key, sha256)
                       and self._ids.get(document_id(c, sha256, c), key) == key), candidates[-1])
        doc_id = document_id(chosen, sha256, chosen)
        staged_part = f"{document_id(stem, sha256, stem)}.parquet"  # the worker's name for it
        names = {}
        for rel in staged:
            rel_folder, name = os.path.split(rel)
            # The document's files beside its JSON take the chosen stem, its dataset parts the
            # id: one input's files never share a name with another's, and a part names its JSON.
            in_dataset = rel.split(os.sep, 1)[0] == DATASET_DIR
            if rel_folder == folder and name.startswith(stem + "."):
                name = chosen + name[len(stem):]
            elif in_dataset and name == staged_part:
                name = f"{doc_id}.parquet"
            names[rel] = os.path.join(rel_folder, name)
        return names, doc_id

    def _append(self, item: dict) -> None:
        new = not self.manifest_path.exists()
        with self.manifest_path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(item, ensure_ascii=False) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        if new:
            os.chmod(self.manifest_path, 0o666 & ~self.umask)

    def commit(self, path: Path, record: dict, staging: Path | None) -> dict:
        """Move a document's staged files into place and append its manifest record.

        ``record`` holds the fields of the module docstring except ``outputs``, ``path`` and
        ``tool_version``, which are filled here; ``staging`` is the folder the worker wrote into
        (None for a file that failed). Outputs of the input's previous record that this attempt
        does not rewrite are removed (a file failing on a rerun leaves no old outputs behind).
        Returns the record as written.
        """
        key = path_key(path)
        staged = sorted((str(p.relative_to(staging)) for p in staging.rglob("*") if p.is_file()),
                        key=lambda rel: (not rel.endswith(".json"), rel)) \
            if staging is not None and record.get("status") in DONE_STATUSES else []
        sha256 = record.get("sha256", "")
        names, doc_id = self._final_names(staged, key, sha256)
        outputs = [names[rel] for rel in staged]
        previous = self.latest.get(key, {}).get("outputs", [])
        self._append({"pending": key, "outputs": outputs})
        dirs = set()
        # Parquet first, JSON last: a reader that sees the JSON sees the whole document.
        jsons = [rel for rel in staged if rel.endswith(".json")]
        # The worker named the document by the PDF's stem; the store's name may differ (a clash,
        # an unsafe name): then its records and JSON are given the new id before they move.
        renamed_id = doc_id if jsons and doc_id != document_id(
            os.path.basename(jsons[0])[: -len(".json")], sha256) else None
        moved: list[str] = []
        try:
            for rel in sorted(staged, key=lambda r: r.endswith(".json")):
                target = self.out / names[rel]
                for parent in reversed(target.relative_to(self.out).parents[:-1]):
                    if (self.out / parent) not in dirs:
                        (self.out / parent).mkdir(exist_ok=True)
                        dirs.add(self.out / parent)
                if renamed_id and rel.endswith(".parquet"):
                    set_document_id(staging / rel, renamed_id)  # the records name their document
                elif renamed_id and rel == jsons[0]:
                    set_json_document_id(staging / rel, renamed_id)
                os.chmod(staging / rel, 0o666 & ~self.umask)
                os.replace(staging / rel, target)
                moved.append(names[rel])
        except OSError as exc:  # a folder not writable, a full disk: this file fails, not the batch
            record = {**record, "status": "failed", "reason": _write_failure(exc, self.out / names[rel])}
            outputs, doc_id = [], None
            stale = [rel for rel in dict.fromkeys(moved + previous)
                     if (rel in moved or self._owner.get(rel) == key) and not self._try_remove(rel)]
            if stale:  # cannot be removed either: the record names them as not this input's data
                record["stale_outputs"] = stale
                record["reason"] += f"; {count(len(stale), 'earlier output')} could not be removed"
            for rel in previous:
                self._owner.pop(rel, None)
        else:
            for rel in previous:
                if rel not in outputs and self._owner.get(rel) == key:
                    self._remove(rel)
                    self._owner.pop(rel, None)
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        item = {"path": key, **record, "outputs": outputs, "document_id": doc_id, "tool_version": self.version,
                "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        raw = os.fsencode(os.path.abspath(path))
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            item["path_hex"] = raw.hex()
        self._append(item)
        self.latest[key] = item
        for rel in outputs:
            self._owner[rel] = key
        if doc_id:
            self._ids[doc_id] = key
        return item

    def _try_remove(self, rel: str) -> bool:
        """Remove an output file; False when it is still there (its folder is not writable)."""
        try:
            self._remove(rel)
        except OSError:
            return False
        return True

    def discard(self, staging: Path | None) -> None:
        """Remove a staging folder whose file was not committed (interrupted)."""
        if staging is not None:
            with contextlib.suppress(OSError):
                shutil.rmtree(staging)


def _write_failure(exc: OSError, target: Path) -> str:
    """A plain reason for a document whose files could not be moved into place."""
    where = getattr(exc, "filename2", None) or exc.filename or target  # os.replace: (source, target)
    return f"its outputs could not be written to {where}: {exc.strerror or exc}"


def _record_id(item: dict) -> str | None:
    """The document id of a manifest record: its ``document_id``, or for a record of an older
    version, the id its JSON's stem gives."""
    if item.get("document_id"):
        return item["document_id"]
    jsons = [rel for rel in item.get("outputs", []) if rel.endswith(".json")]
    if not jsons or not item.get("sha256"):
        return None
    stem = os.path.basename(jsons[0])[: -len(".json")]
    return document_id(stem, item["sha256"], stem)
