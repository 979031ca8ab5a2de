"""The OpenAPI document: answers that come from the framework rather than from one view.

* `ProjectAutoSchema` (REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]) documents, in the project's error shape,
  the errors any view can give whatever its own annotation says: 400 for a body or query parameters
  that do not parse, 401/403 where a sign-in or a capability is needed (401: an expired session or a
  missing token), 404 for a path with an id or a page number past the end, 429 where a throttle applies.
* `idempotency_answers` (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]) marks optional query parameters
  `allowEmptyValue` (an empty value is the same as leaving it out, as the views read it), and gives every operation that takes
  an `Idempotency-Key` header (open12348.core.idempotency) the answers the mechanism adds, so no endpoint
  lists them by hand: 409 `idempotency_in_progress`, 422 `idempotency_key_reused`, and the
  `Idempotent-Replayed` header on its success answers.

Both were found missing by the API fuzzing test (open12348/api/tests/test_fuzz_schemathesis.py).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from rest_framework.permissions import AllowAny

from open12348.core.idempotency import HEADER, REPLAYED_HEADER
from open12348.core.serializers import ApiErrorSerializer


class ProjectAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        for code in self._framework_error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(ApiErrorSerializer, code, direction=direction)
        return responses

    def _framework_error_codes(self) -> list[str]:
        codes = []
        if self.method in ("POST", "PUT", "PATCH") or any(p.get("in") == "query" for p in self._get_parameters()):
            codes.append("400")
        if not all(isinstance(permission, AllowAny) for permission in self.view.get_permissions()):
            codes += ["401", "403"]
        if "{" in self.path or self._get_paginator() is not None:
            codes.append("404")
        if self.view.get_throttles():
            codes.append("429")
        return codes

ERROR_SCHEMA_INLINE = {
    "type": "object",
    "properties": {"code": {"type": "string"}, "message": {"type": "string"},
                   "fields": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}}},
    "required": ["code", "message", "fields"],
}
IN_PROGRESS = "A request with the same Idempotency-Key is still running (`idempotency_in_progress`); retry later."
REUSED = "The Idempotency-Key was already used for a different body or endpoint (`idempotency_key_reused`)."


def _empty_means_absent(operation: dict[str, Any]) -> None:
    """`?status=` is the same as no `status`: DRF reads query strings like an HTML form, where an empty
    optional field is a field left out, and the views that read parameters by hand do the same."""
    for parameter in operation.get("parameters", []):
        if parameter.get("in") == "query" and not parameter.get("required"):
            parameter["allowEmptyValue"] = True


def _error_content(result: dict[str, Any]) -> dict[str, Any]:
    schemas = result.get("components", {}).get("schemas", {})
    schema = {"$ref": "#/components/schemas/ApiError"} if "ApiError" in schemas else ERROR_SCHEMA_INLINE
    return {"application/json": {"schema": schema}}


def _add_answer(responses: dict[str, Any], code: str, description: str, content: dict[str, Any]) -> None:
    if code in responses:
        existing = responses[code]
        if description not in existing.get("description", ""):
            existing["description"] = " ".join(filter(None, [existing.get("description", ""), description]))
    else:
        responses[code] = {"description": description, "content": content}


def idempotency_answers(result: dict[str, Any], generator, request, public) -> dict[str, Any]:
    content = _error_content(result)
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict):
                continue
            _empty_means_absent(operation)
            if not any(p.get("in") == "header" and p.get("name") == HEADER for p in operation.get("parameters", [])):
                continue
            responses = operation.setdefault("responses", {})
            _add_answer(responses, "409", IN_PROGRESS, content)
            _add_answer(responses, "422", REUSED, content)
            for code, answer in responses.items():
                if code.startswith("2"):
                    answer.setdefault("headers", {})[REPLAYED_HEADER] = {
                        "description": "`true` when this is the stored answer to an earlier request with the "
                                       "same Idempotency-Key.",
                        "schema": {"type": "string", "enum": ["true"]},
                    }
    return result
