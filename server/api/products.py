"""Products: a company's catalogue (name, unit, unit price, VAT)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from pydantic import Field, StringConstraints
from starlette.responses import Response

from invoicing.model import Percent, UnitPrice, VatCategory
from invoicing.text import Code, LongText, Text
from server.api.common import Deleted, Input, Output, Page, respond
from server.api.operation import Operation
from server.api.pagination import PAGE_PARAMS, before_id, next_cursor, page_limit
from server.db.base import utcnow
from server.db.catalogue import Product
from server.endpoint import ApiCall

Name = Annotated[Text, StringConstraints(min_length=1)]


# A catalogue price becomes an invoice line's price: at most what the French rules
# allow there (BR-FR-DEC-03: 6 decimals), even though an imported invoice may hold more.
CataloguePrice = Annotated[Decimal, Field(max_digits=19, decimal_places=6, allow_inf_nan=False)]


class ProductIn(Input):
    name: Name
    description: LongText | None = None
    unit: Code = Field("C62", description="UN/ECE Rec 20 unit code")
    unit_price: CataloguePrice = Field(description="Net unit price, excl. VAT (6 decimals at most)")
    vat_category: VatCategory = VatCategory.STANDARD
    vat_rate: Percent | None = None


class ProductPatch(Input):
    name: Name | None = None
    description: LongText | None = None
    unit: Code | None = None
    unit_price: CataloguePrice | None = None
    vat_category: VatCategory | None = None
    vat_rate: Percent | None = None


class ProductOut(Output):
    id: int
    company_id: int
    name: str
    description: str | None
    unit: str
    unit_price: UnitPrice
    vat_category: VatCategory
    vat_rate: Percent | None
    created_at: dt.datetime
    updated_at: dt.datetime


class ProductList(Page):
    items: list[ProductOut]


_NOT_NULL = frozenset({"name", "unit", "unit_price", "vat_category"})


async def create_product(call: ApiCall) -> Response:
    company = await call.caller.company(call.session, call.path_id())
    body = await call.model(ProductIn)
    product = Product(
        partner_id=call.caller.partner_id, company_id=company.id, **body.model_dump(mode="json")
    )
    call.session.add(product)
    await call.session.flush()
    return respond(ProductOut, product, 201)


async def list_products(call: ApiCall) -> Response:
    company = await call.caller.company(call.session, call.path_id())
    limit = page_limit(call.request)
    query = call.caller.scoped(Product).where(Product.company_id == company.id)
    if (before := before_id(call.request)) is not None:
        query = query.where(Product.id < before)
    rows = list(await call.session.scalars(query.order_by(Product.id.desc()).limit(limit)))
    return respond(
        ProductList, {"items": rows, "next_cursor": next_cursor([r.id for r in rows], limit)}
    )


async def get_product(call: ApiCall) -> Response:
    product = await call.caller.get(call.session, Product, call.path_id(), "product")
    return respond(ProductOut, product)


async def update_product(call: ApiCall) -> Response:
    product = await call.caller.get(call.session, Product, call.path_id(), "product")
    body = await call.model(ProductPatch)
    for key, value in body.model_dump(mode="json", exclude_unset=True).items():
        if value is None and key in _NOT_NULL:
            continue
        setattr(product, key, value)
    product.updated_at = utcnow()
    await call.session.flush()
    return respond(ProductOut, product)


async def delete_product(call: ApiCall) -> Response:
    product = await call.caller.get(call.session, Product, call.path_id(), "product")
    await call.session.delete(product)
    return respond(Deleted, {"id": product.id})


OPERATIONS = (
    Operation(
        "POST",
        "/companies/{id:int}/products",
        create_product,
        "Create a product",
        ProductIn,
        ProductOut,
        201,
    ),
    Operation(
        "GET",
        "/companies/{id:int}/products",
        list_products,
        "List products",
        response=ProductList,
        query=(*PAGE_PARAMS,),
    ),
    Operation("GET", "/products/{id:int}", get_product, "Get a product", response=ProductOut),
    Operation(
        "PATCH", "/products/{id:int}", update_product, "Update a product", ProductPatch, ProductOut
    ),
    Operation("DELETE", "/products/{id:int}", delete_product, "Delete a product", response=Deleted),
)
