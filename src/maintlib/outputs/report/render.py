"""The report stage: a plan (and its costs) as documents people read.

* :func:`build_report` + :func:`render_document`: the customer report — one
  self-contained HTML file, a short Markdown summary, or a CSV of the tasks — in
  Dutch or English (``docs/report.md``).
* :func:`render_summary` is what ``maintlib plan`` prints; :func:`render_cost_table`
  and :func:`render_quote` are what ``maintlib cost`` prints.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import operator
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import attrs

from maintlib._util.text import natural_key, quoting_briefly
from maintlib.model.errors import InputError, Problem
from maintlib.model.money import CostRange
from maintlib.model.plan import Plan, Status
from maintlib.model.vocabulary import Tier
from maintlib.outputs.i18n import Language, default_language, language, pack_texts
from maintlib.outputs.report import words
from maintlib.outputs.report.charts import PALETTE, Series, heat_map, stacked_bars
from maintlib.outputs.report.data import (
    MaintenanceRow,
    ProjectLine,
    ReportData,
    RiskRow,
    TaskLine,
    UnplacedLine,
    gather,
)

if TYPE_CHECKING:
    import jinja2

    from maintlib.model.catalog import Catalog
    from maintlib.model.costs import Quote
    from maintlib.model.inventory import Inventory
    from maintlib.records.compliance import Compliance

__all__ = [
    "FORMATS",
    "build_report",
    "default_language",
    "md_escape",
    "plan_of_json",
    "render_cost_table",
    "render_document",
    "render_quote",
    "render_summary",
]


FORMATS: tuple[str, ...] = ("html", "md", "csv")


TEMPLATES = Path(__file__).parent / "templates"


#: The Markdown summary lists at most this many problems and one-off items (the
#: HTML report has them all), so that it stays short for a firm of 40 seats.
MD_LIMIT = 15


#: The Markdown risk register lists at most this many assets, highest risk first.
MD_RISKS = 50


#: The tiers whose late or unplaced dues are problems (``maintlib plan --strict``).
URGENT = frozenset({Tier.P1, Tier.P2})


def _per_month(starts: Iterable[dt.datetime], zone: ZoneInfo) -> Counter[str]:
    """How many of ``starts`` fall in each ``YYYY-MM`` of ``zone``. A month's bounds are
    worked out when a start falls outside the last month's: a plan's tasks come in
    start order, so that is about once a month, not once a task."""
    counts: Counter[str] = Counter()
    low = high = None
    month = ""
    for start in starts:
        if low is None or high is None or not low <= start < high:
            local = start.astimezone(zone)
            month = f"{local.year:04d}-{local.month:02d}"
            low = dt.datetime(local.year, local.month, 1, tzinfo=zone)
            high = dt.datetime(local.year + local.month // 12, local.month % 12 + 1, 1, tzinfo=zone)
        counts[month] += 1
    return counts


def render_summary(plan: Plan) -> str:
    """Tasks per month, unplaced dues with reasons, warnings; for the terminal."""
    lines = [
        f"{plan.organisation.name}: {plan.horizon.start} to {plan.horizon.end}"
        f" ({plan.horizon.timezone.key})",
        *_quality(plan),
    ]
    per_month = _per_month_of(plan)
    if per_month:
        lines.append("  tasks per month:")
        lines.extend(f"    {month}: {per_month[month]}" for month in sorted(per_month))
    if plan.unplaced:
        reasons = Counter(entry.reason.value for entry in plan.unplaced)
        lines.append("  unplaced by reason:")
        lines.extend(f"    {reason}: {reasons[reason]}" for reason in sorted(reasons))
        for entry in plan.unplaced[:10]:
            lines.append(f"    {entry.due.uid}: {entry.detail}")
        if len(plan.unplaced) > 10:
            lines.append(f"    … and {len(plan.unplaced) - 10} more (see the JSON or the report)")
    if plan.projects:
        lines.append("  projects (upgrades or replacements, planned with the owner, in no window):")
        for project in plan.projects:
            state = "support already ended; " if project.overdue else ""
            cost = ""
            if plan.costs is not None and project.uid in plan.costs.projects:
                cost = f", {plan.costs.projects[project.uid]} one-off"
            lines.append(
                f"    {project.due.tier.value} {project.uid}: {state}by"
                f" {project.due.deadline.date()}{cost}"
            )
    for warning in plan.warnings:
        lines.append(f"  warning: {warning}")
    if plan.costs is not None:
        costs = plan.costs
        lines.append(
            f"  cost ({costs.profile}): labour {costs.labour}, fees {costs.fees},"
            f" total {costs.total}; covered by the fees, not billed again:"
            f" {len(costs.covered)} tasks worth {costs.included}"
        )
    return "\n".join(lines) + "\n"


def _per_month_of(plan: Plan) -> Counter[str]:
    """The plan's tasks per month of their start, in the horizon's zone."""
    return _per_month(map(_START, plan.tasks), plan.horizon.timezone)


_START = operator.attrgetter("start")


def _quality(plan: Plan) -> list[str]:
    """What happened to the dues, P1/P2 problems first and loud."""
    summary = plan.summary()
    late = [
        task
        for task in plan.tasks
        if task.start > task.due.deadline and task.due.tier in URGENT  # task.status is LATE
    ]
    unplaced = [entry for entry in plan.unplaced if entry.due.tier in URGENT]
    urgent = len(late) + len(unplaced)
    if urgent:
        # Only the first ten are shown: their lateness is put in words, not every one's.
        shown = [
            (f"{task.uid}: {language('en').lateness(task.late_by)}", task.late_detail)
            for task in late[:10]
        ] + [(f"{entry.due.uid}: unplaced", entry.detail) for entry in unplaced[:10]]
        lines = [f"  !! P1/P2 PROBLEMS: {urgent} dues late or unplaced"]
        lines.extend(f"     {what} ({why})" for what, why in shown[:10])
        if urgent > 10:
            lines.append(f"     … and {urgent - 10} more (see the JSON or the report)")
        lines.append(
            "     `maintlib check` names what no plan can avoid: deadlines before any window,"
            " too little window time, ring soak, blackouts"
        )
    else:
        lines = ["  P1/P2: every due on time"]
    lines.append(
        f"  dues {plan.dues}: {summary['on_time']} on time, {summary['late']} late,"
        f" {summary['superseded']} superseded, {summary['unplaced']} unplaced,"
        f" {summary['projects']} projects; {len(plan.tasks)} tasks,"
        f" {len(plan.warnings)} warnings"
    )
    for tier, figures in summary["by_tier"].items():
        if any(figures[key] for key in ("on_time", "late", "superseded", "unplaced")):
            lines.append(
                f"    {tier}: {figures['on_time']} on time, {figures['late']} late"
                f" (max {figures['late_hours_max']} h), {figures['superseded']} superseded,"
                f" {figures['unplaced']} unplaced"
            )
    return lines


def _range(cost: CostRange) -> str:
    from maintlib.model.money import format_amount

    return f"{format_amount(cost.low, cost.currency)}–{format_amount(cost.high, cost.currency)}"


def render_cost_table(plan: Plan) -> str:
    """Month by month: labour, fees and total ranges, then the totals."""
    costs = plan.costs
    if costs is None:
        return "no costs: the inventory has no profile in the organisation's currency\n"
    header = f"{'month':<10}  {'labour':>23}  {'fees':>23}  {'total':>23}"
    lines = [f"profile {costs.profile}, amounts in {costs.currency}", header, "-" * len(header)]
    for month in costs.months:
        lines.append(
            f"{month.start.isoformat():<10}  {_range(month.labour):>23}  {_range(month.fees):>23}"
            f"  {_range(month.total):>23}"
        )
    lines.append("-" * len(header))
    lines.append(
        f"{'total':<10}  {_range(costs.labour):>23}  {_range(costs.fees):>23}"
        f"  {_range(costs.total):>23}"
    )
    if costs.covered:
        lines.append(
            f"{len(costs.covered)} tasks are included in the fees (their labour would be"
            f" {_range(costs.included)}); labour above is what is billed on top"
        )
    return "\n".join(lines) + "\n"


def render_quote(quote: Quote) -> str:
    """A profile's monthly cost, item by item."""
    lines = [f"profile {quote.profile}, per month, in {quote.currency}"]
    width = max((len(item.name) for item in quote.items), default=5)
    for item in quote.items:
        lines.append(f"  {item.name:<{width}}  {_range(item.monthly):>23}")
    lines.append(f"  {'total':<{width}}  {_range(quote.monthly):>23}")
    return "\n".join(lines) + "\n"


