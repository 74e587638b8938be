"""The report's translations: catalogue complete, up to date, compiled, and used.

The workflow these tests keep honest (``docs/report.md``): ``pybabel extract`` →
``pybabel update`` → translate → ``pybabel compile``; the ``.mo`` ships in the wheel.
"""

from __future__ import annotations

import re
from pathlib import Path

import icalendar
import pytest
from babel.messages.catalog import Catalog as MessageCatalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from maintlib.model.catalog import Catalog
from maintlib.model.rules import Activity
from maintlib.outputs.i18n import LOCALE_DIR, language
from maintlib.outputs.ics import to_ics
from maintlib.outputs.report.words import BUILTIN_TEXTS
from maintlib.packs.catalog import build_catalog
from maintlib.packs.manager import load_plugins
from maintlib.testing import make_plugins
from test_report import PRODUCTION, SMB, example_plan, nasty, packs, report

ROOT = Path(__file__).parent.parent
POT = LOCALE_DIR / "maintlib.pot"
DUTCH_PO = LOCALE_DIR / "nl" / "LC_MESSAGES" / "maintlib.po"
DUTCH_MO = LOCALE_DIR / "nl" / "LC_MESSAGES" / "maintlib.mo"

Message = str | tuple[str, ...]


def _ids(catalog: MessageCatalog) -> set[Message]:
    return {message.id for message in catalog if message.id}


def _extracted() -> set[Message]:
    with (ROOT / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config, "babel.cfg")
    found: set[Message] = set()
    for _, _, message, _, _ in extract_from_dir(str(ROOT), method_map, options_map):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


def test_the_template_holds_every_message_of_the_code() -> None:
    """``pybabel extract`` was run after the last change of a message."""
    with POT.open("rb") as handle:
        template = read_po(handle)
    assert _ids(template) == _extracted()


def test_dutch_translates_every_message() -> None:
    """No message is untranslated, fuzzy, or left over from an old template."""
    with POT.open("rb") as handle:
        template = read_po(handle)
    with DUTCH_PO.open("rb") as handle:
        dutch = read_po(handle, locale="nl")
    assert _ids(dutch) == _ids(template)
    untranslated = [
        message.id
        for message in dutch
        if message.id
        and (
            message.fuzzy
            or not message.string
            or (isinstance(message.string, tuple) and not all(message.string))
        )
    ]
    assert untranslated == []
    assert not dutch.obsolete
    problems = [(message.id, errors) for message, errors in dutch.check() if errors]
    assert problems == []  # placeholders match (python-format)


def test_the_compiled_catalogue_is_the_translations() -> None:
    """``pybabel compile`` was run after the last translation."""
    with DUTCH_PO.open("rb") as handle:
        source = read_po(handle, locale="nl")
    with DUTCH_MO.open("rb") as handle:
        compiled = read_mo(handle)

    def pairs(catalog: MessageCatalog) -> dict[Message, Message]:
        def plain(value: str | list[str] | tuple[str, ...]) -> Message:
            return value if isinstance(value, str) else tuple(value)

        return {plain(m.id): plain(m.string) for m in catalog if m.id}

    assert pairs(compiled) == pairs(source)


def _fragments(message: str) -> list[str]:
    """The literal parts of a message long enough to be searched for in a page."""
    return [part.strip() for part in re.split(r"%\(\w+\)[sd]", message) if len(part.strip()) >= 8]


def _pack_texts(catalog: Catalog) -> set[str]:
    """The labels and fee names the rule packs of ``catalog`` wrote."""
    texts = {a.label for a in catalog.activities.values()}
    texts |= {k.label for k in catalog.kinds.values()}
    texts |= {item.name for card in catalog.rate_cards.values() for item in card.fees}
    texts |= {item.name for card in catalog.rate_cards.values() for item in card.daily_labour}
    return texts


def _without_pack_texts(text: str) -> str:
    """``text`` without what the vendor packs wrote: their English, not the report's."""
    for pack_text in sorted(_pack_texts(packs()) - BUILTIN_TEXTS, key=len, reverse=True):
        text = text.replace(pack_text, "")
    return text


