"""The parties of a document (seller, buyer, payee, tax representative) and where
it was delivered."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from invoicing.model.base import Model
from invoicing.text import Code, CountryCode, LongText, Text


class Identifier(Model):
    """An identifier with its optional scheme (ISO 6523 ICD, e.g. 0009 SIRET)."""

    value: Text
    scheme: Code | None = None


class Address(Model):
    """A postal address (BG-5, BG-8, BG-12, BG-15)."""

    line1: Text | None = None
    line2: Text | None = None
    line3: Text | None = None
    city: Text | None = None
    postcode: Text | None = None
    country_subdivision: Text | None = None
    country: CountryCode | None = Field(None, description="ISO 3166-1 alpha-2 (BT-40, BT-55...)")


class ElectronicAddress(Model):
    """BT-34 / BT-49: where the invoice is delivered. Scheme 0225 is the French
    reform's SIREN-based address; EM is an email address."""

    value: Text
    scheme: Code = "0225"


class ContactPoint(Model):
    """BG-6 / BG-9."""

    name: Text | None = None
    phone: Text | None = None
    email: Text | None = None


class Party(Model):
    """Seller (BG-4) or buyer (BG-7)."""

    name: Text | None = Field(None, description="BT-27 / BT-44")
    trading_name: Text | None = Field(None, description="BT-28 / BT-45")
    identifiers: list[Identifier] = Field(
        default_factory=list,
        description="BT-29 / BT-46: other identifiers (SIRET goes in `siret`)",
    )
    siret: Text | None = Field(None, description="SIRET, written as BT-29/BT-46 scheme 0009")
    siren: Text | None = Field(None, description="SIREN, written as BT-30/BT-47 scheme 0002")
    legal_registration: Identifier | None = Field(
        None, description="BT-30 / BT-47 when not a SIREN (another legal registry)"
    )
    vat_id: Text | None = Field(None, description="BT-31 / BT-48")
    tax_registration: Text | None = Field(None, description="BT-32: local tax registration")
    legal_info: LongText | None = Field(
        None, description="BT-33: e.g. 'SAS au capital de 10 000 €, RCS Paris'"
    )
    electronic_address: ElectronicAddress | None = Field(None, description="BT-34 / BT-49")
    address: Address = Field(default_factory=Address, description="BG-5 / BG-8")
    contact: ContactPoint | None = Field(None, description="BG-6 / BG-9")
    public_sector: bool = Field(
        False, description="Buyer is a French public entity (Chorus Pro pre-checks)"
    )
    private_person: bool = Field(
        False,
        description="Buyer is a private person (B2C): outside e-invoicing (e-reporting), "
        "no SIREN needed. See invoicing.scope",
    )


class Payee(Model):
    """BG-10: who is paid, when not the seller."""

    name: Text
    identifier: Identifier | None = Field(None, description="BT-60")
    legal_registration: Identifier | None = Field(None, description="BT-61")


class TaxRepresentative(Model):
    """BG-11."""

    name: Text
    vat_id: Text | None = Field(None, description="BT-63")
    address: Address = Field(default_factory=Address, description="BG-12")


class Delivery(Model):
    """BG-13: where and when goods or services were delivered."""

    name: Text | None = Field(None, description="BT-70")
    location_id: Identifier | None = Field(None, description="BT-71")
    date: dt.date | None = Field(None, description="BT-72: actual delivery date")
    address: Address | None = Field(None, description="BG-15")
