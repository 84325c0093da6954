"""The base of every model, and the kinds of numbers and text its fields hold."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

# EN 16931 limits neither the decimals of a quantity nor those of a price (the
# French rules do: 4 and 6, see invoicing/rules/french/amounts.py); only their size.
Quantity = Annotated[Decimal, Field(max_digits=19, allow_inf_nan=False)]
Amount = Annotated[Decimal, Field(max_digits=19, decimal_places=2, allow_inf_nan=False)]
UnitPrice = Annotated[Decimal, Field(max_digits=23, allow_inf_nan=False)]
# BT-149 can be a fraction of a unit (e.g. a price per 0.00101 kWh in the CEN examples).
BaseQuantity = Annotated[Decimal, Field(max_digits=23, allow_inf_nan=False)]
Base64Text = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z0-9+/=\r\n ]*$", max_length=15_000_000)
]
Percent = Annotated[Decimal, Field(max_digits=7, decimal_places=4, allow_inf_nan=False)]
# An amount as an imported file states it: EN 16931 rounds to the cent, other files may not.
StatedAmount = Annotated[Decimal, Field(max_digits=40, allow_inf_nan=False)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)
