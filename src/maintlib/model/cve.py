"""CVE identifiers and CVSS vectors: a vulnerability listed on an asset in the inventory."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cached_property

import attrs

from maintlib._util.text import excerpt, quoting_briefly

__all__ = ["Vulnerability"]


CVE_ID = re.compile(r"CVE-[0-9]{4}-[0-9]{4,}")


@attrs.frozen
class Vulnerability:
    """A known weakness of an asset.

    Attributes:
        id: The CVE id (``CVE-2024-3400``).
        cvss: A CVSS v2, v3.x or v4.0 vector; when given, its base score counts in
            the asset's risk.
    """

    id: str
    cvss: str | None = None

    @cached_property
    def base_score(self) -> Decimal | None:
        """The CVSS base score of :attr:`cvss`, or None without a vector."""
        if self.cvss is None:
            return None
        return cvss_base_score(self.cvss)


def cvss_base_score(vector: str) -> Decimal:
    """The base score of a CVSS vector (v2, v3.0, v3.1 or v4.0).

    Raises:
        ValueError: The vector is not valid.
    """
    import cvss  # imported lazily: only inventories with vectors need it

    try:
        if vector.startswith("CVSS:4.0/"):
            return Decimal(str(cvss.CVSS4(vector).base_score))
        if vector.startswith("CVSS:3."):
            return Decimal(str(cvss.CVSS3(vector).base_score))
        return Decimal(str(cvss.CVSS2(vector).base_score))
    except cvss.CVSSError as error:
        raise ValueError(
            f"invalid CVSS vector {excerpt(vector)!r}: {quoting_briefly(error)}"
        ) from None
