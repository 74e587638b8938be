"""The checklists' steps in Dutch (``Step.texts``): what a Dutch calendar feed shows.

One table by the English text, applied to every rule's steps by :func:`in_dutch`; a
step added without a Dutch text fails ``tests/test_network_dutch.py``.
"""

from __future__ import annotations

import attrs

from maintlib.packs import Rule, Step

__all__ = ["DUTCH", "in_dutch"]

DUTCH = {
    "Management interfaces (web, SSH, SNMP, API) are not reachable from the internet.": (
        "Beheerinterfaces (web, SSH, SNMP, API) zijn niet bereikbaar vanaf internet."
    ),
    "Few admin accounts: remove unused, default and shared ones.": (
        "Weinig beheerdersaccounts: verwijder ongebruikte, standaard- en gedeelde accounts."
    ),
    "Strong passwords or keys; multi-factor sign-in where supported.": (
        "Sterke wachtwoorden of sleutels; meervoudige aanmelding waar het kan."
    ),
    "Record the findings; fix what fails.": "Leg de bevindingen vast; herstel wat niet voldoet.",
    "Read the publication's advisories; for each device note whether its model, version"
    " and enabled features are affected.": (
        "Lees de adviezen van de publicatie; noteer per apparaat of het model, de versie en"
        " de ingeschakelde functies getroffen zijn."
    ),
    "Critical, exploited or in the KEV: the emergency path (days, not weeks). High on an"
    " internet-facing device: its fix in the next window. The rest: the quarterly"
    " firmware.": (
        "Kritiek, actief misbruikt of in de KEV: de spoedroute (dagen, geen weken). Hoog op"
        " een apparaat dat aan internet hangt: de oplossing in het volgende venster. De rest:"
        " de firmware van het kwartaal."
    ),
    "Record the decision per device.": "Leg het besluit per apparaat vast.",
    "Back up the device configuration first, off the device.": (
        "Maak eerst een back-up van de apparaatconfiguratie, buiten het apparaat."
    ),
    "Confirm the same firmware passed the lower ring.": (
        "Controleer of dezelfde firmware de lagere ring heeft doorstaan."
    ),
    "Read the vendor's advisories since the last update. If none affects this device,"
    " record that and close the task; else pick the fixed firmware on a supported upgrade"
    " path.": (
        "Lees de adviezen van de leverancier sinds de vorige update. Raakt geen ervan dit"
        " apparaat, leg dat vast en sluit de taak; kies anders de gerepareerde firmware via"
        " een ondersteund upgradepad."
    ),
    "Install the firmware.": "Installeer de firmware.",
    "Verify afterwards that links, routing, VPNs, wireless clients and rules work.": (
        "Controleer daarna of verbindingen, routering, VPN's, draadloze clients en regels werken."
    ),
    "If problems appear: boot the previous image, restore the configuration.": (
        "Bij problemen: start de vorige image en zet de configuratie terug."
    ),
    "One node at a time, the standby (secondary) first: if this node is active, fail over"
    " to its partner before you start.": (
        "Eén node tegelijk, de standby (secundaire) eerst: is deze node actief, schakel dan"
        " eerst over naar zijn partner."
    ),
    "Install the firmware on this node only; let it rejoin the cluster.": (
        "Installeer de firmware alleen op deze node; laat hem weer in het cluster komen."
    ),
    "Verify the node is back in the cluster and in sync, and that links, routing, VPNs,"
    " wireless clients and rules work.": (
        "Controleer of de node terug is in het cluster en gesynchroniseerd, en of"
        " verbindingen, routering, VPN's, draadloze clients en regels werken."
    ),
    "The advisory triage of this publication decides: if an advisory (High, or any"
    " severity reachable from the internet) affects this device, install the fixed"
    " firmware; if none does, record that and close the task.": (
        "De triage van deze publicatie beslist: raakt een advies (Hoog, of elke ernst die"
        " vanaf internet bereikbaar is) dit apparaat, installeer dan de gerepareerde"
        " firmware; raakt geen ervan het, leg dat vast en sluit de taak."
    ),
    "Export the configuration (or check the scheduled export ran); keep it off the"
    " device, versioned.": (
        "Exporteer de configuratie (of controleer of de geplande export is gedraaid);"
        " bewaar die buiten het apparaat, met versies."
    ),
    "Check the backup is complete and can be read.": (
        "Controleer of de back-up volledig en leesbaar is."
    ),
    "Review logs and traffic for anomalies: denied bursts, new destinations, admin"
    " logins, configuration changes.": (
        "Bekijk logs en verkeer op afwijkingen: pieken in geweigerd verkeer, nieuwe"
        " bestemmingen, beheerdersaanmeldingen, configuratiewijzigingen."
    ),
    "Record the findings; open an incident for anything odd.": (
        "Leg de bevindingen vast; meld een incident bij iets vreemds."
    ),
    "Review logs for anomalies: port or radio errors, rogue devices, admin logins,"
    " configuration changes.": (
        "Bekijk de logs op afwijkingen: poort- of radiofouten, onbekende apparaten,"
        " beheerdersaanmeldingen, configuratiewijzigingen."
    ),
    "Record the findings.": "Leg de bevindingen vast.",
}


def _step(step: Step) -> Step:
    dutch = DUTCH.get(step.text)
    return attrs.evolve(step, texts={**step.texts, "nl": dutch}) if dutch else step


def in_dutch(rules: list[Rule]) -> list[Rule]:
    """``rules`` with every step's Dutch text (``Step.texts["nl"]``) from :data:`DUTCH`."""
    return [attrs.evolve(rule, steps=tuple(_step(step) for step in rule.steps)) for rule in rules]
