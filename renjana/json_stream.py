"""A pydantic model written as indented JSON piece by piece: its long lists (a document's
tables and findings, a table's rows) one item at a time, so writing never holds a dict of the whole document
(a long document's would be the size of the document itself again).

The bytes are those of ``json.dump(model.model_dump(mode="json"), fh, ensure_ascii=False,
indent=1)``: every piece is dumped by ``json.dumps`` with the same options and its lines are
moved right to the depth it sits at (a JSON string holds no raw newline, so every newline of a
piece's text is one of the layout's).
"""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import TextIO

from pydantic import BaseModel

__all__ = ["write_model", "STREAMED_FIELDS"]

# List fields (of models) written item by item: a document's tables and findings, a table's rows.
STREAMED_FIELDS = frozenset({"tables", "rows", "findings"})
# Spaces per level, as ``indent=1``.
INDENT = " "


def _dumps(value, depth: int) -> str:
    """``value`` (plain JSON data) as json.dump writes it at nesting ``depth``."""
    text = json.dumps(value, ensure_ascii=False, indent=len(INDENT))
    return text.replace("\n", "\n" + INDENT * depth) if depth else text


def _models(value) -> bool:
    """A non-empty list of models (an empty one is written ``[]`` either way)."""
    return isinstance(value, list) and all(isinstance(item, BaseModel) for item in value)


def write_model(fh: TextIO, model: BaseModel, depth: int = 0,
                streamed: Collection[str] = STREAMED_FIELDS) -> None:
    """Write ``model`` to ``fh`` as JSON at nesting ``depth`` (see the module's docstring);
    its list fields named in ``streamed`` item by item, each item a model written the same way."""
    fields = type(model).model_fields
    stream = {name for name in streamed if name in fields and _models(getattr(model, name))}
    data = model.model_dump(mode="json", exclude=stream)
    inner = "\n" + INDENT * (depth + 1)
    fh.write("{")
    first = True
    for name in fields:  # the order of model_dump's keys
        if name not in stream and name not in data:
            continue  # a field left out of the dump (``exclude=True``)
        fh.write(("" if first else ",") + inner + json.dumps(name, ensure_ascii=False) + ": ")
        first = False
        if name not in stream:
            fh.write(_dumps(data[name], depth + 1))
            continue
        items = getattr(model, name)
        if not items:
            fh.write("[]")
            continue
        fh.write("[")
        for i, item in enumerate(items):
            fh.write(("," if i else "") + inner + INDENT)
            write_model(fh, item, depth + 2, streamed)
        fh.write(inner + "]")
    fh.write("}" if first else "\n" + INDENT * depth + "}")
