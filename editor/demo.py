"""The editor alone, on the in-memory backend: `python -m editor.demo [port]`.

Prints editor URLs (a new invoice, a new quote) for a demo company with a few
customers and products. Binds to 127.0.0.1 only.
"""

from __future__ import annotations

import secrets
import sys
from dataclasses import dataclass

from editor.backend import NewContact
from editor.memory_backend.backend import MemoryBackend
from editor.memory_backend.store import Company
from invoicing.model import Address, PaymentMeans, PaymentTerm, PaymentTermKind
from invoicing.samples import FRENCH_LEGAL_NOTES, seller


@dataclass(frozen=True, slots=True)
class DemoWorld:
    backend: MemoryBackend
    company: Company
    user_id: int


def _address(line1: str, postcode: str, city: str) -> Address:
    return Address(line1=line1, postcode=postcode, city=city, country="FR")


def demo_world(signing_keys: tuple[str, ...], public_url: str = "") -> DemoWorld:
    backend = MemoryBackend(signing_keys, public_url=public_url)
    company = backend.add_company(
        seller(),
        module_name="Atelier Factures",
        legal_notes=FRENCH_LEGAL_NOTES,
        payment_terms="Paiement à 30 jours par virement.",
        payment_term=PaymentTerm(kind=PaymentTermKind.DAYS, days=30),
        payment_means=PaymentMeans(
            code="58", iban="FR7630006000011234567890189", bic="AGRIFRPPXXX"
        ),
    )
    user_id = backend.add_user(company)
    for contact in (
        NewContact(
            kind="company",
            name="Boulangerie Dupont & Fils",
            siren="552100554",
            siret="55210055400013",
            vat_id="FR96552100554",
            email="contact@boulangerie-dupont.example",
            address=Address(
                line1="3 place du Marché", postcode="69100", city="Villeurbanne", country="FR"
            ),
        ),
        NewContact(
            kind="company",
            name="Garage des Lilas",
            siren="443061841",
            address=Address(
                line1="8 avenue Jean Jaurès", postcode="69007", city="Lyon", country="FR"
            ),
        ),
        NewContact(
            kind="person",
            name="Camille Martin",
            email="camille.martin@example.org",
            address=_address("14 rue Paul Bert", "69003", "Lyon"),
        ),
    ):
        backend.add_contact(company, contact)
    for name, price, unit, rate in (
        ("Intervention technicien", "65.00", "HUR", "20"),
        ("Déplacement", "35.00", "C62", "20"),
        ("Câble RJ45 Cat.6 — 5 m", "7.90", "C62", "20"),
        ("Livre « Réseaux »", "32.50", "C62", "5.5"),
        ("Abonnement maintenance mensuel", "49.00", "MON", "20"),
    ):
        backend.add_product(company, name, price, unit=unit, vat_rate=rate)
    return DemoWorld(backend, company, user_id)


def main() -> None:  # pragma: no cover - manual use
    import uvicorn

    from editor.backend import EditorOptions
    from editor.routes import create_editor_app
    from invoicing.model import DocumentKind

    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8001
    base = f"http://127.0.0.1:{port}"
    keys = (secrets.token_urlsafe(32),)
    world = demo_world(keys, public_url=base)
    app = create_editor_app(world.backend, signing_keys=keys, extra_routes=world.backend.routes)
    for kind, locale in ((DocumentKind.INVOICE, "fr"), (DocumentKind.QUOTE, "en")):
        token = world.backend.mint(
            company=world.company,
            user_id=world.user_id,
            parent_origin=base,
            new_kind=kind,
            options=EditorOptions(locale="fr" if locale == "fr" else "en"),
            seconds=8 * 3600,
        )
        print(f"{kind.value} ({locale}): {base}/editor#t={token}")
    uvicorn.run(app, host="127.0.0.1", port=port, ws="websockets-sansio", log_level="warning")


if __name__ == "__main__":  # pragma: no cover
    main()