def build_report(
    plan: Plan,
    inventory: Inventory,
    catalog: Catalog | None = None,
    compliance: Compliance | None = None,
) -> ReportData:
    """What a report of ``plan`` shows: the plan with its inventory's names and risks.

    Args:
        plan: A plan of ``inventory`` (:func:`maintlib.plan`).
        inventory: The inventory it was planned from.
        catalog: The rule packs it was planned with; None loads the installed ones.
        compliance: The compliance of a maintenance log (:func:`maintlib.compliance`),
            shown in its own section; None leaves the section out.
    """
    from maintlib.packs.catalog import build_catalog
    from maintlib.planning.apply import apply

    catalog = catalog if catalog is not None else build_catalog()
    risks = apply(inventory, catalog, as_of=plan.horizon.start).risks
    data = gather(plan, inventory, catalog, risks)
    if compliance is None:
        return data
    return attrs.evolve(data, compliance=compliance.to_json())


def plan_of_json(
    document: Mapping[str, Any], inventory: Inventory, catalog: Catalog, *, name: str = "<plan>"
) -> Plan:
    """The plan a plan JSON file records, recomputed from its inventory and checked.

    A plan JSON (``maintlib.plan/3``, ``/2``, ``/1``) records the horizon, the reference time and a
    digest of every input, but no asset names, owners, cadences or risks — which a
    report shows. So the plan is computed again from ``inventory`` with the
    file's horizon and reference time; planning is a pure function, so when the
    digests agree it is the plan of the file, task for task.

    Args:
        document: The parsed plan JSON.
        inventory: The inventory the plan was made from.
        catalog: The rule packs it was made with.
        name: The file's name, for errors.

    Raises:
        InputError: Not a plan JSON, or a plan of other inputs (another inventory,
            other rule packs or versions): the digests differ.
    """
    from maintlib.pipeline import plan as make_plan

    try:
        if not str(document["format"]).startswith("maintlib.plan/"):
            raise ValueError(f"format {document['format']!r}")
        start = dt.date.fromisoformat(document["horizon"]["start"])
        end = dt.date.fromisoformat(document["horizon"]["end"])
        reference = dt.datetime.fromisoformat(document["generated_at"])
        digest = str(document["digest"])
    except (KeyError, TypeError, ValueError) as error:
        raise InputError(
            [Problem(name, "", f"not a maintlib plan JSON ({quoting_briefly(error)})")]
        ) from None
    months = (end.year - start.year) * 12 + end.month - start.month
    result = make_plan(
        inventory, start=start, months=months, reference_time=reference, plugins=catalog
    )
    if result.digest != digest:
        raise InputError(
            [
                Problem(
                    name,
                    "digest",
                    "the plan was made from other inputs than this inventory and these rule"
                    " packs (the digests differ); plan again, or give the inventory it was"
                    " made from",
                )
            ]
        )
    return result


