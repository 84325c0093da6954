"""THE key test: the fast rules agree with the official schematrons.

For every document, the error ids the fast rules report, mapped to official
ids, equal the error ids the official check (XSD, Factur-X EN 16931, and BR-FR
with the French option) reports on the XML the CII writer writes. Over valid
documents and over mutations that break one thing at a time.

The official check compiles its stylesheets per thread: everything runs in the
test's own thread. Hypothesis is derandomized, so CI runs the same cases.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from invoicing.model import Document
from invoicing.profiles import Profile
from invoicing.rules.agreement import AgreementResult, agreement_case
from tests.invoicing.rules.mutations import MUTATIONS
from tests.invoicing.rules.valid_documents import valid_documents

_SETTINGS = {
    "deadline": None,
    "derandomize": True,
    "database": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}


def _explain(result: AgreementResult, what: str, document_json: str) -> str:
    return f"{what}\n{result.explain()}\ndocument: {document_json[:4000]}"


@settings(max_examples=300, **_SETTINGS)  # type: ignore[arg-type]
@given(document=valid_documents(french=False))
def test_valid_documents_pass_both_checks(document: Document) -> None:
    result = agreement_case(document, Profile.EN16931, french=False)
    json = document.model_dump_json(exclude_defaults=True)
    assert result.agree, _explain(result, "disagreement on a valid document", json)
    assert not result.official, _explain(result, "the writer's XML fails a valid document", json)


@settings(max_examples=300, **_SETTINGS)  # type: ignore[arg-type]
@given(document=valid_documents(french=True))
def test_valid_french_documents_pass_both_checks(document: Document) -> None:
    result = agreement_case(document, Profile.EN16931, french=True)
    json = document.model_dump_json(exclude_defaults=True)
    assert result.agree, _explain(result, "disagreement on a valid document", json)
    assert not result.official, _explain(result, "the writer's XML fails a valid document", json)


@pytest.mark.slow
@settings(max_examples=1500, **_SETTINGS)  # type: ignore[arg-type]
@given(data=st.data())
def test_one_thing_broken_at_a_time(data: st.DataObject) -> None:
    french = data.draw(st.booleans(), label="french")
    document = data.draw(valid_documents(french=french), label="document")
    name = data.draw(st.sampled_from(sorted(MUTATIONS)), label="mutation")
    MUTATIONS[name](document, data)
    result = agreement_case(document, Profile.EN16931, french=french)
    assert result.agree, _explain(
        result, f"mutation {name!r}", document.model_dump_json(exclude_defaults=True)
    )
