"""maintlib-acme: a rule pack for Acme Power's (fictional) UPS units.

The pack of the tutorial in docs/plugins/writing.md; tests/test_docs.py checks the
tutorial shows this file as it is.
"""

import datetime as dt

from maintlib.packs import (
    Activity,
    AssetKind,
    CalendarPeriod,
    Category,
    Deadlines,
    Mode,
    Periodic,
    ReleaseCalendar,
    Released,
    Rule,
    Selector,
    Step,
    StepKind,
    UpdateClass,
    hookimpl,
)


@hookimpl
def maintlib_asset_kinds() -> list[AssetKind]:
    return [AssetKind("ups", Category.OTHER, "UPS", infrastructure=True)]


@hookimpl
def maintlib_activities() -> list[Activity]:
    return [
        Activity(
            "battery-test",
            "Battery test",
            "Run the UPS self-test under load.",
            # The label in the report's and the calendar's other languages.
            labels={"nl": "Batterijtest"},
        )
    ]


@hookimpl
def maintlib_release_calendars() -> list[ReleaseCalendar]:
    return [
        ReleaseCalendar(
            id="acme-firmware",
            name="Acme Power firmware releases",
            vendor="Acme Power",
            timezone="Europe/Amsterdam",
            time=dt.time(9),
            # Fictional: Acme publishes firmware on the first Monday of each quarter.
            periods=(CalendarPeriod("FREQ=MONTHLY;INTERVAL=3;BYDAY=1MO"),),
            source="Acme Power support policy (fictional, for the tutorial)",
        )
    ]


@hookimpl
def maintlib_rules() -> list[Rule]:
    ups = Selector(kinds=("ups",), vendor="Acme*")
    return [
        Rule(
            id="ups-battery-test",
            activity="battery-test",
            selector=ups,
            cadence=Periodic("FREQ=MONTHLY;INTERVAL=6"),
            duration=dt.timedelta(minutes=30),
            mode=Mode.OFFICE_HOURS,
            deadlines=Deadlines.same(14),
            steps=(Step(StepKind.WORK, "Start the self-test; note the runtime it reports."),),
            citation="Acme UPS manual, chapter 7 (fictional)",
        ),
        Rule(
            id="ups-firmware",
            activity="firmware-update",
            selector=ups,
            cadence=Released("acme-firmware", offset_days=7),
            duration=dt.timedelta(hours=1),
            mode=Mode.WINDOW,
            update_class=UpdateClass.FIRMWARE,
            downtime=True,
            deadlines=Deadlines(14, 30, 45, 60),
            citation="Acme Power support policy (fictional)",
        ),
    ]
