"""The third-party pack's rules.

Browsers and Acrobat update themselves: a person verifies (weekly for browsers, a week
after each Adobe release for Acrobat). Oracle Java SE on servers is updated in a window
after each Critical Patch Update (the applications using it restart); on endpoints it is
verified. Microsoft 365 Apps are verified per update channel (a tag). None of them has
service packs or separate "standard updates": features come with the same updates, so
the built-in quarterly application update is switched off for them.

Every rule selects on a product glob, so it is more specific than the built-in rule for
the same activity and replaces it. Durations, check cadences and deadlines are maintlib
defaults, named so in the README.
"""

from __future__ import annotations

import datetime as dt

import attrs

from maintlib.packs import (
    Activity,
    Cadence,
    Deadlines,
    Lifecycle,
    Mode,
    Periodic,
    Released,
    Rule,
    Selector,
    Step,
    StepKind,
    UpdateClass,
    section5_steps,
    shipped_lifecycle,
    support_rules,
)
from maintlib_thirdparty._calendars import ADOBE_SECURITY, M365_APPS, ORACLE_CPU_DAYS
from maintlib_thirdparty._lifecycle import support
from maintlib_thirdparty._sources import (
    ADOBE,
    ARTICLE,
    CHROME_WEEKLY,
    EDGE,
    FIREFOX,
    JAVA_ROADMAP,
    M365_APPS_CHANNELS,
    ORACLE_CPU,
)

__all__ = [
    "APP_KINDS",
    "BROWSERS",
    "CHANNEL_TAGS",
    "CHECK_OFFSET_DAYS",
    "SERVER_KINDS",
    "Browser",
    "activities",
    "rules",
]

#: Kinds a desktop application is recorded as: one asset for the fleet's copies
#: (``application``), or the devices that run it.
APP_KINDS = ("application", "workstation", "laptop")
#: Kinds whose Java applications are restarted in a window.
SERVER_KINDS = ("application", "virtual_server", "physical_server")
#: Self-updating software is checked this many days after a release (maintlib default,
#: as the Microsoft pack's Windows clients).
CHECK_OFFSET_DAYS = 7
#: Microsoft 365 Apps update channel tags; no tag is Current Channel.
CHANNEL_TAGS = ("monthly-enterprise", "semi-annual")

_WEEKLY = Periodic("FREQ=WEEKLY")
_MONTHLY = Periodic("FREQ=MONTHLY")
_MINUTES = dt.timedelta(minutes=1)
#: A check a week after a release, counted from the release (Microsoft pack's clients).
_CHECKED_DEADLINES = Deadlines(10, 14, 21, 28)


@attrs.frozen
class Browser:
    """A browser, how inventories name it, and where its update cadence comes from."""

    key: str
    name: str
    product: str
    source: str


BROWSERS: tuple[Browser, ...] = (
    Browser("chrome", "Google Chrome", "*Chrome*", f"{CHROME_WEEKLY} (Medium)"),
    Browser("edge", "Microsoft Edge", "Microsoft Edge*", EDGE),
    Browser("firefox", "Mozilla Firefox", "*Firefox*", f"{FIREFOX} (Medium)"),
)


def activities() -> list[Activity]:
    """The move to the next extended-support branch."""
    return [
        Activity(
            "branch-upgrade",
            "Move to the next supported branch",
            "Point the managed policy at the vendor's next long-term branch before the"
            " old one ends.",
            labels={"nl": "Overstap naar de volgende ondersteunde versielijn"},
        )
    ]


def _verify(
    rule_id: str, selector: Selector, cadence: Cadence, text: str, citation: str, **options: object
) -> Rule:
    """Self-updating software: a person checks the fleet reports the new version."""
    return Rule(
        id=rule_id,
        activity=options.pop("activity", "security-updates"),  # type: ignore[arg-type]
        selector=selector,
        cadence=cadence,
        duration=10 * _MINUTES,
        mode=Mode.AUTOMATIC,
        update_class=options.pop("update_class", UpdateClass.SECURITY),  # type: ignore[arg-type]
        duration_per_asset=_MINUTES,
        steps=(Step(StepKind.VERIFY, text),),
        citation=f"{ARTICLE}: automatic updates, verified; {citation}",
        **options,  # type: ignore[arg-type]
    )


def _no_standard_updates(rule_id: str, selector: Selector, citation: str) -> Rule:
    return Rule(
        id=rule_id,
        activity="standard-updates",
        selector=selector,
        cadence=_MONTHLY,
        duration=_MINUTES,
        enabled=False,
        citation=f"{citation}: features come with the security updates, no separate update",
    )


def _browser_rules(browser: Browser) -> list[Rule]:
    selector = Selector(kinds=APP_KINDS, product=browser.product)
    return [
        _verify(
            f"{browser.key}-security-updates",
            selector,
            _WEEKLY,
            f"Check the devices report this week's {browser.name} version (management"
            " console or inventory report); restart or repair those that lag.",
            f"{browser.source}; weekly check: maintlib default",
            deadlines=Deadlines(3, 5, 7, 7),
        ),
        _no_standard_updates(f"{browser.key}-no-standard-updates", selector, browser.source),
    ]


