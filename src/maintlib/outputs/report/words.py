"""The report's words for structured values: modes, reasons, cadences, risk factors.

Each function takes the :class:`~maintlib._i18n.Language` and returns text in it.
The messages are literal ``_()``/``ngettext()`` calls so that Babel's extractor
finds them. The built-in pack's labels are in the catalogue too
(:data:`BUILTIN_TEXTS`); other packs translate their activity labels themselves
(``Activity.labels``); their other texts (calendar ids, their own risk factors) are
shown as the pack wrote them.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import TYPE_CHECKING

from maintlib._util.text import N_
from maintlib.model.plan import Reason, Status
from maintlib.model.risk import RiskFactor
from maintlib.model.rules import Cadence, Expiry, Periodic, Released
from maintlib.model.vocabulary import Category, Criticality, Exposure, Mode
from maintlib.outputs.i18n import Language

if TYPE_CHECKING:
    from maintlib.outputs.report.data import RiskRow

__all__ = [
    "BUILTIN_TEXTS",
    "cadence",
    "category",
    "duration",
    "end_of_support",
    "factor_name",
    "factor_value",
    "mode",
    "pack_text",
    "reason",
    "risk_in_words",
    "status",
    "window",
]


#: The built-in pack's activity labels, kind labels and fee names, and the labels of
#: emergency work (``emergency.py``): English there, translated in reports through
#: the catalogue.
#: ``tests/test_report_i18n.py`` fails when the pack has a label this list lacks.
BUILTIN_TEXTS = frozenset(
    {
        N_("Access review"),
        N_("Backup check"),
        N_("Cloud service review"),
        N_("Configuration backup"),
        N_("Database maintenance"),
        N_("Antivirus definitions"),
        N_("Firmware update"),
        N_("Health check"),
        N_("Licence and subscription review"),
        N_("Log and traffic review"),
        N_("Performance review"),
        N_("Maintenance plan review"),
        N_("Restore test"),
        N_("Security updates"),
        N_("Service pack"),
        N_("Standard updates"),
        N_("Training"),
        N_("Upgrade or replace"),
        N_("Renewal"),
        N_("Access point"),
        N_("Application"),
        N_("Backup system"),
        N_("Cloud service"),
        N_("TLS certificate"),
        N_("Domain name"),
        N_("Firewall"),
        N_("Hypervisor host"),
        N_("Laptop"),
        N_("Physical server"),
        N_("Router"),
        N_("Shared storage"),
        N_("Switch"),
        N_("Virtual server"),
        N_("Workstation"),
        N_("access point management"),
        N_("backup management"),
        N_("cloud services (licences included)"),
        N_("firewall management"),
        N_("firewall, switches, access points"),
        N_("maintenance of all servers and workplaces"),
        N_("managed service (on-site and remote support)"),
        N_("server maintenance"),
        N_("switch management"),
        N_("Emergency remediation"),
        N_("Forensic triage"),
        N_("Remediation verification"),
        N_("Version check"),
        N_("SLA review"),
    }
)


def pack_text(lang: Language, text: str) -> str:
    """A rule pack's label in ``lang``: the built-in pack's from the catalogue, the
    other packs' from their own translations (``Activity.labels``, given to ``lang``
    by :meth:`~maintlib.outputs.i18n.Language.with_texts`), else as the pack wrote it."""
    return lang.gettext(text) if text in BUILTIN_TEXTS else lang.texts.get(text, text)


def status(lang: Language, value: Status) -> str:
    """``on time`` or ``late``."""
    _ = lang.gettext
    return {Status.ON_TIME: _("on time"), Status.LATE: _("late")}[value]


def mode(lang: Language, value: Mode) -> str:
    """How the work is done, in a few words."""
    _ = lang.gettext
    return {
        Mode.WINDOW: _("planned, in a maintenance window"),
        Mode.OFFICE_HOURS: _("during office hours"),
        Mode.AUTOMATIC: _("automatic, checked during office hours"),
    }[value]


def category(lang: Language, value: Category) -> str:
    """The asset family's name."""
    _ = lang.gettext
    return {
        Category.SERVER: _("servers"),
        Category.NETWORK: _("network"),
        Category.ENDPOINT: _("workplaces"),
        Category.APPLICATION: _("applications"),
        Category.CLOUD: _("cloud services"),
        Category.BACKUP: _("backup"),
        Category.OTHER: _("other"),
    }[value]


