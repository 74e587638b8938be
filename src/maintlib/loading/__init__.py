"""The load stage: inventory files (TOML, JSON, CSV, blackout ``.ics``) into an
:class:`~maintlib.model.inventory.Inventory`, every problem located; the same checks
for inventories built in code; inventories written back, and derived from another.

Imports :mod:`maintlib.model` and :mod:`maintlib.packs` (the catalog names the asset
kinds and rules an inventory may use).
"""

from maintlib.loading.document import to_document
from maintlib.loading.parse import Format
from maintlib.loading.read import load, loads
from maintlib.loading.validate import validate
from maintlib.loading.whatif import with_added, with_replaced, without

__all__ = [
    "Format",
    "load",
    "loads",
    "to_document",
    "validate",
    "with_added",
    "with_replaced",
    "without",
]