def render_document(data: ReportData, *, format: str = "html", lang: str = "en") -> bytes:
    """The report as bytes: ``html`` (one self-contained page), ``md`` or ``csv``.

    Same data, same bytes. HTML and Markdown are UTF-8; the CSV is UTF-8 with a
    byte-order mark, for Excel (see :func:`_csv`).

    Raises:
        ValueError: An unknown format or language.
    """
    if format not in FORMATS:
        raise ValueError(f"unknown report format {format!r}; use one of {', '.join(FORMATS)}")
    chosen = language(lang).with_texts(pack_texts(data.activities, lang))
    if format == "csv":
        return _csv(data, chosen)
    view = _View(data, chosen)
    template = _environment(format, lang).get_template(f"report.{format}.j2")
    text = template.render(view.context(with_charts=format == "html"))
    return text.encode("utf-8")


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>&|#!~])")


def md_escape(value: object) -> str:
    """Text safe anywhere in a Markdown line: one line, no markup, no HTML.

    Newlines become spaces; backslash, backtick, ``* _ [ ] < > & | # ! ~`` are
    backslash-escaped (CommonMark renders an escaped character as itself, so
    ``<script>`` stays text and ``|`` cannot end a table cell).
    """
    text = " ".join(str(value).splitlines())
    return _MD_SPECIAL.sub(r"\\\1", text)