def reason(lang: Language, value: Reason) -> str:
    """Why a due has no slot, or why its task starts late, as a sentence."""
    _ = lang.gettext
    return {
        Reason.NO_ELIGIBLE_WINDOW: _("No maintenance window applies to this asset."),
        Reason.NO_SLOT_BEFORE_DEADLINE: _("No free slot before the deadline."),
        Reason.BLACKOUT: _("Every slot before the deadline falls in a blackout period."),
        Reason.CAPACITY_FULL: _("The windows before the deadline are fully booked."),
        Reason.HA_PARTNER: _("Its redundancy partner is down in every remaining slot."),
        Reason.HOST_GUEST: _("Its host or its guests are down in every remaining slot."),
        Reason.SERVER_APPLICATION: _(
            "Its server or an application on it is down in every remaining slot."
        ),
        Reason.RING_SOAK: _("The test ring's soak time runs past the deadline."),
        Reason.DEPENDENCY: _("Work it depends on is not finished before the deadline."),
        Reason.ASSET_BUSY: _("The asset is busy with other work in every remaining slot."),
        Reason.SLOT_TOO_SHORT: _("The slots are too short for the work."),
        Reason.DEADLINE_BEFORE_EARLIEST: _("The deadline falls before the earliest start."),
        Reason.OVERDUE: _("The deadline passed before the plan starts; the log shows it not done."),
    }[value]


_DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _days(lang: Language, codes: str) -> str:
    names = []
    for code in codes.split(","):
        code = code.strip()[-2:]
        names.append(lang.weekday(_DAY_CODES.index(code)) if code in _DAY_CODES else code)
    return ", ".join(names)


def _periodic(lang: Language, rrule: str) -> str:
    _, ngettext = lang.gettext, lang.ngettext
    parts = dict(p.split("=", 1) for p in rrule.upper().split(";") if "=" in p)
    interval = int(parts.get("INTERVAL", "1"))
    freq = parts.get("FREQ", "")
    if freq == "DAILY":
        text = ngettext("daily", "every %(num)d days", interval) % {"num": interval}
    elif freq == "WEEKLY":
        text = ngettext("weekly", "every %(num)d weeks", interval) % {"num": interval}
    elif freq == "MONTHLY":
        text = ngettext("monthly", "every %(num)d months", interval) % {"num": interval}
    elif freq == "YEARLY":
        text = ngettext("yearly", "every %(num)d years", interval) % {"num": interval}
    else:
        return rrule
    if "BYDAY" in parts:
        text += " " + _("on %(days)s") % {"days": _days(lang, parts["BYDAY"])}
    return text


def cadence(lang: Language, value: Cadence | None) -> str:
    """How often: ``monthly``, ``7 days after each release of patch-tuesday``, ``once``."""
    _, ngettext = lang.gettext, lang.ngettext
    if value is None:
        return ""
    if isinstance(value, Periodic):
        return _periodic(lang, value.rrule)
    if isinstance(value, Released):
        if value.offset_days:
            return ngettext(
                "%(num)d day after each release of %(calendar)s",
                "%(num)d days after each release of %(calendar)s",
                value.offset_days,
            ) % {"num": value.offset_days, "calendar": value.calendar}
        return _("at each release of %(calendar)s") % {"calendar": value.calendar}
    if isinstance(value, Expiry):
        return _("%(num)d days before it expires") % {"num": value.lead_days}
    return _("once, from %(date)s") % {"date": lang.date(value.at)}


def window(lang: Language, name: str, rrule: str, start: dt.time, zone: str, home: str) -> str:
    """``saturday-night: weekly on Sat from 22:00`` (the zone, when not the organisation's)."""
    _ = lang.gettext
    text = _("%(window)s: %(when)s from %(time)s") % {
        "window": name,
        "when": _periodic(lang, rrule),
        "time": lang.time(start),
    }
    return text if zone == home else f"{text} ({zone})"


