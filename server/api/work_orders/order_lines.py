"""The lines a work order makes: time entries, used items, or the partner's default
line, each from a product of the company."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from invoicing.model import (
    Line,
)
from server.api.work_orders.body import (
    WorkOrderIn,
)
from server.caller import is_row_id
from server.db.catalogue import Product
from server.db.tenants import Company
from server.endpoint import ApiCall
from server.field_messages import SaidError, said_error
from server.work_orders import (
    MINUTES_PER_UNIT,
    product_line,
    time_line,
)


async def product_of(
    call: ApiCall, company: Company, product_id: int, field: str, errors: list[SaidError]
) -> Product | None:
    product = None
    if is_row_id(product_id):
        product = await call.session.scalar(
            call.caller.scoped(Product).where(
                Product.id == product_id, Product.company_id == company.id
            )
        )
    if product is None:
        errors.append(said_error(field, "work_order_product", company=company.id))
    return product


async def time_entry_lines(
    call: ApiCall, company: Company, body: WorkOrderIn, errors: list[SaidError]
) -> list[Line]:
    if not body.time_entries:
        return []
    if body.time_product_id is None:
        errors.append(said_error("time_product_id", "work_order_time_product"))
        return []
    product = await product_of(call, company, body.time_product_id, "time_product_id", errors)
    if product is None:
        return []
    if product.unit not in MINUTES_PER_UNIT:
        errors.append(said_error("time_product_id", "work_order_time_unit", unit=product.unit))
        return []
    return [
        time_line(product, entry.minutes, entry.date, entry.description)
        for entry in body.time_entries
    ]


async def used_item_lines(
    call: ApiCall, company: Company, body: WorkOrderIn, errors: list[SaidError]
) -> list[Line]:
    lines = []
    for index, item in enumerate(body.items):
        field = f"items[{index}]"
        if item.product_id is not None:
            product = await product_of(
                call, company, item.product_id, f"{field}.product_id", errors
            )
            if product is None:
                continue
            line = product_line(product, item.quantity)
        elif item.name is None or item.unit_price is None:
            errors.append(said_error(field, "work_order_item"))
            continue
        else:
            line = Line(name=item.name, quantity=item.quantity, net_price=item.unit_price)
        overrides: dict[str, Any] = {
            "unit": item.unit,
            "net_price": item.unit_price,
            "vat_category": item.vat_category,
            "vat_rate": item.vat_rate,
        }
        lines.append(line.model_copy(update={k: v for k, v in overrides.items() if v is not None}))
    return lines


async def default_line(
    call: ApiCall,
    company: Company,
    body: WorkOrderIn,
    product_name: str | None,
    errors: list[SaidError],
    warnings: list[str],
) -> list[Line]:
    if body.default_product_id is not None:
        product = await product_of(
            call, company, body.default_product_id, "default_product_id", errors
        )
        return [product_line(product, quantity=Decimal(1))] if product else []
    if product_name is None:
        return []
    product = await call.session.scalar(
        call.caller.scoped(Product)
        .where(Product.company_id == company.id, Product.name == product_name)
        .order_by(Product.id)
        .limit(1)
    )
    if product is None:
        warnings.append(
            f"The default product {product_name!r} (work-order setting) is not in company "
            f"{company.id}'s catalogue, so no default line was added: create it, or send "
            "default_product_id."
        )
        return []
    return [product_line(product, quantity=Decimal(1))]
