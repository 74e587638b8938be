"""The cost stage: what a plan, a task or a profile costs, as low–high ranges
(``docs/costing.md``).

Imports :mod:`maintlib.model`; no other stage.
"""

from maintlib.costing.cost import cost_plan, labour_cost, quote, task_cost

__all__ = ["cost_plan", "labour_cost", "quote", "task_cost"]
