"""The apply stage: inventory + catalog → risk-assessed :class:`Duty` s.

For every asset: assess its risk (article section 3), find the rules that cover
it, keep one winner per activity (the most specific selector, then the stricter
rule, then the rule's name — never the pack load order), and adjust the winner
to the asset: the tier's cadence and deadline, and ``auto_update`` turning
automatic updates into planned ones (article section 5) or the reverse.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

import attrs

from maintlib._util.recurrence import EPOCH, occurrences
from maintlib.model.catalog import Catalog
from maintlib.model.inventory import Asset, Inventory
from maintlib.model.risk import RiskAssessment, RiskFactor, RiskInputs, RiskWeights
from maintlib.model.rules import (
    Cadence,
    Expiry,
    Periodic,
    ReleaseCalendar,
    Released,
    Rule,
    RuleSpec,
    Scope,
    Step,
    extend,
    section5_steps,
    selector_key,
)
from maintlib.model.vocabulary import Mode, Tier, UpdateClass
from maintlib.model.work import Duties, Duty
from maintlib.planning.risk import assess

if TYPE_CHECKING:
    from maintlib.model.vulnerabilities import Assessments

__all__ = ["apply", "assess_asset", "effective_rules"]


#: The tier of organisation-wide duties (plan review, training): they matter, but
#: never before a vulnerable asset.
ORGANISATION_TIER = Tier.P3


#: Update classes an ``auto_update`` setting switches between planned and automatic.
SELF_UPDATING = frozenset({UpdateClass.SECURITY, UpdateClass.STANDARD, UpdateClass.DEFINITIONS})


def effective_rules(inventory: Inventory, catalog: Catalog) -> tuple[Rule, ...]:
    """The catalog's rules plus the inventory's own (``[[rules]]``).

    Raises:
        KeyError: An inventory rule extends a rule the catalog does not have
            (:func:`maintlib.loading.read.load` reports that as an input error first).
    """
    return (*catalog.rules, *(_spec_rule(spec, catalog) for spec in inventory.rules))


def _spec_rule(spec: RuleSpec, catalog: Catalog) -> Rule:
    if spec.rule is not None:
        return spec.rule
    assert spec.extends is not None
    return extend(catalog.rule(spec.extends), spec.changes, "inventory")


def assess_asset(
    asset: Asset,
    inventory: Inventory,
    catalog: Catalog,
    as_of: dt.date | None = None,
    vulnerabilities: Assessments | None = None,
    *,
    memo: dict[tuple[RiskInputs, tuple[RiskFactor, ...], str], RiskAssessment] | None = None,
) -> RiskAssessment:
    """The risk of one asset: the article's factors plus the packs' extra factors.

    Args:
        asset: The asset.
        inventory: The inventory it belongs to.
        catalog: The rule packs, asked for extra factors.
        as_of: The day the assessment is for (passed to the packs), or None.
        vulnerabilities: What the feeds say about the assets' CVEs
            (:func:`maintlib.vulns.rulings.assess`): KEV, EPSS and SSVC count
            in the vulnerabilities factor too.
        memo: Assessments already made, by their inputs: an asset whose inputs
            and extra factors equal another's gets the same (equal) object, made
            once — most of a fleet's assets score alike.
    """
    scores = [v.base_score for v in asset.vulnerabilities if v.base_score is not None]
    cves = {v.id for v in asset.vulnerabilities}
    kev, epss, ssvc = 0, [], [0]
    for assessment in vulnerabilities.of(asset.id) if vulnerabilities else ():
        finding = assessment.finding
        cves.add(finding.cve)
        scores += [finding.cvss] if finding.cvss is not None else []
        kev += finding.kev_listed
        epss += [finding.epss.epss] if finding.epss else []
        ssvc.append(finding.ssvc.worst if finding.ssvc else 0)
    kind = catalog.kinds.get(asset.kind)
    inputs = RiskInputs(
        criticality=asset.criticality,
        exposure=asset.exposure,
        vulnerabilities=len(cves),
        highest_cvss=max(scores) if scores else None,
        failures_last_year=asset.failures_last_year,
        value=asset.value,
        blast_radius=inventory.blast_radius(asset.id),
        infrastructure=kind.infrastructure if kind else False,
        kev_listed=kev,
        highest_epss=max(epss) if epss else None,
        ssvc_worst=max(ssvc),
        self_updating=asset.auto_update is True,
    )
    extra = (
        tuple(f for _, f in catalog.plugins.risk_factors(asset, inventory, as_of))
        if catalog.plugins
        else ()
    )
    if memo is None:
        return assess(inputs, inventory.risk or RiskWeights(), extra)
    # Equal decimals may read differently (5 and 5.0), and the factors' words
    # show them: their text is part of the key.
    key = (inputs, extra, f"{inputs.highest_cvss} {inputs.value} {inputs.highest_epss}")
    found = memo.get(key)
    if found is None:
        found = memo[key] = assess(inputs, inventory.risk or RiskWeights(), extra)
    return found


@lru_cache(maxsize=1024)
def _per_year(cadence: Cadence, calendar: ReleaseCalendar | None) -> int:
    """How many times a cadence fires in a reference year (its strictness)."""
    year = (dt.datetime(2025, 1, 1), dt.datetime(2026, 1, 1))  # noqa: DTZ001 - wall clock
    if isinstance(cadence, Periodic):
        return len(occurrences(cadence.rrule, EPOCH, *year))
    if isinstance(cadence, Released) and calendar is not None:
        rule = calendar.periods[-1].rrule
        months = set(cadence.months)
        return sum(1 for m in occurrences(rule, EPOCH, *year) if not months or m.month in months)
    return 0


def _strictness(rule: Rule, tier: Tier, catalog: Catalog) -> tuple[int, int]:
    cadence = rule.cadence_for(tier)
    calendar = catalog.calendars.get(cadence.calendar) if isinstance(cadence, Released) else None
    deadlines = rule.deadlines or catalog.default_deadlines(rule.update_class)
    deadline = deadlines.for_tier(tier) if deadlines else 10_000
    return -_per_year(cadence, calendar), deadline


def _winner(candidates: list[Rule], tier: Tier, catalog: Catalog) -> Rule:
    """Inventory rules first; then most specific; then stricter; then by name."""
    return min(
        candidates,
        key=lambda r: (
            r.pack != "inventory",
            -r.selector.specificity,
            *_strictness(r, tier, catalog),
            r.key,
        ),
    )


def _adjust(rule: Rule, auto: bool | None) -> tuple[Mode, bool, tuple[Step, ...], tuple[str, ...]]:
    mode, downtime, steps = rule.mode, rule.downtime, rule.steps
    notes: list[str] = []
    if auto is False and mode is Mode.AUTOMATIC:
        if rule.update_class is UpdateClass.DEFINITIONS:
            mode = Mode.OFFICE_HOURS
        else:
            mode, downtime = Mode.WINDOW, True
            steps = steps or section5_steps()
        notes.append(f"auto_update = false: automatic becomes {mode.value}")
    elif auto is True and mode is not Mode.AUTOMATIC and rule.update_class in SELF_UPDATING:
        mode, downtime = Mode.AUTOMATIC, False
        notes.append("auto_update = true: the asset updates itself; verified in office hours")
    if downtime and mode is Mode.WINDOW and not steps:
        steps = section5_steps()
    return mode, downtime, steps, tuple(notes)


@attrs.frozen
class _Shape:
    """What a duty takes from its rule, tier and auto_update: shared by many assets."""

    cadence: Cadence
    deadline_days: int | None
    mode: Mode
    downtime: bool
    steps: tuple[Step, ...]
    notes: tuple[str, ...]


def _shape(rule: Rule, tier: Tier, auto_update: bool | None, catalog: Catalog) -> _Shape:
    mode, downtime, steps, notes = _adjust(rule, auto_update)
    deadlines = rule.deadlines or catalog.default_deadlines(rule.update_class)
    return _Shape(
        cadence=rule.cadence_for(tier),
        deadline_days=deadlines.for_tier(tier) if deadlines else None,
        mode=mode,
        downtime=downtime,
        steps=steps,
        notes=notes,
    )


class _Resolver:
    """Picks winners and shapes duties, remembering both: a fleet has many assets
    with the same candidate rules, tier and ``auto_update``."""

    def __init__(self, rules: Sequence[Rule], catalog: Catalog) -> None:
        self.catalog = catalog
        self.by_kind: dict[str, list[Rule]] = {}
        self.any_kind: list[Rule] = []
        for rule in rules:
            if rule.scope is not Scope.ASSET:
                continue
            for kind in rule.selector.kinds:
                self.by_kind.setdefault(kind, []).append(rule)
            if not rule.selector.kinds:
                self.any_kind.append(rule)
        self._winners: dict[tuple[tuple[int, ...], Tier], Rule] = {}
        self._shapes: dict[tuple[int, Tier, bool | None], _Shape] = {}
        # Assets alike in everything a selector reads have the same candidates; a
        # rule naming assets makes its assets' ids part of what is alike.
        self._named = frozenset(
            name for rule in rules if rule.scope is Scope.ASSET for name in rule.selector.assets
        )
        self._candidates: dict[tuple[object, ...], dict[str, list[Rule]]] = {}

    def candidates(self, asset: Asset) -> dict[str, list[Rule]]:
        """The rules covering ``asset``, by activity, in the order of the rules (the
        lists are shared between alike assets: not to be changed)."""
        key = (*selector_key(asset), asset.id if asset.id in self._named else None)
        found = self._candidates.get(key)
        if found is None:
            found = self._candidates[key] = self._match(asset)
        return found

    def _match(self, asset: Asset) -> dict[str, list[Rule]]:
        category = self.catalog.kinds[asset.kind].category
        by_activity: dict[str, list[Rule]] = {}
        # Packs give many rules per vendor (a row per product and version): the
        # vendor is checked once per pattern, and the other criteria only when it holds.
        vendors: dict[str | None, bool] = {None: True}
        for rule in (*self.by_kind.get(asset.kind, ()), *self.any_kind):
            selector = rule.selector
            vendor = vendors.get(selector.vendor)
            if vendor is None:
                vendor = vendors[selector.vendor] = selector.matches_vendor(asset)
            if vendor and selector.matches(asset, category):
                by_activity.setdefault(rule.activity, []).append(rule)
        return by_activity

    def winner(self, candidates: list[Rule], tier: Tier) -> Rule:
        key = (tuple(id(r) for r in candidates), tier)
        if key not in self._winners:
            self._winners[key] = _winner(candidates, tier, self.catalog)
        return self._winners[key]

    def duty(self, rule: Rule, asset: Asset | None, tier: Tier, overridden: Iterable[Rule]) -> Duty:
        auto = asset.auto_update if asset else None
        key = (id(rule), tier, auto)
        shape = self._shapes.get(key)
        if shape is None:
            shape = self._shapes[key] = _shape(rule, tier, auto, self.catalog)
        return Duty(
            asset=asset,
            rule=rule,
            activity=self.catalog.activities[rule.activity],
            tier=tier,
            cadence=shape.cadence,
            deadline_days=shape.deadline_days,
            mode=shape.mode,
            downtime=shape.downtime,
            duration=rule.duration,
            steps=shape.steps,
            overrides=tuple(sorted(r.key for r in overridden if r is not rule)),
            notes=shape.notes,
        )


def apply(
    inventory: Inventory,
    catalog: Catalog,
    *,
    as_of: dt.date | None = None,
    vulnerabilities: Assessments | None = None,
) -> Duties:
    """Turn an inventory into duties, one per asset and activity.

    Args:
        inventory: A loaded (checked) inventory.
        catalog: The rule packs' knowledge.
        as_of: The day risks are assessed for (a plan's first day), passed to
            the packs' ``maintlib_risk_factors``; None when there is no such day.
        vulnerabilities: What the feeds say about the assets' CVEs, for risk.

    Returns:
        Every duty, sorted by asset id then activity (organisation-wide duties
        last), and every asset's risk assessment.
    """
    rules = effective_rules(inventory, catalog)
    resolver = _Resolver(rules, catalog)
    duties: list[Duty] = []
    risks: dict[str, RiskAssessment] = {}
    memo: dict[tuple[RiskInputs, tuple[RiskFactor, ...], str], RiskAssessment] = {}
    for asset in inventory.assets:
        risk = assess_asset(asset, inventory, catalog, as_of, vulnerabilities, memo=memo)
        risks[asset.id] = risk
        by_activity = resolver.candidates(asset)
        for activity in sorted(by_activity):
            candidates = by_activity[activity]
            winner = resolver.winner(candidates, risk.tier)
            if winner.enabled:
                tier = winner.priority or risk.tier
                duty = resolver.duty(winner, asset, tier, candidates)
                if isinstance(duty.cadence, Expiry):
                    # A renewal ahead of the asset's own date; without one, none.
                    if asset.expires is None:
                        continue
                    duty = attrs.evolve(duty, cadence=duty.cadence.for_asset(asset.expires))
                if tier is not risk.tier:
                    note = (
                        f"priority {tier.value} by its rule;"
                        f" the asset's risk gives {risk.tier.value}"
                    )
                    duty = attrs.evolve(duty, notes=(*duty.notes, note))
                duties.append(duty)
    organisation: dict[str, list[Rule]] = {}
    for rule in rules:
        if rule.scope is Scope.ORGANISATION:
            organisation.setdefault(rule.activity, []).append(rule)
    for activity in sorted(organisation):
        winner = _winner(organisation[activity], ORGANISATION_TIER, catalog)
        if winner.enabled:
            duties.append(resolver.duty(winner, None, ORGANISATION_TIER, organisation[activity]))
    return Duties(tuple(duties), risks)