@functools.cache
def _environment(format: str, lang: str) -> jinja2.Environment:
    # Jinja2 loads with the first report: `maintlib plan` imports this module for its
    # terminal summary on every run.
    import jinja2

    # Markdown has no autoescape of its own: there every {{ }} output is escaped
    # on the way out (finalize), translations and numbers included.
    options: dict[str, Any] = (
        {"autoescape": True}
        if format == "html"
        else {"autoescape": False, "trim_blocks": True, "finalize": md_escape}
    )
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        extensions=["jinja2.ext.i18n"],
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        **options,
    )
    environment.filters["fromiso"] = _from_iso
    environment.install_gettext_translations(  # type: ignore[attr-defined]
        language(lang).translations, newstyle=True
    )
    return environment


def _from_iso(text: str) -> dt.date | dt.datetime:
    """A date (``2027-01-01``) or a date-time with offset from ISO 8601 text."""
    return dt.date.fromisoformat(text) if len(text) == 10 else dt.datetime.fromisoformat(text)


class _View:
    """The template's helpers: formatting in the report's language."""

    def __init__(self, data: ReportData, lang: Language) -> None:
        self.data = data
        self.lang = lang

    def context(self, *, with_charts: bool) -> dict[str, Any]:
        data = self.data
        context: dict[str, Any] = {
            "data": data,
            "lang": self.lang,
            "words": words,
            "pack": self.pack,
            "table": sorted(
                data.table,
                key=lambda row: (self.pack(row.activity_label), self.pack(row.kind_label)),
            ),
            "last_day": data.horizon_end - dt.timedelta(days=1),
            "task_count": len(data.tasks),
            "unplaced_count": len(data.unplaced),
            "project_count": sum(row.projects for row in data.tiers),
            "total_hours": sum((m.total_hours for m in data.months), Decimal(0)),
            "problems": [self._problem(item) for item in data.problems],
            "one_off": self._one_off(),
            "end_of_support": self._end_of_support(),
            "when": self.when,
            "span": self.span,
            "assets_cell": self.assets_cell,
            "when_cell": self.when_cell,
            "factors": self.factors,
            "task_cost": self.task_cost,
            "percent": self.percent,
            "md_problems": MD_LIMIT,
            "md_risks": MD_RISKS,
        }
        if with_charts:
            context.update(self.charts())
        return context

    def percent(self, rate: float | None) -> str:
        """An on-time rate as a percentage, or a dash when nothing was due."""
        return "–" if rate is None else f"{self.lang.number(rate * 100, 1)}%"

    def _zone_note(self, moment: dt.datetime) -> str:
        zone = getattr(moment.tzinfo, "key", "")
        return "" if zone == self.data.timezone.key else f" ({zone})"

    def pack(self, text: str) -> str:
        """A rule pack's label in the report's language (:func:`words.pack_text`)."""
        return words.pack_text(self.lang, text)

    def when(self, moment: dt.datetime) -> str:
        """``12 jan. 2027 22:00``, with the zone when it is not the organisation's."""
        return f"{self.lang.date(moment.date())} {self.lang.time(moment)}{self._zone_note(moment)}"

    def span(self, task: TaskLine) -> str:
        """``di 12 jan. 22:00–23:00``."""
        lang = self.lang
        return (
            f"{lang.weekday_date(task.start.date())} {lang.time(task.start)}–"
            f"{lang.time(task.end)}{self._zone_note(task.start)}"
        )

    def assets_cell(self, row: MaintenanceRow) -> str:
        """``Workstation × 25 (ws01 … ws25)``, ``Firewall (fw01)``, or for a group of
        several kinds ``Access point / Switch (ap01, ap02, sw01, sw02)``."""
        ids = row.asset_ids
        if not ids:
            return self.lang.gettext("the organisation")
        kind = " / ".join(self.pack(label) for label in (row.kind_label, *row.other_kind_labels))
        if len(ids) <= 4:
            return f"{kind} ({', '.join(ids)})"
        return f"{kind} × {len(ids)} ({ids[0]} … {ids[-1]})"

    def when_cell(self, row: MaintenanceRow) -> str:
        """The windows the work is placed in, or how it is done without one."""
        if not row.windows:
            return words.mode(self.lang, row.mode)
        home = self.data.timezone.key
        parts = []
        for name in row.windows:
            rrule, start, zone = self.data.windows[name]
            parts.append(words.window(self.lang, name, rrule, start, zone.key, home))
        return "; ".join(parts)

    def factors(self, row: RiskRow) -> str:
        """``criticality 30; exposure 20`` (the factors that add points)."""
        return "; ".join(
            f"{words.factor_name(self.lang, f.name)} {self.lang.number(f.contribution, 2)}"
            for f in row.assessment.factors
            if f.contribution
        )

    def task_cost(self, task: TaskLine) -> str:
        """The task's labour, or the fee that includes it."""
        if task.covered_by is not None:
            return self.lang.gettext("in the fee “%(fee)s”") % {"fee": self.pack(task.covered_by)}
        return self.lang.money_range(task.cost) if task.cost is not None else ""

    def _problem(self, item: UnplacedLine | TaskLine) -> dict[str, Any]:
        if isinstance(item, UnplacedLine):
            problem = words.reason(self.lang, item.reason)
        else:
            problem = self.lang.gettext("Starts %(late)s.") % {
                "late": self.lang.lateness(item.late_by)
            }
            if item.late_reason is not None:
                problem += " " + words.reason(self.lang, item.late_reason)
        return {
            "tier": item.tier,
            "subject": item.subject,
            "activity_label": self.pack(item.activity_label),
            "deadline": item.deadline,
            "problem": problem,
        }

    def _ids(self, ids: Sequence[str]) -> str:
        """``ws01, ws02`` or ``ws01, ws02, ws03 … ws25 (25)``, in natural order (ws2
        before ws10)."""
        ids = sorted(ids, key=natural_key)
        if len(ids) <= 6:
            return ", ".join(ids)
        return f"{', '.join(ids[:3])} … {ids[-1]} ({self.lang.number(len(ids), 0)})"

    def _one_off(self) -> list[dict[str, Any]]:
        """One-off work (end of support, emergencies) grouped by activity and day."""
        _ = self.lang.gettext
        groups: dict[tuple[str, str], list[str]] = {}
        for item in self.data.one_off:
            if isinstance(item, ProjectLine):
                when = self._project(item)
            elif isinstance(item, UnplacedLine):
                when = _("no slot; deadline %(date)s") % {
                    "date": self.lang.date(item.deadline.date())
                }
            else:
                when = _("planned %(date)s") % {"date": self.lang.date(item.start.date())}
            ids = item.asset_ids or (item.subject,)
            groups.setdefault((self.pack(item.activity_label), when), []).extend(ids)
        return [
            {"activity_label": label, "when": when, "assets": self._ids(ids)}
            for (label, when), ids in groups.items()
        ]

    def _project(self, item: ProjectLine) -> str:
        """A project's words: that it is one, by when, its hours and one-off cost."""
        _, lang = self.lang.gettext, self.lang
        values = {
            "tier": item.tier.value,
            "date": lang.date(item.deadline.date()),
            "hours": lang.number(item.effort.total_seconds() / 3600, 1),
        }
        if item.overdue:
            text = _("a %(tier)s project, support already ended: by %(date)s, %(hours)s h") % values
        else:
            text = _("a %(tier)s project: by %(date)s, %(hours)s h") % values
        if item.cost is not None:
            text += _(", %(cost)s one-off") % {"cost": lang.money_range(item.cost)}
        return text

    def _end_of_support(self) -> list[dict[str, Any]]:
        """Assets past or near their end of support, grouped by the product's dates."""
        groups: dict[str, list[str]] = {}
        for row in self.data.end_of_support:
            factor = row.end_of_support
            assert factor is not None
            groups.setdefault(factor.value, []).append(row.asset.id)
        return [
            {"detail": words.end_of_support(self.lang, detail), "assets": self._ids(ids)}
            for detail, ids in sorted(groups.items())
        ]

    def charts(self) -> dict[str, Any]:
        """The three inline SVG charts."""
        data, lang = self.data, self.lang
        _ = lang.gettext
        labels = [lang.month_short(m.start) for m in data.months]
        categories = data.categories
        colours = dict(zip(categories, PALETTE, strict=False))
        hours = [
            Series(
                words.category(lang, c),
                colours[c],
                tuple(float(m.hours.get(c, 0)) for m in data.months),
            )
            for c in categories
        ]
        peak = max(data.months, key=lambda m: (m.total_hours, -m.start.toordinal()), default=None)
        hours_desc = _(
            "Stacked bars, one per month, of planned hours by category: %(categories)s."
        ) % {"categories": ", ".join(s.name for s in hours)}
        if peak is not None:
            hours_desc += " " + _("The busiest month is %(month)s with %(hours)s hours.") % {
                "month": lang.month(peak.start),
                "hours": lang.number(peak.total_hours, 1),
            }
        context: dict[str, Any] = {
            "hours_chart": stacked_bars(
                "hours",
                _("Hours per month"),
                hours_desc,
                labels,
                hours,
                lambda v: lang.number(v, 1),
            ),
            "cost_chart": None,
        }
        if data.costs is not None:
            currency = data.costs.currency
            cost = [
                Series(
                    words.category(lang, c),
                    colours[c],
                    tuple(
                        float(m.labour_by_category[c].high) if c in m.labour_by_category else 0.0
                        for m in data.months
                    ),
                )
                for c in categories
            ]
            cost.append(
                Series(_("fees"), "#bbbbbb", tuple(float(m.fees.high) for m in data.months))
            )
            context["cost_chart"] = stacked_bars(
                "cost",
                _("Cost per month"),
                _(
                    "Stacked bars, one per month, of the upper end of the cost range:"
                    " labour by category, then the fees. Total for the period: %(total)s."
                )
                % {"total": lang.money_range(data.costs.total)},
                labels,
                cost,
                lambda v: lang.money_whole(Decimal(round(v)), currency),
            )
        context["heat_chart"] = heat_map(
            "heat",
            _("Planned work per day"),
            _(
                "A calendar of the period, one square per day, one column per week;"
                " the darker the square, the more hours of work are planned that day."
            ),
            data.horizon_start,
            data.horizon_end,
            data.days,
            [lang.weekday(i) for i in range(7)],
            lang.month_short,
            lambda day, value: (
                _("%(date)s: %(hours)s hours")
                % {"date": lang.date(day), "hours": lang.number(value, 1)}
            ),
            scale=lambda hours: _("%(hours)s h") % {"hours": lang.number(hours, 1)},
            none_label=_("no work"),
        )
        return context


