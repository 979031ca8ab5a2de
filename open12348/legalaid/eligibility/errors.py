"""The errors of the eligibility package: bad facts (the caller's input) and bad rule data."""

from __future__ import annotations

from django.utils.functional import lazy

from open12348.core.errors import ApplicationError


def _render(message, params: dict) -> str:
    return str(message) % params


# `_("… %(n)d …") % {...}` would translate at once, which needs the settings; this waits until shown.
interpolate = lazy(_render, str)


class EligibilityInputError(ApplicationError):
    """The facts cannot be evaluated. `field` is the input's name as the API spells it
    (`matter`, `region`, `date`, `applicant.id_number`, `household.monthly_income`, …).

    `errors` lists every problem found as (field, code, message); the error itself carries the first.
    """

    def __init__(self, field: str, code: str, message, *, errors: tuple[tuple[str, str, object], ...] = ()):
        # ApplicationError.__init__ would render the lazy message now, which needs the settings; this
        # package stays usable without them, so the attributes are set directly.
        Exception.__init__(self, field, code)
        self.message = message
        self.code = code
        self.field = field
        self.extra = {}
        self.status = 400
        self.errors = errors or ((field, code, message),)

    def __str__(self) -> str:
        return f"{self.field}: {self.code}"

    def as_dict(self) -> dict[str, list[dict[str, str]]]:
        """{field: [{"code", "message"}]}: the shape a 400 response needs."""
        out: dict[str, list[dict[str, str]]] = {}
        for field, code, message in self.errors:
            out.setdefault(field, []).append({"code": code, "message": str(message)})
        return out


class LayerError(ValueError):
    """A rule layer or threshold is not valid data. `path` points into the JSON (`rules[3].when.matters[0]`)."""

    def __init__(self, path: str, message) -> None:
        super().__init__(path)
        self.path = path
        self.message = message

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"
