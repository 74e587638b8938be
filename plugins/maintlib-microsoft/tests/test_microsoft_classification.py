"""WSUS classifications onto update classes; MSRC severities onto deadlines."""

from __future__ import annotations

import pytest

from maintlib.packs import Plugins, Tier, UpdateClass, build_catalog
from maintlib.testing import make_plugins
from maintlib_microsoft import (
    MSRC_DEADLINES,
    WSUS_CLASSIFICATIONS,
    msrc_deadlines,
    update_class_for,
)


class TestWsus:
    def test_every_wsus_classification_has_an_update_class(self) -> None:
        assert dict(WSUS_CLASSIFICATIONS) == {
            "Security Updates": UpdateClass.SECURITY,
            "Critical Updates": UpdateClass.STANDARD,
            "Definition Updates": UpdateClass.DEFINITIONS,
            "Update Rollups": UpdateClass.SERVICE_PACK,
            "Service Packs": UpdateClass.SERVICE_PACK,
            "Feature Packs": UpdateClass.STANDARD,
            "Tools": UpdateClass.STANDARD,
            "Drivers": UpdateClass.FIRMWARE,
            "Updates": UpdateClass.STANDARD,
            "Upgrades": UpdateClass.STANDARD,
            "Driver Sets": UpdateClass.FIRMWARE,
            "Applications": UpdateClass.STANDARD,
        }

    @pytest.mark.parametrize(
        ("name", "expected"),
        [
            ("Security Updates", UpdateClass.SECURITY),
            ("security update", UpdateClass.SECURITY),
            ("  Definition   Updates ", UpdateClass.DEFINITIONS),
            ("Service pack", UpdateClass.SERVICE_PACK),
            ("Tool", UpdateClass.STANDARD),
            ("UPDATES", UpdateClass.STANDARD),
            ("Driver", UpdateClass.FIRMWARE),
        ],
    )
    def test_wsus_and_kb_names_in_any_case(self, name: str, expected: UpdateClass) -> None:
        assert update_class_for(name) is expected

    def test_the_mapping_cannot_be_changed(self) -> None:
        with pytest.raises(TypeError):
            WSUS_CLASSIFICATIONS["Drivers"] = UpdateClass.STANDARD  # type: ignore[index]

    def test_an_unknown_classification_is_refused_with_a_suggestion(self) -> None:
        with pytest.raises(ValueError, match=r"unknown WSUS classification 'Securty Updates'"):
            update_class_for("Securty Updates")
        with pytest.raises(ValueError, match='did you mean "Security Updates"'):
            update_class_for("Securty Updates")


class TestMsrc:
    def test_each_severity_is_no_slower_than_the_next_one_down(self) -> None:
        order = ["Critical", "Important", "Moderate", "Low"]
        assert list(MSRC_DEADLINES) == order
        for tier in Tier:
            days = [MSRC_DEADLINES[name].for_tier(tier) for name in order]
            assert days == sorted(days)

    def test_lookup_ignores_case_and_refuses_unknown_severities(self) -> None:
        assert msrc_deadlines("critical") == MSRC_DEADLINES["Critical"]
        assert msrc_deadlines(" Important ").for_tier(Tier.P1) == 3
        with pytest.raises(ValueError, match='did you mean "Moderate"'):
            msrc_deadlines("moderat")

    def test_the_policies_reach_the_catalog_without_changing_class_defaults(
        self, microsoft: Plugins
    ) -> None:
        catalog = build_catalog(microsoft)
        mine = {p.severity: p for p in catalog.deadline_policies if p.pack == "microsoft"}
        assert set(mine) == set(MSRC_DEADLINES)
        assert mine["Critical"].deadlines == MSRC_DEADLINES["Critical"]
        assert all(p.update_class is None and "msrc" in p.citation.lower() for p in mine.values())
        builtin_only = build_catalog(make_plugins())
        for update_class in UpdateClass:
            assert catalog.default_deadlines(update_class) == builtin_only.default_deadlines(
                update_class
            )
