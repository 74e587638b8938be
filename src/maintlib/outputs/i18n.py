"""Languages of the reports: gettext catalogues and Babel's formatting of dates and money.

English is the source language: the messages in the code and the templates are
English, so English needs no catalogue (gettext returns the message itself). Dutch
comes from ``locale/nl/LC_MESSAGES/maintlib.mo``, compiled from the ``.po`` beside
it and shipped in the wheel. ``docs/report.md`` has the extract/update/compile
workflow.

Babel is imported when a language is first made or used, not with this module: the
calendar writer imports it, and ``import maintlib`` should not pay for Babel.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import attrs

from maintlib.model.inventory import Organisation
from maintlib.model.money import CostRange, quantize
from maintlib.model.rules import Activity

if TYPE_CHECKING:
    from babel import Locale

__all__ = [
    "DOMAIN",
    "LANGUAGES",
    "LOCALE_DIR",
    "Language",
    "LanguageCode",
    "default_language",
    "language",
    "pack_texts",
]


DOMAIN = "maintlib"


LOCALE_DIR = Path(__file__).parent / "locale"


LanguageCode = Literal["nl", "en"]


#: Language → the Babel locale that formats its dates and numbers. British English:
#: the readers are European (day before month, euro amounts).
LANGUAGES: dict[str, str] = {"en": "en_GB", "nl": "nl_NL"}


@attrs.frozen
class Language:
    """One report language: its messages and its formats.

    Attributes:
        code: ``nl`` or ``en``.
        locale: The Babel locale.
        translations: The gettext catalogue (the identity for English).
        texts: The rule packs' own texts in this language (their activity
            labels, :attr:`~maintlib.model.rules.Activity.labels`), by their
            English text; see :meth:`with_texts`.
    """

    code: str
    locale: Locale
    translations: gettext.NullTranslations
    texts: Mapping[str, str] = attrs.field(factory=dict, hash=False)

    def with_texts(self, texts: Mapping[str, str]) -> Language:
        """This language with the packs' ``texts`` (English → this language) too."""
        return attrs.evolve(self, texts={**self.texts, **texts})

    def gettext(self, message: str) -> str:
        """``message`` in this language."""
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        """The form of ``singular``/``plural`` for ``count``, by the language's plural rule."""
        return self.translations.ngettext(singular, plural, count)

    def money(self, amount: Decimal, currency: str) -> str:
        """``€ 1.234,56`` (nl) or ``€1,234.56`` (en), rounded half up to the minor unit."""
        from babel.numbers import format_currency

        return format_currency(quantize(amount, currency), currency, locale=self.locale)

    def money_whole(self, amount: Decimal, currency: str) -> str:
        """``€ 1.235`` or ``€1,235``: whole units, for chart axes."""
        from babel.numbers import format_currency

        pattern = self.locale.currency_formats["standard"].pattern.split(";")[0]
        return format_currency(
            amount.quantize(Decimal(1)),
            currency,
            format=pattern.replace(".00", ""),
            locale=self.locale,
            currency_digits=False,
        )

    def money_range(self, cost: CostRange) -> str:
        """``€ 85,00 – € 170,00``; one amount when low equals high."""
        low, high = self.money(cost.low, cost.currency), self.money(cost.high, cost.currency)
        return low if low == high else f"{low} – {high}"

    def number(self, value: Decimal | float | int, digits: int = 1) -> str:
        """``1.234,5`` (nl) or ``1,234.5`` (en), at most ``digits`` decimals."""
        from babel.numbers import format_decimal

        pattern = "#,##0" + ("." + "#" * digits if digits else "")
        return format_decimal(value, format=pattern, locale=self.locale)

    def date(self, day: dt.date, style: Literal["short", "medium", "long"] = "medium") -> str:
        """``12 jan. 2027`` (nl, medium) or ``12 Jan 2027``."""
        from babel.dates import format_date

        return format_date(day, format=style, locale=self.locale)

    def weekday_date(self, day: dt.date) -> str:
        """``di 12 jan.`` or ``Tue 12 Jan``: a day inside a known year."""
        from babel.dates import format_date

        return format_date(day, format=_pattern(str(self.locale), "EEEdMMM"), locale=self.locale)

    def month(self, day: dt.date) -> str:
        """``januari 2027`` or ``January 2027``."""
        from babel.dates import format_date

        return format_date(day, format=_pattern(str(self.locale), "yMMMM"), locale=self.locale)

    def month_short(self, day: dt.date) -> str:
        """``jan`` or ``Jan``: chart labels."""
        from babel.dates import format_date

        return format_date(
            day, format=_pattern(str(self.locale), "MMM"), locale=self.locale
        ).rstrip(".")

    def time(self, moment: dt.datetime | dt.time) -> str:
        """``22:00``: the wall clock, 24-hour in both languages."""
        from babel.dates import format_time

        return format_time(moment, format="HH:mm", locale=self.locale)

    def lateness(self, late_by: dt.timedelta) -> str:
        """``4.3 days late`` or ``6 hours late`` (``4,3 dagen te laat``): the one way
        every output says how late work starts — hours under two days, else days
        with one decimal."""
        hours = late_by.total_seconds() / 3600
        if hours < 48:
            shown = self.number(hours, 1)
            return self.ngettext(
                "%(num)s hour late", "%(num)s hours late", 1 if shown == "1" else 2
            ) % {"num": shown}
        shown = self.number(hours / 24, 1)
        return self.ngettext("%(num)s day late", "%(num)s days late", 2) % {"num": shown}

    def weekday(self, index: int) -> str:
        """The short name of weekday ``index`` (0 = Monday)."""
        names = self.locale.days["format"]["abbreviated"]
        return str(names[index]).rstrip(".")


@functools.cache
def _pattern(locale: str, skeleton: str) -> str:
    """The locale's date pattern for ``skeleton`` (what ``format_skeleton`` looks up on
    every call, at a cost that dominated a large report)."""
    from babel import Locale
    from babel.dates import match_skeleton

    patterns = Locale.parse(locale).datetime_skeletons
    found = match_skeleton(skeleton, patterns)
    if found is None:
        raise ValueError(f"no date pattern for {skeleton!r} in {locale}")
    return str(patterns[found])


def default_language(organisation: Organisation) -> str:
    """``nl`` for a Dutch organisation (country ``NL``), else ``en``: the language of
    its report and calendar feed unless the caller chooses one."""
    return "nl" if organisation.country == "NL" else "en"


def language(code: str) -> Language:
    """The language ``code`` (``nl`` or ``en``).

    Raises:
        ValueError: An unknown code, or a language whose catalogue is missing
            (a broken installation: the ``.mo`` files ship in the wheel).
    """
    from babel import Locale
    from babel.support import Translations

    if code not in LANGUAGES:
        raise ValueError(f"unknown report language {code!r}; use one of {', '.join(LANGUAGES)}")
    translations: gettext.NullTranslations = gettext.NullTranslations()
    if code != "en":
        found = Translations.load(str(LOCALE_DIR), [code], DOMAIN)
        if not isinstance(found, Translations):
            raise ValueError(f"the {code!r} catalogue is missing from {LOCALE_DIR}")
        translations = found
    return Language(code, Locale.parse(LANGUAGES[code]), translations)


def pack_texts(activities: Iterable[Activity], code: str) -> dict[str, str]:
    """The activities' labels in language ``code``, by their English label: what
    :meth:`Language.with_texts` takes (only the labels a pack translated)."""
    return {a.label: a.labels[code] for a in activities if code in a.labels}
