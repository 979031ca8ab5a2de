"""Where an article's "what to do next" box leads: a page of the portal, or the 12348 line."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from open12348.network.choices import InstitutionKind

from .choices import NextStepKind

LINK_TEXT = {
    NextStepKind.APPLY: _("Apply for legal aid online"),
    NextStepKind.ASK: _("Ask a lawyer, free"),
    NextStepKind.MEDIATION: _("Find a people's mediation committee"),
    NextStepKind.CALL: _("Call 12348"),
}


def _url(name: str, fallback: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return reverse(fallback)


def next_step_url(kind: str) -> str:
    if kind == NextStepKind.APPLY:
        return _url("portal:apply", "portal:help")
    if kind == NextStepKind.ASK:
        return reverse("portal:ask")
    if kind == NextStepKind.MEDIATION:
        return f"{reverse('portal:help_institutions')}?{urlencode({'kind': InstitutionKind.MEDIATION_COMMITTEE})}"
    return "tel:12348"


def next_step(kind: str) -> dict[str, str]:
    return {"kind": kind, "url": next_step_url(kind), "text": str(LINK_TEXT.get(kind, LINK_TEXT[NextStepKind.CALL]))}