def test_the_built_in_packs_labels_are_in_the_catalogue() -> None:
    """A label added to the built-in pack needs a translation (and a line in BUILTIN_TEXTS)."""
    from maintlib.records.sla import REVIEW_LABEL
    from maintlib.vulns.emergency import _LABELS as EMERGENCY_LABELS

    expected = _pack_texts(build_catalog(make_plugins())) | set(EMERGENCY_LABELS.values())
    expected.add(REVIEW_LABEL)
    assert expected == set(BUILTIN_TEXTS)


def _english_left(text: str) -> list[str]:
    text = _without_pack_texts(text)
    with DUTCH_PO.open("rb") as handle:
        dutch = read_po(handle, locale="nl")
    left = []
    for message in dutch:
        if not message.id:
            continue
        english = message.id if isinstance(message.id, tuple) else (message.id,)
        translated = message.string if isinstance(message.string, tuple) else (message.string,)
        for original in english:
            if original in translated:
                continue
            left += [part for part in _fragments(original) if part in text]
    return left


@pytest.mark.parametrize("format", ["html", "md", "csv"])
def test_a_dutch_report_has_no_english_left(format: str) -> None:
    """Every message the report shows went through the catalogue."""
    for content in (
        report(format=format, lang="nl"),
        report(PRODUCTION, 12, format=format, lang="nl"),
    ):
        assert _english_left(content.decode("utf-8-sig")) == []


def test_the_check_finds_english() -> None:
    """The test above would fail on an English message in a Dutch report."""
    english = report(SMB, 3, format="html", lang="en").decode()
    assert "Needs attention first: P1 and P2" in _english_left(english)


def test_dutch_plurals() -> None:
    dutch = language("nl")
    assert dutch.ngettext("%(num)d task", "%(num)d tasks", 1) % {"num": 1} == "1 taak"
    assert dutch.ngettext("%(num)d task", "%(num)d tasks", 2) % {"num": 2} == "2 taken"
    assert "- 0 taken die niet ingepland konden worden\n" in report(format="md", lang="nl").decode()


def test_money_and_numbers_by_babel() -> None:
    from decimal import Decimal

    dutch, english = language("nl"), language("en")
    assert dutch.money(Decimal("1234.565"), "EUR") == "€\xa01.234,57"  # half up, then Babel
    assert english.money(Decimal("1234.565"), "EUR") == "€1,234.57"
    assert dutch.number(Decimal("1234.5")) == "1.234,5"
    assert english.number(Decimal("1234.5")) == "1,234.5"


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown report language"):
        language("de")


def test_user_text_is_never_translated() -> None:
    """An asset called like a message stays as written (gettext is for our words only)."""
    assert nasty().organisation_name == "=cmd|' /C calc'!A0"


class TestDutchThroughout:
    """Issue 29: lifecycle lines in Dutch, members in natural order, one rounding of
    risk, one way of saying lateness, a legend for the heat map."""

    def test_lifecycle_lines_are_dutch(self) -> None:
        text = report(SMB, 12, format="md", lang="nl").decode()
        assert ": ended " not in text
        assert "Windows 11 Pro 24H2: ondersteuning beëindigd op 13 okt 2026" in text

    def test_members_in_natural_order(self) -> None:
        from maintlib._util.text import natural_key

        assert sorted(["ws13", "ws2", "WS10", "ws1"], key=natural_key) == [
            "ws1",
            "ws2",
            "WS10",
            "ws13",
        ]
        text = report(SMB, 12, format="md", lang="nl").decode()
        assert "lt01, lt02, lt03 … lt15 (15)" in text
        assert "lt07, lt08, lt09 … lt06" not in text

    def test_one_rounding_of_risk(self) -> None:
        text = report(PRODUCTION, 12, format="md", lang="nl").decode()
        top = dict(re.findall(r"\*\*(\w+) [^*]*\*\* \([^)]*score ([\d,]+)\)", text))
        table = dict(re.findall(r"^\| (\w+) [^|]*\| [^|]*\| ([\d,]+) \|", text, re.MULTILINE))
        assert top
        for asset, score in top.items():
            assert table[asset] == score

    def test_one_way_of_saying_lateness(self) -> None:
        import datetime as dt

        dutch, english = language("nl"), language("en")
        late = dt.timedelta(days=4, hours=7, minutes=12)
        assert dutch.lateness(late) == "4,3 dagen te laat"
        assert english.lateness(late) == "4.3 days late"
        assert english.lateness(dt.timedelta(hours=6)) == "6 hours late"
        assert dutch.lateness(dt.timedelta(hours=1)) == "1 uur te laat"

    def test_the_heat_map_has_a_legend(self) -> None:
        text = report(SMB, 12, format="html", lang="nl").decode()
        heat = text[text.index('id="heat') :]
        heat = heat[: heat.index("</svg>")]
        assert "geen werk" in heat
        assert re.search(r"≤ [\d,]+ u", heat)
        assert re.search(r"&gt; [\d,]+ u|> [\d,]+ u", heat)


