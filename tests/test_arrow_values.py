"""pyarrow converts renjana's records without importing pandas; pandas stays usable."""

import subprocess
import sys

SCRIPT = """
import sys
from decimal import Decimal
import pyarrow as pa
import renjana.records
table = pa.table({"s": pa.array(["x", None]), "f": pa.array([0.5, None], type=pa.float32()),
                  "d": pa.array([Decimal("1.5"), None], type=renjana.records.DECIMAL_TYPE)})
print("pandas" in sys.modules)
frame = table.to_pandas()
print("pandas" in sys.modules, list(frame.columns))
"""


def test_records_converted_without_pandas_and_pandas_still_usable():
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True).stdout
    assert out.split("\n")[:2] == ["False", "True ['s', 'f', 'd']"]
