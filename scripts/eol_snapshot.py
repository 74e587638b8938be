"""Build maintlib's endoflife.date snapshot (API v1 product documents) from the
endoflife.date repository's ``products/*.md`` front matter.

Usage: python scripts/eol_snapshot.py REPO_DIR COMMIT OUT_DIR PRODUCT_FILE...

It reproduces what endoflife.date's own generator does for
``/api/v1/products/<product>/`` (``_plugins/product-data-enricher.rb`` and
``_plugins/generate-api-v1.rb``, API 1.2.1) as of the commit's date: the ``is*``
flags are computed against that day, not today. Needs PyYAML (not a maintlib
dependency: this is a maintainer's tool, run by hand when the snapshot is renewed).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import subprocess
import sys
from pathlib import Path

import yaml

API_VERSION = "1.2.1"
SITE = "https://endoflife.date"
DEFAULTS = {
    "latestColumn": True,
    "discontinuedColumn": False,
    "eoasColumn": False,
    "eolColumn": True,
    "eoesColumn": False,
    "customFields": [],
    "LTSLabel": '<abbr title="Long Term Support">LTS</abbr>',
    "identifiers": [],
}


def strip_html(text: str | None) -> str | None:
    if text is None:
        return None
    text = re.sub(r"<script.*?</script>|<!--.*?-->|<style.*?</style>", "", text, flags=re.S)
    return re.sub(r"<.*?>", "", text, flags=re.S)


def explode(cycle: dict, field: str, today: dt.date) -> tuple[bool | None, str | None]:
    if field not in cycle:
        return None, None
    value = cycle[field]
    if isinstance(value, dt.date):
        return today > value, value.isoformat()
    return bool(value), None


def render(template: str, cycle: dict) -> str:
    text = template.strip().replace("__RELEASE_CYCLE__", str(cycle["releaseCycle"]))
    text = text.replace("__CODENAME__", cycle.get("codename") or "")
    text = text.replace("__RELEASE_DATE__", cycle["releaseDate"].isoformat())
    text = text.replace("__LATEST__", str(cycle.get("latest") or ""))
    latest_date = cycle.get("latestReleaseDate")
    return text.replace("__LATEST_RELEASE_DATE__", latest_date.isoformat() if latest_date else "")


def release(page: dict, cycle: dict, today: dt.date) -> dict:
    is_lts, lts_from = explode({"lts": False, **cycle}, "lts", today)
    is_eoas, eoas_from = explode(cycle, "eoas", today)
    is_eol, eol_from = explode(cycle, "eol", today)
    is_disc, disc_from = explode(cycle, "discontinued", today)
    is_eoes, eoes_from = explode(cycle, "eoes", today)
    template = cycle.get("releaseLabel") or page.get("releaseLabel")
    label = render(template, cycle) if template else str(cycle["releaseCycle"])
    if lts_from:
        label += f" ({page['LTSLabel']})" if is_lts else f" (Upcoming {page['LTSLabel']})"
    elif is_lts:
        label += f" ({page['LTSLabel']})"
    flags = [is_eoas, is_eol, is_disc, is_eoes]
    link = cycle.get("link", render(page["changelogTemplate"], cycle) if page.get("changelogTemplate") else None)
    if link and "__" in link:
        link = render(link, cycle)
    latest_date = cycle.get("latestReleaseDate")
    doc = {
        "name": str(cycle["releaseCycle"]),
        "codename": cycle.get("codename"),
        "label": html.unescape(strip_html(label) or ""),
        "releaseDate": cycle["releaseDate"].isoformat(),
        "isLts": is_lts,
        "ltsFrom": lts_from,
        "isEoas": is_eoas,
        "eoasFrom": eoas_from,
        "isEol": is_eol,
        "eolFrom": eol_from,
        "isDiscontinued": is_disc,
        "discontinuedFrom": disc_from,
        "isEoes": is_eoes,
        "eoesFrom": eoes_from,
        "isMaintained": any(flag is False for flag in flags),
        "latest": {
            "name": None if cycle.get("latest") is None else str(cycle["latest"]),
            "date": latest_date.isoformat() if latest_date else None,
            "link": link,
        },
        "custom": None,
    }
    for column, keys in (
        ("eoasColumn", ("isEoas", "eoasFrom")),
        ("discontinuedColumn", ("isDiscontinued", "discontinuedFrom")),
        ("eoesColumn", ("isEoes", "eoesFrom")),
    ):
        if not page.get(column):
            for key in keys:
                del doc[key]
    if not page.get("latestColumn"):
        doc["latest"] = None
    return doc


def product(text: str, today: dt.date) -> dict:
    front = text.split("---", 2)[1]
    page = {**DEFAULTS, **yaml.safe_load(front)}
    ident = page["permalink"].lstrip("/")
    tags = page.get("tags") or []
    tags = sorted([*(tags if isinstance(tags, list) else tags.split()), page["category"]])

    def label(column: str) -> str | None:
        value = page.get(column)
        return strip_html(value) if isinstance(value, str) else None

    return {
        "name": ident,
        "aliases": [path.lstrip("/") for path in page.get("alternate_urls") or []],
        "label": page["title"],
        "category": page["category"],
        "tags": tags,
        "versionCommand": page.get("versionCommand"),
        "identifiers": [
            {"type": next(iter(i)), "id": next(iter(i.values()))} for i in page["identifiers"]
        ],
        "labels": {
            "eoas": label("eoasColumn"),
            "discontinued": label("discontinuedColumn"),
            "eol": label("eolColumn"),
            "eoes": label("eoesColumn"),
        },
        "links": {
            "icon": None,
            "html": f"{SITE}/{ident}",
            "releasePolicy": page.get("releasePolicyLink"),
        },
        "releases": [release(page, cycle, today) for cycle in page["releases"]],
    }


def main(repo: str, commit: str, out: str, *files: str) -> None:
    when = subprocess.run(
        ["git", "-C", repo, "show", "-s", "--format=%cI", commit],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    moment = dt.datetime.fromisoformat(when).astimezone(dt.UTC)
    for name in files:
        text = subprocess.run(
            ["git", "-C", repo, "show", f"{commit}:products/{name}.md"],
            check=True, capture_output=True, text=True,
        ).stdout
        result = product(text, moment.date())
        document = {
            "schema_version": API_VERSION,
            "generated_at": moment.isoformat().replace("+00:00", "Z"),
            "result": result,
            "maintlib_snapshot": {
                "source": f"https://github.com/endoflife-date/endoflife.date/blob/{commit}/products/{name}.md",
                "repository": "endoflife-date/endoflife.date",
                "path": f"products/{name}.md",
                "commit": commit,
                "snapshot_date": moment.date().isoformat(),
                "licence": "MIT, Copyright 2020 endoflife.date contributors (see LICENSE.endoflife-date)",
            },
        }
        target = Path(out) / f"{result['name']}.json"
        target.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(target)


if __name__ == "__main__":
    main(*sys.argv[1:])
