"""Norwegian identifiers, validated with python-stdnum (never by hand)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.no import fodselsnummer, orgnr

from ettervern.core.errors import InvalidInput

FNR = "fnr"
DNR = "dnr"
HNR = "hnr"

# FHIR identifier systems (OIDs used by Norwegian health IT, as in HL7 Norway's no-basis).
SYSTEM_FNR = "urn:oid:2.16.578.1.12.4.1.4.1"
SYSTEM_DNR = "urn:oid:2.16.578.1.12.4.1.4.2"
SYSTEM_HNR = "urn:oid:2.16.578.1.12.4.1.4.3"
SYSTEM_HPR = "urn:oid:2.16.578.1.12.4.1.4.4"
SYSTEM_ORGNR = "urn:oid:2.16.578.1.12.4.1.4.101"


@dataclass(frozen=True)
class NationalId:
    value: str
    kind: str  # FNR, DNR or HNR

    @property
    def system(self) -> str:
        return {FNR: SYSTEM_FNR, DNR: SYSTEM_DNR, HNR: SYSTEM_HNR}[self.kind]


def parse_national_id(raw: str) -> NationalId:
    """Validate a fødselsnummer, D-nummer or H-nummer.

    Raise InvalidInput with a message a person can act on.
    """
    value = fodselsnummer.compact(raw or "")
    try:
        fodselsnummer.validate(value)
    except InvalidLength:
        raise InvalidInput(_("A national identity number has exactly 11 digits."),
                           field="national_id") from None
    except InvalidFormat:
        raise InvalidInput(_("A national identity number contains digits only."),
                           field="national_id") from None
    except InvalidChecksum:
        raise InvalidInput(
            _("The check digits do not match. Check the number for typing errors."),
            field="national_id",
        ) from None
    except (InvalidComponent, StdnumError):
        raise InvalidInput(
            _("The number does not contain a valid date of birth."), field="national_id"
        ) from None
    if int(value[0]) >= 4:
        kind = DNR
    elif int(value[2]) >= 4:
        kind = HNR
    else:
        kind = FNR
    return NationalId(value=value, kind=kind)


def birth_date(national_id: str) -> dt.date:
    born: dt.date = fodselsnummer.get_birth_date(national_id)
    return born


def validate_orgnr(raw: str) -> str:
    try:
        return str(orgnr.validate(raw))
    except StdnumError:
        raise InvalidInput(_("Invalid organisation number."), field="org_number") from None


def mask_national_id(value: str) -> str:
    """Birth date visible, personal digits hidden: for lists where the full number is not needed."""
    return f"{value[:6]} *****"
