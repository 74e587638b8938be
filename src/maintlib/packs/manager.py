"""Loading rule packs, and the one typed facade the rest of maintlib calls them through.

Nothing here runs at import time: :func:`load_plugins` builds a fresh
:class:`pluggy.PluginManager` each time it is called. Packs are found through the
entry-point group ``maintlib`` — the built-in pack too, registered by maintlib's
own ``pyproject.toml``. The rest of the library never touches ``pm.hook``; it asks
:class:`Plugins`, which calls each pack separately so that a failure names the pack
and the hook, and which orders results by pack name so that load order never
matters.
"""

from __future__ import annotations

import datetime as dt
import os
import warnings
from collections.abc import Collection, Iterable, Mapping, Sequence
from importlib import metadata
from types import ModuleType
from typing import Any

import attrs
import pluggy

from maintlib.model.catalog import PackInfo
from maintlib.model.errors import InputWarning, PluginError
from maintlib.model.inventory import Asset, Inventory
from maintlib.model.naming import ProductFamily
from maintlib.model.rates import RateCard
from maintlib.model.risk import RiskFactor
from maintlib.model.rules import Activity, DeadlinePolicy, ReleaseCalendar, Rule
from maintlib.model.vocabulary import AssetKind
from maintlib.model.vulnerabilities import VulnerabilityPolicy
from maintlib.packs import hookspecs
from maintlib.packs.eol import Lifecycle, shipped_lifecycle
from maintlib.packs.values import value_problem

__all__ = ["DISABLE_ENV", "ENTRY_POINT_GROUP", "Plugins", "load_plugins"]


ENTRY_POINT_GROUP = "maintlib"


#: Comma-separated names of packs not to load.
DISABLE_ENV = "MAINTLIB_DISABLE_PLUGINS"


class _Manager(pluggy.PluginManager):
    """A manager that also treats unmarked ``maintlib_*`` functions as hook impls.

    That makes :meth:`check_pending` catch a misspelt hook name even when its
    author forgot the ``@hookimpl`` marker.
    """

    def parse_hookimpl_opts(self, plugin: object, name: str) -> Any:
        opts = super().parse_hookimpl_opts(plugin, name)
        if opts is None and name.startswith("maintlib_") and callable(getattr(plugin, name, None)):
            return {}
        return opts


def _split(value: str | None) -> set[str]:
    return {part.strip() for part in (value or "").split(",") if part.strip()}


def new_manager() -> pluggy.PluginManager:
    """An empty plugin manager that knows maintlib's hooks."""
    manager = _Manager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    return manager


def load_plugins(
    *,
    only: Collection[str] | None = None,
    block: Collection[str] = (),
    environ: Mapping[str, str] | None = None,
    lifecycle: Lifecycle | None = None,
) -> Plugins:
    """Load the installed rule packs.

    Args:
        only: Load just these pack names (``--plugins a,b``); None loads all.
        block: Pack names not to load (``--no-plugins`` passes every external
            pack; see the CLI).
        environ: Where to read ``MAINTLIB_DISABLE_PLUGINS`` (comma-separated names
            not to load); defaults to ``os.environ``.
        lifecycle: The endoflife.date data the packs are given
            (:func:`maintlib.packs.eol.load_lifecycle`); None gives the shipped snapshot.

    Raises:
        PluginError: A pack failed to import, or implements a hook that does not
            exist (a misspelling).
    """
    env = os.environ if environ is None else environ
    blocked = set(block) | _split(env.get(DISABLE_ENV))
    manager = new_manager()
    versions: dict[str, str] = {}
    entry_points = sorted(metadata.entry_points(group=ENTRY_POINT_GROUP), key=_ep_key)
    _warn_unknown(_split(env.get(DISABLE_ENV)), sorted({ep.name for ep in entry_points}))
    for entry_point in entry_points:
        name = entry_point.name
        if name in blocked or (only is not None and name not in only) or name in versions:
            continue
        try:
            plugin = entry_point.load()
        except (Exception, SystemExit) as error:
            raise PluginError(name, "import", f"{type(error).__name__}: {error}") from error
        _register(manager, plugin, name)
        versions[name] = entry_point.dist.version if entry_point.dist else "unknown"
    if only is not None:
        missing = sorted(set(only) - set(versions) - blocked)
        if missing:
            raise PluginError(
                ", ".join(missing),
                "load",
                "no installed pack has that name (see `maintlib plugins`)",
            )
    return Plugins(manager, versions, lifecycle)