def _neutralise(text: str) -> str:
    """A cell a spreadsheet cannot run as a formula (OWASP, CSV injection).

    A cell starting with ``=``, ``+``, ``-``, ``@``, a tab, a carriage return or a
    line feed gets a leading apostrophe, so Excel and LibreOffice show it as text.
    """
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r", "\n") else text


def _decimal(lang: Language, value: Decimal) -> str:
    text = f"{value.quantize(Decimal('0.01'))}"
    return text.replace(".", ",") if lang.code == "nl" else text


def _csv(data: ReportData, lang: Language) -> bytes:
    """One row per task, for spreadsheets.

    Dutch: ``;`` between cells and a decimal comma — what Excel with Dutch
    regional settings expects. English: ``,`` and a decimal point. Both UTF-8
    with a byte-order mark (without it Excel reads UTF-8 as Windows-1252) and
    CRLF line ends; every cell quoted and neutralised (:func:`_neutralise`).
    Dates are ISO 8601 (Excel reads them as dates in either setting).
    """
    _ = lang.gettext
    header = [
        _("task"),
        _("asset ids"),
        _("subject"),
        _("activity"),
        _("priority"),
        _("status"),
        _("late by (hours)"),
        _("date"),
        _("start"),
        _("end"),
        _("time zone"),
        _("window"),
        _("hours"),
        _("cost low"),
        _("cost high"),
        _("currency"),
        _("included in fee"),
        _("deadline"),
    ]
    buffer = io.StringIO()
    writer = csv.writer(
        buffer,
        delimiter=";" if lang.code == "nl" else ",",
        quoting=csv.QUOTE_ALL,
        lineterminator="\r\n",
    )
    writer.writerow(header)
    for task in data.tasks:
        row: Sequence[str] = [
            task.uid,
            " ".join(task.asset_ids),
            task.subject,
            words.pack_text(lang, task.activity_label),
            task.tier.value,
            words.status(lang, task.status),
            _decimal(lang, Decimal(int(task.late_by.total_seconds())) / 3600)
            if task.status is Status.LATE
            else "",
            task.start.date().isoformat(),
            f"{task.start:%H:%M}",
            f"{task.end:%H:%M}",
            getattr(task.start.tzinfo, "key", ""),
            task.window or words.mode(lang, task.mode),
            _decimal(lang, task.hours),
            _decimal(lang, task.cost.low) if task.cost else "",
            _decimal(lang, task.cost.high) if task.cost else "",
            task.cost.currency if task.cost else "",
            words.pack_text(lang, task.covered_by) if task.covered_by else "",
            task.deadline.strftime("%Y-%m-%d %H:%M"),
        ]
        writer.writerow([_neutralise(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