def _firefox_esr() -> Rule:
    """A new ESR branch each summer; the old one ends about three releases later."""
    return Rule(
        id="firefox-esr-branch-upgrade",
        activity="branch-upgrade",
        selector=Selector(kinds=APP_KINDS, product="*Firefox ESR*"),
        cadence=Periodic("FREQ=YEARLY;BYMONTH=8"),
        duration=30 * _MINUTES,
        mode=Mode.OFFICE_HOURS,
        update_class=UpdateClass.STANDARD,
        deadlines=Deadlines.same(45),
        steps=(
            Step(StepKind.TEST, "Try the new ESR branch on pilot devices and key web apps."),
            Step(StepKind.UPDATE, "Point the update policy at the new ESR branch."),
            Step(StepKind.VERIFY, "Check every device moved before the old branch ends."),
        ),
        citation=(
            f"{FIREFOX} (Medium): a new ESR branch about every July, the old one ends"
            " about three releases later (ESR 128 to 2025-09-16); August: maintlib default"
        ),
    )


def _acrobat() -> list[Rule]:
    selector = Selector(kinds=APP_KINDS, product="*Acrobat*")
    return [
        _verify(
            "acrobat-security-updates",
            selector,
            Released(ADOBE_SECURITY.id, offset_days=CHECK_OFFSET_DAYS),
            "Check the devices report the Acrobat or Reader version of this release"
            " (Adobe's bulletin names it); update those that lag.",
            f"{ADOBE} (Medium): Adobe's scheduled updates on Patch Tuesday; checked a"
            " week later (maintlib default)",
            deadlines=_CHECKED_DEADLINES,
        ),
        _no_standard_updates("acrobat-no-standard-updates", selector, ADOBE),
    ]


def _java() -> list[Rule]:
    product = "*Java*"
    cpu = Released(ORACLE_CPU_DAYS.id)
    return [
        Rule(
            id="oracle-java-cpu",
            activity="security-updates",
            selector=Selector(kinds=SERVER_KINDS, product=product),
            cadence=cpu,
            duration=dt.timedelta(hours=1),
            mode=Mode.WINDOW,
            update_class=UpdateClass.SECURITY,
            downtime=True,
            steps=section5_steps(
                "Install this Critical Patch Update's Java SE release; restart the"
                " applications that use it.",
                backup="Snapshot the server, or back up the Java installation, first.",
            ),
            citation=(
                f"{ORACLE_CPU} (High): Critical Patch Updates on the Tuesday closest to"
                " the 17th of January, April, July and October; in a window: the"
                " applications restart"
            ),
        ),
        _verify(
            "oracle-java-cpu-endpoints",
            Selector(kinds=("workstation", "laptop"), product=product),
            Released(ORACLE_CPU_DAYS.id, offset_days=CHECK_OFFSET_DAYS),
            "Check the devices report this Critical Patch Update's Java SE release.",
            f"{ORACLE_CPU} (High); checked a week later (maintlib default)",
            deadlines=_CHECKED_DEADLINES,
        ),
        _no_standard_updates(
            "oracle-java-no-standard-updates",
            Selector(kinds=SERVER_KINDS, product=product),
            f"{ORACLE_CPU}; {JAVA_ROADMAP}",
        ),
        # A server recorded as its Java SE would get the built-in yearly service pack.
        attrs.evolve(
            _no_standard_updates(
                "oracle-java-no-service-pack",
                Selector(kinds=SERVER_KINDS, product=product),
                f"{ORACLE_CPU}; {JAVA_ROADMAP}: Critical Patch Updates, no service packs",
            ),
            activity="service-pack",
        ),
    ]


def _m365_apps() -> list[Rule]:
    """Microsoft 365 Apps per update channel: the tag says which."""
    selector = Selector(kinds=APP_KINDS, product="Microsoft 365 Apps*")
    text = "Check the devices report this channel's current Microsoft 365 Apps build."
    enterprise = Released(M365_APPS.id, offset_days=CHECK_OFFSET_DAYS)
    return [
        _verify(
            "m365-apps-current-channel",
            selector,
            _MONTHLY,
            text,
            f"{M365_APPS_CHANNELS}: Current Channel at least monthly, no set day",
            deadlines=Deadlines(7, 14, 21, 28),
        ),
        *(
            _verify(
                f"m365-apps-{tag}",
                attrs.evolve(selector, tags=(tag,)),
                enterprise,
                text,
                f"{M365_APPS_CHANNELS}: the second Tuesday; checked a week later"
                " (maintlib default)",
                deadlines=_CHECKED_DEADLINES,
            )
            for tag in CHANNEL_TAGS
        ),
        _verify(
            "m365-apps-semi-annual-feature-update",
            attrs.evolve(selector, tags=("semi-annual",)),
            attrs.evolve(enterprise, months=(1, 7)),
            "Check the devices moved to the new Semi-Annual Enterprise Channel version.",
            f"{M365_APPS_CHANNELS}: feature updates in January and July",
            activity="standard-updates",
            update_class=UpdateClass.STANDARD,
            deadlines=Deadlines.same(30),
        ),
        _no_standard_updates("m365-apps-no-standard-updates", selector, M365_APPS_CHANNELS),
    ]


def rules(lifecycle: Lifecycle | None = None) -> list[Rule]:
    """Every rule of the pack, with the end-of-support rules dated from ``lifecycle``
    (default: the snapshot shipped with maintlib)."""
    return [
        *(rule for browser in BROWSERS for rule in _browser_rules(browser)),
        _firefox_esr(),
        *_acrobat(),
        *_java(),
        *_m365_apps(),
        *support_rules(
            support(lifecycle or shipped_lifecycle()),
            duration=dt.timedelta(hours=2),
            mode=Mode.WINDOW,
        ),
    ]