def _warn_unknown(disabled: set[str], known: list[str]) -> None:
    """Warn about each name in ``MAINTLIB_DISABLE_PLUGINS`` that no installed pack has:
    a typo there would otherwise load the very pack meant to be blocked."""
    from maintlib._util.text import did_you_mean  # the catalog imports this module

    for name in sorted(disabled - set(known)):
        hint = did_you_mean(name, known)
        warnings.warn(
            f"{DISABLE_ENV}: no installed pack is named {name!r}{hint}"
            f" (installed: {', '.join(known) or 'none'})",
            InputWarning,
            stacklevel=3,
        )


def _ep_key(entry_point: metadata.EntryPoint) -> tuple[str, str]:
    return entry_point.name, entry_point.value


def _register(manager: pluggy.PluginManager, plugin: object, name: str) -> None:
    try:
        manager.register(plugin, name=name)
        manager.check_pending()
    except pluggy.PluginValidationError as error:
        manager.unregister(name=name)
        raise PluginError(name, "register", str(error) + _hook_hints(plugin)) from error
    except ValueError as error:  # the name is taken
        raise PluginError(name, "register", str(error)) from error


def _hook_hints(plugin: object) -> str:
    """``; maintlib_asset_kind: did you mean "maintlib_asset_kinds"?`` for each
    ``maintlib_*`` name of ``plugin`` that is no hook."""
    from maintlib._util.text import did_you_mean  # the catalog imports this module

    hooks = [name for name in dir(hookspecs) if name.startswith("maintlib_")]
    unknown = [n for n in dir(plugin) if n.startswith("maintlib_") and n not in hooks]
    hints = [f"{n}{did_you_mean(n, hooks)}" for n in unknown if did_you_mean(n, hooks)]
    return "".join(f"; {hint.replace(' — ', ': ', 1)}" for hint in hints)


def plugins_from(
    plugins: Mapping[str, object | ModuleType],
    versions: Mapping[str, str] | None = None,
    lifecycle: Lifecycle | None = None,
) -> Plugins:
    """Plugins built from objects given directly, not from entry points.

    Args:
        plugins: Pack name → module or object implementing hooks.
        versions: Pack name → version to report (default ``"0"``).
        lifecycle: The endoflife.date data the packs are given (None: the snapshot).

    Raises:
        PluginError: An object implements a hook that does not exist.
    """
    manager = new_manager()
    for name in sorted(plugins):
        _register(manager, plugins[name], name)
    return Plugins(manager, {name: (versions or {}).get(name, "0") for name in plugins}, lifecycle)


_EXPECTED: dict[str, type | tuple[type, ...]] = {
    "maintlib_asset_kinds": AssetKind,
    "maintlib_activities": Activity,
    "maintlib_release_calendars": ReleaseCalendar,
    "maintlib_rules": Rule,
    "maintlib_deadline_policies": (DeadlinePolicy, VulnerabilityPolicy),
    "maintlib_rate_cards": RateCard,
    "maintlib_risk_factors": RiskFactor,
    "maintlib_product_families": ProductFamily,
}


