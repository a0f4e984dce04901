"""Schemathesis over the OpenAPI document: generated requests, valid and invalid ones, for
every operation, on both engines, find no server error and no answer outside what the
document declares (status code, content type, body schema). Bounded: a few examples per
operation and mode (the document is loaded from the running application, as a client would).

Schemathesis's pytest loader (``from_fixture``) does not run under this pytest, so the test
drives its strategies through Hypothesis directly: one test per engine, every operation in it.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.e2e.api_support import Api

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
EXAMPLES = 3


def test_generated_requests_get_declared_answers(api: Api) -> None:
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", api.client.app)
    headers = api.headers("admin")
    checked = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result.err()  # the document is a valid OpenAPI one
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                      suppress_health_check=list(HealthCheck))
            def run(case: schemathesis.Case) -> None:
                case.call_and_validate(headers=headers, checks=CHECKS)

            try:
                run()
            except Unsatisfiable:
                # An operation without parameters or body has no invalid request to make.
                assert mode is GenerationMode.NEGATIVE, operation.label
                continue
            checked.append(f"{operation.label} ({mode.value})")
    assert len(checked) > 60