def duration(lang: Language, value: dt.timedelta) -> str:
    """``3 days`` or ``5 hours`` (rounded up to whole hours)."""
    ngettext = lang.ngettext
    hours = -(-int(value.total_seconds()) // 3600)
    if hours >= 48:
        days = -(-hours // 24)
        return ngettext("%(num)d day", "%(num)d days", days) % {"num": days}
    return ngettext("%(num)d hour", "%(num)d hours", hours) % {"num": hours}


def factor_name(lang: Language, name: str) -> str:
    """A risk factor's name; a rule pack's own factor as the pack names it."""
    _ = lang.gettext
    names = {
        "criticality": _("criticality"),
        "exposure": _("exposure"),
        "vulnerabilities": _("vulnerabilities"),
        "failure history": _("failure history"),
        "value": _("value"),
        "blast radius": _("blast radius"),
        "infrastructure": _("infrastructure"),
        "end of support": _("end of support"),
        "expiry": _("expiry"),
    }
    return names.get(name, name)


def _criticality(lang: Language, value: Criticality) -> str:
    _ = lang.gettext
    return {
        Criticality.LOW: _("low"),
        Criticality.MEDIUM: _("medium"),
        Criticality.HIGH: _("high"),
        Criticality.CRITICAL: _("critical"),
    }[value]


def _exposure(lang: Language, value: Exposure) -> str:
    _ = lang.gettext
    return {
        Exposure.ISOLATED: _("isolated"),
        Exposure.INTERNAL: _("internal network"),
        Exposure.INTERNET: _("reachable from the internet"),
    }[value]


def _vulnerabilities(lang: Language, row: RiskRow) -> str:
    ngettext = lang.ngettext
    count = len(row.asset.vulnerabilities)
    text = ngettext("%(num)d known vulnerability", "%(num)d known vulnerabilities", count) % {
        "num": count
    }
    scores = [v.base_score for v in row.asset.vulnerabilities if v.base_score is not None]
    if scores:
        text += ", " + lang.gettext("highest CVSS %(score)s") % {
            "score": lang.number(max(scores), 1)
        }
    return text


def factor_value(lang: Language, row: RiskRow, factor: RiskFactor) -> str:
    """What was measured for ``factor``, from the asset itself, in ``lang``.

    A rule pack's own factor (end of support, say) keeps the pack's text.
    """
    _, ngettext = lang.gettext, lang.ngettext
    asset = row.asset
    if factor.name == "criticality":
        return _criticality(lang, asset.criticality)
    if factor.name == "exposure":
        return _exposure(lang, asset.exposure)
    if factor.name == "vulnerabilities":
        return _vulnerabilities(lang, row)
    if factor.name == "failure history":
        count = asset.failures_last_year
        return ngettext("%(num)d failure last year", "%(num)d failures last year", count) % {
            "num": count
        }
    if factor.name == "value":
        if asset.value is None:
            return _("unknown")
        return lang.money(Decimal(asset.value), row.currency)
    if factor.name == "blast radius":
        count = row.blast_radius
        return ngettext("%(num)d system depends on it", "%(num)d systems depend on it", count) % {
            "num": count
        }
    if factor.name == "infrastructure":
        return _("yes") if factor.contribution else _("no")
    if factor.name == "end of support":
        return end_of_support(lang, factor.value)
    if factor.name == "expiry":
        return expiry(lang, factor.value)
    return factor.value


def expiry(lang: Language, value: str) -> str:
    """The built-in ``expiry`` factor's value (``expired 2027-03-01``) in ``lang``."""
    _ = lang.gettext
    verb, _space, day = value.partition(" ")
    try:
        date = lang.date(dt.date.fromisoformat(day))
    except ValueError:
        return value
    if verb == "expired":
        return _("expired %(date)s") % {"date": date}
    return _("expires %(date)s") % {"date": date}


_END_OF_SUPPORT = re.compile(
    r"(?P<what>.+?): (?:(?P<phase>[^:;()]+?) )?(?P<verb>ended|ends) (?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:; (?P<later>[^;()]+) to (?P<until>\d{4}-\d{2}-\d{2})"
    r"| \((?P<offer>.+?) to (?P<offered>\d{4}-\d{2}-\d{2}) for assets tagged (?P<tag>[^()]+)\))?"
)


def end_of_support(lang: Language, value: str) -> str:
    """The vendor packs' end-of-support text (``Windows 11 Pro 24H2: ended 2026-10-13``,
    ``Debian 12: standard support ended 2026-06-10; Debian LTS to 2028-06-10``, the
    ``end of support`` factor's value of :mod:`maintlib.packs.lifecycle`) in ``lang``;
    another text as written."""
    _ = lang.gettext
    found = _END_OF_SUPPORT.fullmatch(value)
    if found is None:
        return value
    day = lang.date(dt.date.fromisoformat(found["date"]))
    phase = found["phase"]
    values = {"what": found["what"], "date": day, "phase": phase}
    if phase in (None, "support"):
        if found["verb"] == "ended":
            text = _("%(what)s: support ended %(date)s") % values
        else:
            text = _("%(what)s: support ends %(date)s") % values
    elif phase == "standard support":
        text = _("%(what)s: standard support ended %(date)s") % values
    else:
        text = _("%(what)s: %(phase)s ended %(date)s") % values
    if found["later"]:
        until = lang.date(dt.date.fromisoformat(found["until"]))
        text += _("; %(phase)s to %(date)s") % {"phase": found["later"], "date": until}
    elif found["offer"]:
        offered = lang.date(dt.date.fromisoformat(found["offered"]))
        text += _(" (%(phase)s to %(date)s for assets tagged %(tag)s)") % {
            "phase": found["offer"],
            "date": offered,
            "tag": found["tag"],
        }
    return text


def risk_in_words(lang: Language, row: RiskRow) -> str:
    """The factors that raise an asset's risk most, strongest first, as one phrase."""
    strongest = sorted(
        (f for f in row.assessment.factors if f.contribution > 0 and f.name != "value"),
        key=lambda f: (-f.contribution, f.name),
    )[:3]
    parts = [f"{factor_name(lang, f.name)}: {factor_value(lang, row, f)}" for f in strongest]
    return "; ".join(parts)