class Plugins:
    """The typed facade over the loaded packs: one method per hook.

    Each method returns ``(pack name, value)`` pairs sorted by pack name, so
    results never depend on the order packs were loaded in.
    """

    def __init__(
        self,
        manager: pluggy.PluginManager,
        versions: Mapping[str, str],
        lifecycle: Lifecycle | None = None,
    ) -> None:
        self.manager = manager
        self._versions = dict(versions)
        #: The endoflife.date data given to ``maintlib_rules`` and ``maintlib_risk_factors``.
        self.lifecycle = lifecycle if lifecycle is not None else shipped_lifecycle()

    def with_lifecycle(self, lifecycle: Lifecycle) -> Plugins:
        """The same packs, given ``lifecycle`` (a feed cache's newer data)."""
        return Plugins(self.manager, self._versions, lifecycle)

    def names(self) -> list[str]:
        """The loaded packs' names, sorted."""
        return sorted(self._versions)

    def info(self) -> list[PackInfo]:
        """Name, version and implemented hooks of each loaded pack, by name."""
        result = []
        for name in self.names():
            plugin = self.manager.get_plugin(name)
            callers = self.manager.get_hookcallers(plugin) or []
            hooks = sorted(caller.name for caller in callers)
            result.append(PackInfo(name, self._versions[name], tuple(hooks)))
        return result

    def _call(self, hook: str, **kwargs: object) -> list[tuple[str, Any]]:
        caller = getattr(self.manager.hook, hook)
        expected = _EXPECTED[hook]
        results: list[tuple[str, Any]] = []
        for impl in sorted(caller.get_hookimpls(), key=lambda i: i.plugin_name):
            try:
                returned = impl.function(*(kwargs[arg] for arg in impl.argnames))
            except (Exception, SystemExit) as error:  # a pack's exit() must not end the run
                raise PluginError(
                    impl.plugin_name, hook, f"{type(error).__name__}: {error}"
                ) from error
            for item in _items(returned, impl.plugin_name, hook):
                if not isinstance(item, expected):
                    raise PluginError(
                        impl.plugin_name,
                        hook,
                        f"returned {type(item).__name__}, expected {_names(expected)}",
                    )
                problem = value_problem(item)
                if problem:
                    raise PluginError(impl.plugin_name, hook, problem)
                results.append((impl.plugin_name, item))
        return results

    def asset_kinds(self) -> list[tuple[str, AssetKind]]:
        """Every pack's asset kinds."""
        return self._call("maintlib_asset_kinds")

    def activities(self) -> list[tuple[str, Activity]]:
        """Every pack's activities."""
        return self._call("maintlib_activities")

    def release_calendars(self) -> list[tuple[str, ReleaseCalendar]]:
        """Every pack's release calendars."""
        return self._call("maintlib_release_calendars")

    def rules(self) -> list[tuple[str, Rule]]:
        """Every pack's rules, with :attr:`Rule.pack` set to the pack's name."""
        return [
            (pack, attrs.evolve(rule, pack=pack))
            for pack, rule in self._call("maintlib_rules", lifecycle=self.lifecycle)
        ]

    def deadline_policies(self) -> list[tuple[str, DeadlinePolicy | VulnerabilityPolicy]]:
        """Every pack's deadline policies (update-class and vulnerability), with their pack set."""
        return [
            (pack, attrs.evolve(policy, pack=pack))
            for pack, policy in self._call("maintlib_deadline_policies")
        ]

    def rate_cards(self) -> list[tuple[str, RateCard]]:
        """Every pack's rate cards, with their pack set."""
        return [
            (pack, attrs.evolve(card, pack=pack))
            for pack, card in self._call("maintlib_rate_cards")
        ]

    def product_families(self) -> list[tuple[str, ProductFamily]]:
        """Every pack's product families, with their pack set."""
        return [
            (pack, attrs.evolve(family, pack=pack))
            for pack, family in self._call("maintlib_product_families")
        ]

    def risk_factors(
        self, asset: Asset, inventory: Inventory, as_of: dt.date | None = None
    ) -> list[tuple[str, RiskFactor]]:
        """Every pack's extra risk factors for ``asset``, assessed as of ``as_of``."""
        return self._call(
            "maintlib_risk_factors",
            asset=asset,
            inventory=inventory,
            as_of=as_of,
            lifecycle=self.lifecycle,
        )


def _names(expected: type | tuple[type, ...]) -> str:
    types = expected if isinstance(expected, tuple) else (expected,)
    return " or ".join(t.__name__ for t in types)


def _items(returned: object, plugin: str, hook: str) -> Iterable[object]:
    if returned is None:
        return ()
    if isinstance(returned, Sequence | set | frozenset) and not isinstance(returned, str):
        return returned
    raise PluginError(plugin, hook, f"returned {type(returned).__name__}, expected a sequence")
