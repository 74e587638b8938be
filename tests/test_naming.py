"""Product spellings: the same product written in the ways people write it."""

from __future__ import annotations

import datetime as dt

import pytest

from maintlib.model.inventory import Asset
from maintlib.model.naming import spellings
from maintlib.model.rules import Released, Selector
from maintlib.model.vocabulary import Category


def asset(product: str, version: str = "", os: str = "") -> Asset:
    return Asset(
        "a1", "virtual_server", vendor="Microsoft", product=product, version=version, os=os
    )


class TestSpellings:
    def test_as_written_comes_first(self) -> None:
        assert spellings(asset("Windows Server", "2016"))[0] == ("Windows Server", "2016")

    @pytest.mark.parametrize(
        ("product", "expected"),
        [
            ("Windows Server 2016", ("Windows Server", "2016")),
            ("Windows Server 2012 R2", ("Windows Server", "2012 R2")),
            ("Windows Server 2022 Datacenter", ("Windows Server", "2022")),
            ("Windows Server 2022 Datacenter", ("Windows Server Datacenter", "2022")),
            ("Windows 11 Pro 24H2", ("Windows 11 Pro", "24H2")),
            ("Microsoft SQL Server 2019", ("SQL Server", "2019")),
            ("FortiOS 7.4.7", ("FortiOS", "7.4.7")),
        ],
    )
    def test_a_version_inside_the_name_is_split_off(
        self, product: str, expected: tuple[str, str]
    ) -> None:
        assert expected in spellings(asset(product))

    def test_a_plain_number_stays_in_the_name(self) -> None:
        assert ("Windows", "11") not in spellings(asset("Windows 11 Pro"))

    def test_the_os_after_a_model_name(self) -> None:
        assert ("IOS XE", "") in spellings(asset("Catalyst 9300 IOS XE"))

    def test_an_explicit_os_with_the_assets_version(self) -> None:
        assert ("IOS XE", "17.9.5") in spellings(asset("Catalyst 9200L", "17.9.5", os="IOS XE"))


class TestSelector:
    lifecycle = Selector(vendor="Microsoft*", product="Windows Server", version="2016")

    @pytest.mark.parametrize(
        ("product", "version"),
        [("Windows Server", "2016"), ("Windows Server 2016", ""), ("Windows Server 2016", "10.0")],
    )
    def test_both_spellings_match(self, product: str, version: str) -> None:
        assert self.lifecycle.matches(asset(product, version), Category.SERVER)

    def test_product_and_version_must_match_the_same_spelling(self) -> None:
        assert not self.lifecycle.matches(asset("Windows Server 2019", "2016"), Category.SERVER)
        assert not self.lifecycle.matches(asset("Windows Server 2019"), Category.SERVER)

    def test_an_os_glob_matches_the_os_field_and_the_name_tail(self) -> None:
        ios = Selector(product="IOS*")
        assert ios.matches(asset("Catalyst 9200L", os="IOS XE"), Category.NETWORK)
        assert ios.matches(asset("Catalyst 9300 IOS XE"), Category.NETWORK)
        assert not ios.matches(asset("Catalyst 9200L"), Category.NETWORK)


class TestAnotherVendorsHardware:
    """An asset written as its hardware, its operating system in ``os``: the OS
    vendor's product rules apply (Windows Server on an HPE server)."""

    windows = Selector(vendor="Microsoft*", product="Windows Server*", version="2022")

    @staticmethod
    def hardware(os: str, version: str = "") -> Asset:
        return Asset(
            "hv01", "hypervisor", vendor="HPE", product="ProLiant DL380", os=os, version=version
        )

    def test_the_os_is_the_vendors_product(self) -> None:
        assert self.windows.matches(
            self.hardware("Windows Server 2022 Datacenter"), Category.SERVER
        )
        assert self.windows.matches(self.hardware("Windows Server", "2022"), Category.SERVER)
        assert self.windows.matches_vendor(self.hardware("Windows Server 2022"))

    def test_only_through_the_os_and_only_with_a_product(self) -> None:
        assert not self.windows.matches(self.hardware(""), Category.SERVER)
        assert not self.windows.matches(self.hardware("Windows Server 2019"), Category.SERVER)
        assert not self.windows.matches(self.hardware("Ubuntu 22.04"), Category.SERVER)
        # A vendor's rule for all its products is for its own hardware and software.
        assert not Selector(vendor="Microsoft*").matches(
            self.hardware("Windows Server 2022"), Category.SERVER
        )
        # The hardware's model is not read as the OS vendor's product.
        model = Selector(vendor="Microsoft*", product="ProLiant*")
        assert not model.matches(self.hardware("Windows Server 2022"), Category.SERVER)


def test_released_until_is_described() -> None:
    cadence = Released("patch-tuesday", until=dt.date(2026, 10, 13))
    assert cadence.describe() == "at each release of patch-tuesday, until 2026-10-13"