@pytest.mark.parametrize("code", ["en", "nl"])
def test_every_reason_has_its_sentence(code: str) -> None:
    """A due overdue from the maintenance log (a Synology whose DSM support ended) made
    the report raise KeyError: every reason needs its words, in every language."""
    from maintlib.model.plan import Reason
    from maintlib.outputs.report.words import reason

    sentences = {member: reason(language(code), member) for member in Reason}
    assert all(sentences.values())
    assert len(set(sentences.values())) == len(Reason)


@pytest.mark.parametrize(
    ("value", "dutch"),
    [
        (
            "Debian 12: standard support ended 2026-06-10; Debian LTS to 2028-06-10",
            "Debian 12: standaardondersteuning beëindigd op 10 jun 2026; Debian LTS tot"
            " 10 jun 2028",
        ),
        (
            "Ubuntu 20.04 LTS: support ended 2025-05-31 (Expanded Security Maintenance"
            " (Ubuntu Pro) to 2030-04-02 for assets tagged esm)",
            "Ubuntu 20.04 LTS: ondersteuning beëindigd op 31 mei 2025 (Expanded Security"
            " Maintenance (Ubuntu Pro) tot 2 apr 2030 voor systemen met de tag esm)",
        ),
        (
            "RHEL 7: Extended Life Cycle Support ended 2028-06-30",
            "RHEL 7: Extended Life Cycle Support beëindigd op 30 jun 2028",
        ),
        (
            "Windows 11 Pro 24H2: ended 2026-10-13",
            "Windows 11 Pro 24H2: ondersteuning beëindigd op 13 okt 2026",
        ),
        (
            "Ubuntu 22.04 LTS: ends 2027-04-01",
            "Ubuntu 22.04 LTS: ondersteuning eindigt op 1 apr 2027",
        ),
        ("something else entirely", "something else entirely"),
    ],
)
def test_every_lifecycle_wording_of_the_packs_is_dutch(value: str, dutch: str) -> None:
    """The lifecycle helper's three wordings (ended, ending, living on an extended
    phase) read in Dutch, not only the Microsoft pack's."""
    from maintlib.outputs.report.words import end_of_support

    assert end_of_support(language("nl"), value) == dutch


