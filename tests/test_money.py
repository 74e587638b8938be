"""Money and cost ranges (``maintlib.model.money``): exact decimals, one currency, half-up rounding."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from maintlib.model.money import CURRENCIES, CostRange, Money, format_amount, quantize

amounts = st.decimals(min_value=0, max_value=10**9, places=4)


def eur(low: str, high: str) -> CostRange:
    return CostRange(Decimal(low), Decimal(high), "EUR")


class TestQuantize:
    @pytest.mark.parametrize(
        ("amount", "currency", "expected"),
        [
            ("2.345", "EUR", "2.35"),
            ("2.344", "EUR", "2.34"),
            ("2.5", "JPY", "3"),
            ("3.5", "JPY", "4"),
            ("-2.5", "JPY", "-3"),
            ("1.0005", "KWD", "1.001"),
            ("1.0004", "KWD", "1.000"),
            ("7", "USD", "7.00"),
        ],
    )
    def test_half_up_to_the_minor_unit(self, amount: str, currency: str, expected: str) -> None:
        rounded = quantize(Decimal(amount), currency)
        assert (rounded, str(rounded)) == (Decimal(expected), expected)

    @pytest.mark.parametrize(
        ("amount", "currency", "text"),
        [("1284.255", "EUR", "1,284.26"), ("1234567", "JPY", "1,234,567"), ("0", "BHD", "0.000")],
    )
    def test_format_amount(self, amount: str, currency: str, text: str) -> None:
        assert format_amount(Decimal(amount), currency) == text


class TestMoney:
    def test_str(self) -> None:
        assert str(Money(Decimal("1284.255"))) == "EUR 1,284.26"
        assert str(Money(1500, "JPY")) == "JPY 1,500"

    def test_amounts_are_exact(self) -> None:
        assert Money("0.1").amount + Money("0.2").amount == Decimal("0.3")
        assert Money(Decimal("1.0")) == Money(1)

    def test_never_a_float(self) -> None:
        with pytest.raises(
            TypeError, match=r"^money amounts must be Decimal, int or str, never float$"
        ):
            Money(1.5)  # type: ignore[arg-type]

    @pytest.mark.parametrize("currency", ["XXX", "eur", "EURO", ""])
    def test_currency_checked(self, currency: str) -> None:
        with pytest.raises(ValueError, match=f"^unknown ISO 4217 currency '{currency}'$"):
            Money(1, currency)

    def test_order_within_a_currency(self) -> None:
        assert sorted([Money(3), Money("1.5"), Money(2)]) == [Money("1.5"), Money(2), Money(3)]


class TestCostRange:
    def test_add(self) -> None:
        assert eur("85", "140") + eur("0.50", "1") == eur("85.50", "141")

    def test_add_refuses_another_currency(self) -> None:
        with pytest.raises(ValueError, match=r"^cannot add USD to EUR$"):
            eur("1", "2") + CostRange(Decimal(1), Decimal(2), "USD")

    def test_add_refuses_other_types(self) -> None:
        with pytest.raises(TypeError):
            eur("1", "2") + 1  # type: ignore[operator]

    def test_scale(self) -> None:
        assert eur("85", "140") * 3 == eur("255", "420")
        assert Decimal("1.5") * eur("85", "140") == eur("127.5", "210")
        assert eur("1", "2") * 0 == CostRange.zero()

    def test_scale_refuses_negative_factors(self) -> None:
        with pytest.raises(ValueError, match=r"^cost ranges scale by non-negative factors only$"):
            eur("1", "2") * -1

    def test_scale_refuses_floats(self) -> None:
        with pytest.raises(TypeError):
            eur("1", "2") * 1.5  # type: ignore[operator]

    def test_high_not_below_low(self) -> None:
        with pytest.raises(ValueError, match=r"^cost range high 1 is below low 2$"):
            eur("2", "1")

    def test_currency_checked(self) -> None:
        with pytest.raises(ValueError, match=r"^unknown ISO 4217 currency 'EURO'$"):
            CostRange(Decimal(1), Decimal(2), "EURO")

    def test_total(self) -> None:
        assert CostRange.total([eur("1", "2"), eur("3", "4")], "EUR") == eur("4", "6")
        assert CostRange.total([], "GBP") == CostRange.zero("GBP")
        with pytest.raises(ValueError, match=r"^cannot add EUR to GBP$"):
            CostRange.total([eur("1", "2")], "GBP")

    def test_exact(self) -> None:
        assert CostRange.exact("45.5") == eur("45.5", "45.5")

    def test_rounded_half_up(self) -> None:
        assert eur("85.005", "140.004").rounded() == eur("85.01", "140.00")
        assert CostRange(Decimal("0.5"), Decimal("1.5"), "JPY").rounded() == CostRange(
            Decimal(1), Decimal(2), "JPY"
        )

    def test_str_and_json(self) -> None:
        cost = eur("1284.255", "2000")
        assert str(cost) == "EUR 1,284.26–2,000.00"
        assert cost.to_json() == {"currency": "EUR", "low": "1284.26", "high": "2000.00"}

    @given(st.lists(st.tuples(amounts, amounts).map(sorted), max_size=8))
    def test_sum_is_exact(self, pairs: list[list[Decimal]]) -> None:
        """Nothing is rounded while adding: the total equals the sum of the parts."""
        total = CostRange.total((eur(str(low), str(high)) for low, high in pairs), "EUR")
        assert total.low == sum((low for low, _ in pairs), Decimal(0))
        assert total.high == sum((high for _, high in pairs), Decimal(0))

    @given(amounts, amounts, st.integers(0, 1000))
    def test_scaling_is_repeated_addition(self, a: Decimal, b: Decimal, factor: int) -> None:
        cost = eur(str(min(a, b)), str(max(a, b)))
        assert cost * factor == CostRange.total([cost] * factor, "EUR")


def test_currencies_are_iso_4217_codes() -> None:
    assert {"EUR", "USD", "JPY", "KWD", "CHF"} <= CURRENCIES
    assert all(len(code) == 3 and code.isupper() for code in CURRENCIES)
