"""The built-in pack's rules hook: the rules of every domain, in the pack's order."""

from __future__ import annotations

from collections.abc import Sequence

from maintlib.model.rules import Rule
from maintlib.packs.builtin.applications import application_rules
from maintlib.packs.builtin.backups import backup_rules
from maintlib.packs.builtin.endpoints import endpoint_rules
from maintlib.packs.builtin.expiries import expiry_rules
from maintlib.packs.builtin.network import network_rules
from maintlib.packs.builtin.organisation import organisation_rules
from maintlib.packs.builtin.servers import server_rules
from maintlib.packs.hookspecs import hookimpl


@hookimpl
def maintlib_rules() -> Sequence[Rule]:
    """The article's maintenance, per asset kind (see docs/rules.md)."""
    return [
        *server_rules(),
        *network_rules(),
        *endpoint_rules(),
        *application_rules(),
        *backup_rules(),
        *organisation_rules(),
        *expiry_rules(),
    ]
