"""Many tenants (an MSP's customers) planned in parallel through any
:class:`concurrent.futures.Executor`, with the MSP overview and the pass over shared
technicians (``docs/tenants.md``)."""

from maintlib.tenants.overview import Overview, TenantResult
from maintlib.tenants.run import find_tenants, plan_many

__all__ = ["Overview", "TenantResult", "find_tenants", "plan_many"]
