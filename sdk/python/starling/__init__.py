"""Starling's Python SDK: flytekit's surface over Starling's .proto contract.

    from starling import task, workflow, map_task, Resources

Tasks and workflows run as plain Python functions when called; ``python3 -m starling`` registers
a module, serves its tasks as a worker, and runs its workflows (``python3 -m starling --help``).
"""

from starling import _gen  # noqa: F401  (the generated stubs, made on first import)
from starling.model import (CronSchedule, FixedRate, LaunchPlan, Resources, conditional, map_task,
                            task, workflow)
from starling.runtime import NonRetryableError

__all__ = ["CronSchedule", "FixedRate", "LaunchPlan", "NonRetryableError", "Resources",
           "conditional", "map_task", "task", "workflow"]
