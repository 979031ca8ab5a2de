"""Editing the eligibility rules as data: each change is a new version; nothing already decided moves.

A decision stores the rule-set version it used (`Application.ruleset_version`), so publishing a
new layer version or a new income standard changes only the decisions made after it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from open12348.accounts.roles import Capability
from open12348.audit.services import audit_record
from open12348.core.errors import ApplicationError

from .eligibility import LayerError, parse_layer, parse_threshold
from .models import IncomeThreshold, RuleLayer
from .services import _require


def _layer_error(exc: LayerError, *, field: str) -> ApplicationError:
    return ApplicationError(
        _("The rules are not valid at %(path)s: %(message)s") % {"path": exc.path or "/", "message": exc.message},
        code="layer_invalid", field=field, extra={"path": exc.path},
    )


@transaction.atomic
def rule_layer_publish(*, actor, data: dict) -> RuleLayer:
    """Publish a new version of a layer (or its first one). The previous version stays, no longer current."""
    _require(actor, Capability.AID_RULES)
    code = str(data.get("code") or "").strip()
    if not code:
        raise ApplicationError(_("A rule layer needs a code."), code="code_required", field="code")
    last = RuleLayer.objects.select_for_update().filter(code=code).aggregate(v=Max("version"))["v"] or 0
    document = {**data, "code": code, "version": last + 1}
    try:
        layer = parse_layer(document)
    except LayerError as exc:
        raise _layer_error(exc, field="data") from exc
    previous = RuleLayer.objects.filter(code=code, is_current=True).first()
    if previous is not None:
        previous.is_current = False
        previous.save(update_fields=["is_current"])
    row = RuleLayer.objects.create(
        code=code, version=last + 1, level=layer.level, region_code=layer.region_code, title=layer.title,
        effective_from=layer.effective_from, effective_to=layer.effective_to, data=document, is_current=True,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(actor=actor, action="legalaid.rules.publish", obj=row,
                 extra={"code": code, "version": row.version, "replaces": previous.version if previous else None})
    return row


@transaction.atomic
def income_threshold_add(*, actor, region_code: str, monthly_amount, effective_from: dt.date,
                         source: dict | str) -> IncomeThreshold:
    """A new local standard from a date on; the region's previous open-ended standard ends the day before."""
    _require(actor, Capability.AID_RULES)
    try:
        amount = Decimal(str(monthly_amount))
    except InvalidOperation as exc:
        raise ApplicationError(_("Enter the amount in yuan, such as 1100."), code="amount_invalid",
                               field="monthly_amount") from exc
    try:
        threshold = parse_threshold({"region_code": region_code, "monthly_amount": str(amount),
                                     "effective_from": effective_from.isoformat(), "source": source})
    except LayerError as exc:
        raise _layer_error(exc, field=exc.path or "monthly_amount") from exc
    if IncomeThreshold.objects.filter(region_code=threshold.region_code, effective_from=effective_from).exists():
        raise ApplicationError(_("This region already has a standard starting on that day."),
                               code="threshold_exists", field="effective_from")
    open_previous = (IncomeThreshold.objects.select_for_update()
                     .filter(region_code=threshold.region_code, effective_from__lt=effective_from,
                             effective_to__isnull=True)
                     .order_by("-effective_from").first())
    if open_previous is not None:
        open_previous.effective_to = effective_from - dt.timedelta(days=1)
        open_previous.save(update_fields=["effective_to"])
    row = IncomeThreshold.objects.create(
        region_code=threshold.region_code, monthly_amount=amount, effective_from=effective_from,
        source=source, created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(actor=actor, action="legalaid.rules.threshold", obj=row,
                 extra={"region": row.region_code, "amount": str(amount), "from": effective_from.isoformat(),
                        "closed_previous": open_previous.pk if open_previous else None})
    return row
