"""renjana: Indonesian Renja planning PDFs into validated structured data."""

import os as _os

# A batch worker asks, before any other import, to be killed with its parent (see
# renjana.lifeline: the spawned worker imports the CLI first, a second on a loaded machine).
if _os.environ.get("RENJANA_WORKER_PARENT"):
    from renjana.lifeline import arm_from_environment as _arm

    _arm()