class TestPackLabels:
    """Issue 29: a pack's activity label in the report's and the feed's language
    (``Activity.labels``), not English inside a Dutch report."""

    def test_every_pack_of_this_repository_gives_its_labels_in_dutch(self) -> None:
        catalog = build_catalog(load_plugins())
        missing = [
            f"{name}: {activity.label}"
            for name, activity in sorted(catalog.activities.items())
            if activity.label not in BUILTIN_TEXTS and "nl" not in activity.labels
        ]
        assert missing == []

    def test_a_dutch_report_shows_the_packs_dutch(self) -> None:
        dutch = report(SMB, 3, format="md", lang="nl").decode()
        english = report(SMB, 3, format="md", lang="en").decode()
        assert "Triage beveiligingsadviezen" in dutch
        assert "Advisory triage" not in dutch
        assert "Advisory triage" in english
        assert "Triage beveiligingsadviezen" not in english

    @pytest.mark.parametrize(
        ("lang", "shown", "not_shown"),
        [
            ("nl", "Triage beveiligingsadviezen", "Advisory triage"),
            ("en", "Advisory triage", "Triage beveiligingsadviezen"),
        ],
    )
    def test_the_feed_shows_the_packs_label_in_its_language(
        self, lang: str, shown: str, not_shown: str
    ) -> None:
        feed = icalendar.Calendar.from_ical(to_ics(example_plan(SMB, 3), lang=lang))
        summaries = [str(event["SUMMARY"]) for event in feed.walk("VEVENT")]
        assert any(summary.startswith(shown) for summary in summaries)
        assert not any(not_shown in summary for summary in summaries)

    def test_labels_are_language_codes_and_text(self) -> None:
        with pytest.raises(ValueError, match="language code"):
            Activity("triage", "Triage", labels={"Dutch": "Triage"})
        with pytest.raises(ValueError, match="non-empty"):
            Activity("triage", "Triage", labels={"nl": " "})
        activity = Activity("triage", "Triage", labels={"nl": "Beoordeling"})
        assert activity.label_in("nl") == "Beoordeling"
        assert activity.label_in("de") == "Triage"


@pytest.mark.parametrize(
    ("lang", "step"),
    [
        ("nl", "Leg het resultaat vast; maak een ticket aan voor elke bevinding die werk vraagt."),
        ("en", "Record the result; open a ticket for every finding that needs work."),
    ],
)
def test_the_feeds_checklists_of_the_built_in_pack_are_in_its_language(
    lang: str, step: str
) -> None:
    """Issue 29: a technician reads the checklist in the feed's language (the built-in
    pack's and the planner's steps go through the catalogue)."""
    feed = icalendar.Calendar.from_ical(to_ics(example_plan(SMB, 3), lang=lang))
    descriptions = "\n".join(str(event["DESCRIPTION"]) for event in feed.walk("VEVENT"))
    assert step in descriptions
    other = "Record the result; open" if lang == "nl" else "Leg het resultaat vast"
    assert other not in descriptions


def test_checklists_name_no_internal_uids() -> None:
    """Issue 29: a step that points at the lower ring's task names its asset and time,
    not the task's uid (the uids are in the task's ``after``)."""
    import datetime as dt

    import maintlib
    from maintlib.testing import REFERENCE_TIME

    inventory = maintlib.load(ROOT / "examples" / "tech" / "inventory.toml")
    plan = maintlib.plan(
        inventory, start=dt.date(2027, 1, 1), months=2, reference_time=REFERENCE_TIME
    )
    pointing = [t for t in plan.tasks if any("lower ring:" in s.text for s in t.steps)]
    assert pointing
    for task in plan.tasks:
        for step in task.steps:
            assert not any(uid in step.text for uid in task.after), step.text


def test_a_steps_own_translation_comes_before_the_catalogue() -> None:
    """``Step.texts`` (a pack's Dutch) first, maintlib's catalogue next, else as written."""
    from maintlib.model.rules import Step, StepKind
    from maintlib.outputs.ics.feed import _format_steps

    dutch = language("nl")
    own = Step(StepKind.UPDATE, "Install the updates.", texts={"nl": "Updates erop."})
    catalogue = Step(StepKind.UPDATE, "Install the updates.")
    neither = Step(StepKind.WORK, "Polish the rack.")
    assert _format_steps((own, catalogue, neither), dutch) == [
        "☐ 1. Updates erop.",
        "☐ 2. Installeer de updates.",
        "☐ 3. Polish the rack.",
    ]
    assert own.text_in("de") == "Install the updates."
    with pytest.raises(ValueError, match="language code"):
        Step(StepKind.WORK, "Polish the rack.", texts={"NL": "Poets het rek."})
