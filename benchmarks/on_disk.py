"""The benchmark fleet written to disk, as users keep it: inline TOML or TOML plus CSV.

The issue-18 benchmarks time loading from these files, not from an in-memory fleet.

    .venv/bin/python benchmarks/on_disk.py 20000 /tmp/fleet20k          # inventory.toml
    .venv/bin/python benchmarks/on_disk.py 20000 /tmp/fleet20k --csv    # + assets.csv
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import tomli_w

from fleet import fleet
from maintlib.loading.document import to_document
from maintlib.model.inventory import Inventory


def write_inventory(inventory: Inventory, folder: Path, *, as_csv: bool = False) -> Path:
    """``folder/inventory.toml`` (with ``folder/assets.csv`` when ``as_csv``)."""
    folder.mkdir(parents=True, exist_ok=True)
    document = to_document(inventory)
    if as_csv:
        assets = document.pop("assets", [])
        assert isinstance(assets, list)
        columns = sorted({key for asset in assets for key in asset})
        with (folder / "assets.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, columns)
            writer.writeheader()
            for asset in assets:
                writer.writerow(
                    {
                        key: ";".join(value) if isinstance(value, list) else value
                        for key, value in asset.items()
                    }
                )
        document = {"assets_csv": "assets.csv", **document}
    path = folder / "inventory.toml"
    path.write_bytes(tomli_w.dumps(document).encode())
    return path


def write_fleet(size: int, folder: Path, *, as_csv: bool = False, seed: int = 2027) -> Path:
    """The benchmark fleet of about ``size`` assets, written to ``folder``."""
    return write_inventory(fleet(size, seed), folder, as_csv=as_csv)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", type=int)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--csv", action="store_true", help="assets in assets.csv")
    args = parser.parse_args()
    print(write_fleet(args.size, args.folder, as_csv=args.csv))


if __name__ == "__main__":
    main()
