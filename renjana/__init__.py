"""renjana: Indonesian Renja planning PDFs into validated structured data."""

# A batch worker asks to be killed with its parent before any other import (renjana.lifeline:
# the spawned worker imports the caller's main module first, a second on a loaded machine).
# Elsewhere (no RENJANA_WORKER_PARENT in the environment) this does nothing.
from renjana.lifeline import arm_from_environment as _arm

_arm()
