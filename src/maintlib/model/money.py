"""Money: exact amounts in one ISO 4217 currency, and low–high ranges of them.

Amounts are :class:`decimal.Decimal` and never floats. Nothing is rounded while
computing; :func:`quantize` rounds half up to the currency's minor unit, only for
display and serialisation.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable
from decimal import Decimal

import attrs

__all__ = ["CURRENCIES", "CostRange", "Money", "format_amount", "quantize"]


#: Active ISO 4217 currency codes (ISO 4217 list one, "Current currency & funds",
#: as published by SIX, the ISO 4217 maintenance agency: https://www.six-group.com/en/
#: products-services/financial-information/data-standards.html).
CURRENCIES = frozenset(
    """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL
    BSD BTN BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP
    ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR
    IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL
    LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR
    NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD
    SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX
    USD UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG
    """.split()
)


# Minor units that differ from 2 (same ISO 4217 list, column "Minor unit").
_MINOR_UNITS = {
    **dict.fromkeys("BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX VND VUV XAF XOF XPF".split(), 0),
    **dict.fromkeys("BHD IQD JOD KWD LYD OMR TND".split(), 3),
}


def _check_currency(_: object, __: attrs.Attribute[str], value: str) -> None:
    if value not in CURRENCIES:
        raise ValueError(f"unknown ISO 4217 currency {value!r}")


def _to_decimal(value: Decimal | int | str) -> Decimal:
    if isinstance(value, float):
        raise TypeError("money amounts must be Decimal, int or str, never float")
    return Decimal(value)


def minor_unit(currency: str) -> Decimal:
    """The smallest amount of ``currency`` (``0.01`` for EUR, ``1`` for JPY)."""
    return Decimal(1).scaleb(-_MINOR_UNITS.get(currency, 2))


def quantize(amount: Decimal, currency: str) -> Decimal:
    """Round ``amount`` half up to the minor unit of ``currency``."""
    return amount.quantize(minor_unit(currency), rounding=decimal.ROUND_HALF_UP)


def format_amount(amount: Decimal, currency: str) -> str:
    """``Decimal("1284.25"), "EUR"`` → ``"1,284.25"`` (rounded half up)."""
    return f"{quantize(amount, currency):,}"


@attrs.frozen(order=True)
class Money:
    """An exact amount of one currency."""

    amount: Decimal = attrs.field(converter=_to_decimal)
    currency: str = attrs.field(default="EUR", validator=_check_currency)

    def __str__(self) -> str:
        return f"{self.currency} {format_amount(self.amount, self.currency)}"


def _check_order(instance: CostRange, _: attrs.Attribute[Decimal], high: Decimal) -> None:
    if high < instance.low:
        raise ValueError(f"cost range high {high} is below low {instance.low}")


@attrs.frozen
class CostRange:
    """A low–high range of money in one currency.

    Ranges add to ranges of the same currency and scale by non-negative numbers.
    """

    low: Decimal = attrs.field(converter=_to_decimal)
    high: Decimal = attrs.field(converter=_to_decimal, validator=_check_order)
    currency: str = attrs.field(default="EUR", validator=_check_currency)

    @classmethod
    def zero(cls, currency: str = "EUR") -> CostRange:
        """The empty range ``0–0``."""
        return cls(Decimal(0), Decimal(0), currency)

    @classmethod
    def exact(cls, amount: Decimal | int | str, currency: str = "EUR") -> CostRange:
        """A range whose low and high are the same amount."""
        return cls(_to_decimal(amount), _to_decimal(amount), currency)

    def __add__(self, other: CostRange) -> CostRange:
        if not isinstance(other, CostRange):
            return NotImplemented
        if other.currency != self.currency:
            raise ValueError(f"cannot add {other.currency} to {self.currency}")
        return CostRange(self.low + other.low, self.high + other.high, self.currency)

    def __mul__(self, factor: Decimal | int) -> CostRange:
        if isinstance(factor, float) or not isinstance(factor, Decimal | int):
            return NotImplemented
        if factor < 0:
            raise ValueError("cost ranges scale by non-negative factors only")
        return CostRange(self.low * factor, self.high * factor, self.currency)

    __rmul__ = __mul__

    @staticmethod
    def total(ranges: Iterable[CostRange], currency: str) -> CostRange:
        """The sum of ``ranges`` (``0–0`` in ``currency`` when there are none)."""
        result = CostRange.zero(currency)
        for item in ranges:
            result = result + item
        return result

    def rounded(self) -> CostRange:
        """This range rounded half up to the currency's minor unit."""
        return CostRange(
            quantize(self.low, self.currency), quantize(self.high, self.currency), self.currency
        )

    def to_json(self) -> dict[str, str]:
        """``{"currency", "low", "high"}`` with amounts as rounded decimal strings."""
        rounded = self.rounded()
        return {"currency": self.currency, "low": str(rounded.low), "high": str(rounded.high)}

    def __str__(self) -> str:
        low = format_amount(self.low, self.currency)
        high = format_amount(self.high, self.currency)
        return f"{self.currency} {low}–{high}"
