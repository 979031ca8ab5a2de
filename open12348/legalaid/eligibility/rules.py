"""Rule layers and thresholds as JSON-serialisable data, and the RuleSet the engine evaluates against.

A layer (national law, a province's regulation, a city's green channels) is a dict validated by
`parse_layer`; a threshold (the local economic-hardship standard) by `parse_threshold`. The schema
is documented with examples in docs/eligibility.md. Layers only ever ADD to what is in force
(scope, exemptions, priority, routing): a lower level cannot narrow the national law.

`RuleSet.build` picks the layers and the threshold in force for one region and one date and
indexes them once, so that `engine.evaluate` does no parsing, no regex and no copying.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _

from .codes import (
    MATTER_INFO,
    OPEN_SUBTYPES,
    RESERVED_RULE_CODES,
    CaseCategory,
    Circumstance,
    EconomicReview,
    Group,
    RoutingHint,
)
from .errors import LayerError, interpolate

SCHEMA_VERSION = 1
# Bump when evaluate() changes how it reads the same data: a stored decision keeps this in its version.
ENGINE_VERSION = 1

LEVELS = {"national": 0, "province": 2, "city": 4, "county": 6}  # level → length of its region code
VERIFICATION = ("V", "S", "R")  # RULES.md: checked in the text / secondary source / from memory
ECONOMIC_EFFECTS = (EconomicReview.NOT_REQUIRED.value, EconomicReview.EXEMPT.value, "required")

_CODE_RE = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$")
_TOKEN_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_GROUPS = frozenset(Group.values)
_CIRCUMSTANCES = frozenset(Circumstance.values)
_CATEGORIES = frozenset(CaseCategory.values)
_KNOWN_HINTS = {h.value: h.label for h in RoutingHint}


# --------------------------------------------------------------------------------------------- data


@dataclass(frozen=True, slots=True)
class Source:
    document: str
    article: str = ""
    verification: str = "V"
    url: str = ""
    note: str = ""

    @property
    def citation(self) -> str:
        return f"{self.document}{self.article}"

    def to_dict(self) -> dict[str, str]:
        return {"document": self.document, "article": self.article, "verification": self.verification,
                "url": self.url, "note": self.note}


@dataclass(frozen=True, slots=True)
class Citation:
    """What a decision records about one rule: enough to explain it without the layer at hand."""

    code: str
    title: Any  # str, or a lazy translation for the engine's own rules
    source: str
    layer: str = ""
    verification: str = "V"


@dataclass(frozen=True, slots=True)
class RuleClause:
    code: str
    title: str
    source: Source
    layer: str
    matters: tuple[str, ...]
    groups_any: frozenset[str] = frozenset()
    groups_all: frozenset[str] = frozenset()
    circumstances_all: frozenset[str] = frozenset()
    scope: bool = False
    economic: str | None = None
    priority: bool = False
    routing: tuple[str, ...] = ()
    standard: bool = False
    note: str = ""
    citation: Citation = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "citation", Citation(self.code, self.title, self.source.citation,
                                                      self.layer, self.source.verification))

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "title": self.title,
            "source": self.source.to_dict(),
            "when": {
                "matters": list(self.matters),
                "groups_any": sorted(self.groups_any),
                "groups_all": sorted(self.groups_all),
                "circumstances_all": sorted(self.circumstances_all),
            },
            "then": {"scope": self.scope, "economic": self.economic, "priority": self.priority,
                     "routing": list(self.routing), "standard": self.standard},
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class Layer:
    code: str
    title: str
    level: str
    region_code: str
    effective_from: date
    effective_to: date | None
    version: int
    source: Source
    rules: tuple[RuleClause, ...]
    note: str = ""
    fingerprint: str = field(init=False)  # sha256 of the canonical JSON

    def __post_init__(self) -> None:
        canonical = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        object.__setattr__(self, "fingerprint", hashlib.sha256(canonical.encode()).hexdigest())

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)

    def to_dict(self) -> dict[str, Any]:
        """The layer as JSON data; `parse_layer(layer.to_dict())` gives an equal layer."""
        return {
            "schema": SCHEMA_VERSION,
            "code": self.code,
            "title": self.title,
            "level": self.level,
            "region_code": self.region_code,
            "effective_from": self.effective_from.isoformat(),
            "effective_to": self.effective_to.isoformat() if self.effective_to else None,
            "version": self.version,
            "source": self.source.to_dict(),
            "note": self.note,
            "rules": [rule.to_dict() for rule in self.rules],
        }


@dataclass(frozen=True, slots=True)
class Threshold:
    """The local economic-hardship standard: monthly income per household member, in yuan."""

    region_code: str
    monthly_amount: Decimal
    effective_from: date
    effective_to: date | None
    source: Source

    def __post_init__(self) -> None:
        # Rows stored by the application side may carry the source as one text and a padded code.
        if isinstance(self.source, str):
            object.__setattr__(self, "source", Source(document=self.source or "-", verification="R"))
        object.__setattr__(self, "region_code", strip_region_padding(self.region_code))
        object.__setattr__(self, "monthly_amount", Decimal(self.monthly_amount))

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)

    def to_dict(self) -> dict[str, Any]:
        return {
            "region_code": self.region_code,
            "monthly_amount": str(self.monthly_amount),
            "effective_from": self.effective_from.isoformat(),
            "effective_to": self.effective_to.isoformat() if self.effective_to else None,
            "source": self.source.to_dict(),
        }


def strip_region_padding(code: str) -> str:
    """'410000' → '41', '410400' → '4104', '410402000' → '410402': the code a prefix match needs."""
    for cut in (9, 6, 4, 2):
        if len(code) > cut and set(code[cut:]) == {"0"}:
            code = code[:cut]
    return code


# ------------------------------------------------------------------------------------------ parsing


def _expect_keys(data: Any, path: str, required: set[str], optional: set[str]) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise LayerError(path or "$", _("must be an object"))
    missing = sorted(required - data.keys())
    if missing:
        raise LayerError(f"{path}.{missing[0]}" if path else missing[0], _("is required"))
    unknown = sorted(data.keys() - required - optional)
    if unknown:
        raise LayerError(f"{path}.{unknown[0]}" if path else unknown[0], _("is not a known key"))
    return data


def _text(data: Mapping, key: str, path: str, *, required: bool = True, max_length: int = 500) -> str:
    value = data.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str) or len(value) > max_length or (required and not value.strip()):
        message = _("must be a non-empty text of at most %(n)d characters") if required else \
            _("must be a text of at most %(n)d characters")
        raise LayerError(f"{path}{key}", interpolate(message, {"n": max_length}))
    return value.strip()


def _iso_date(value: Any, path: str, *, required: bool = True) -> date | None:
    if value is None and not required:
        return None
    try:
        if isinstance(value, str) and len(value) == 10:
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise LayerError(path, _("must be a date written YYYY-MM-DD"))


def _region(value: Any, path: str) -> str:
    if value == "":
        return ""
    if not isinstance(value, str) or not value.isascii() or not value.isdigit() or len(value) not in (2, 4, 6, 9, 12):
        raise LayerError(path, _("must be a division code of 2, 4, 6, 9 or 12 digits, or empty for national"))
    return value


def _dates(data: Mapping, path: str) -> tuple[date, date | None]:
    start = _iso_date(data.get("effective_from"), f"{path}effective_from")
    end = _iso_date(data.get("effective_to"), f"{path}effective_to", required=False)
    if end is not None and end < start:
        raise LayerError(f"{path}effective_to", _("must not be before effective_from"))
    return start, end


def parse_source(data: Any, path: str) -> Source:
    data = _expect_keys(data, path, {"document"}, {"article", "verification", "url", "note"})
    verification = data.get("verification", "V")
    if verification not in VERIFICATION:
        raise LayerError(f"{path}.verification", _("must be V, S or R"))
    return Source(
        document=_text(data, "document", f"{path}."),
        article=_text(data, "article", f"{path}.", required=False),
        verification=verification,
        url=_text(data, "url", f"{path}.", required=False),
        note=_text(data, "note", f"{path}.", required=False, max_length=2000),
    )


def _codes(data: Mapping, key: str, path: str, allowed: frozenset[str]) -> frozenset[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise LayerError(f"{path}{key}", _("must be a list of codes"))
    for i, item in enumerate(value):
        if item not in allowed:
            raise LayerError(f"{path}{key}[{i}]", _("is not a known code"))
    return frozenset(value)


def parse_selector(selector: Any, path: str) -> str:
    """'*' (every matter), '@civil' (every matter of a case category), 'CV-07', or 'CV-07.traffic'."""
    if not isinstance(selector, str):
        raise LayerError(path, _("must be a text"))
    if selector == "*":
        return selector
    if selector.startswith("@"):
        if selector[1:] not in _CATEGORIES:
            raise LayerError(path, _("is not a known case category"))
        return selector
    matter, _dot, subtype = selector.partition(".")
    info = MATTER_INFO.get(matter)
    if info is None:
        raise LayerError(path, _("is not a known matter code"))
    if _dot:
        if info.subtypes is OPEN_SUBTYPES:
            if not _TOKEN_RE.match(subtype):
                raise LayerError(path, _("sub-type must be lower-case letters, digits and underscores"))
        elif subtype not in info.subtypes:
            raise LayerError(path, _("is not a known sub-type of this matter"))
    return selector


def _parse_rule(data: Any, path: str, layer_code: str) -> RuleClause:
    data = _expect_keys(data, path, {"code", "title", "source", "when", "then"}, {"note"})
    code = data["code"]
    if not isinstance(code, str) or not _CODE_RE.match(code) or len(code) > 40:
        raise LayerError(f"{path}.code", _("must be upper-case letters, digits and hyphens, e.g. GC-MIGRANT"))
    if code in RESERVED_RULE_CODES:
        raise LayerError(f"{path}.code", _("is reserved for the engine's own rules"))
    when = _expect_keys(data["when"], f"{path}.when", {"matters"},
                        {"groups_any", "groups_all", "circumstances_all"})
    matters = when["matters"]
    if not isinstance(matters, list) or not matters:
        raise LayerError(f"{path}.when.matters", _("must be a non-empty list"))
    selectors = tuple(parse_selector(m, f"{path}.when.matters[{i}]") for i, m in enumerate(matters))
    then = _expect_keys(data["then"], f"{path}.then", set(), {"scope", "economic", "priority", "routing", "standard"})
    for flag in ("scope", "priority", "standard"):
        if not isinstance(then.get(flag, False), bool):
            raise LayerError(f"{path}.then.{flag}", _("must be true or false"))
    scope = then.get("scope", False)
    economic = then.get("economic")
    if economic is not None and economic not in ECONOMIC_EFFECTS:
        raise LayerError(f"{path}.then.economic", _("must be required, not_required, exempt or null"))
    if scope and economic not in ("required", "not_required"):
        raise LayerError(f"{path}.then.economic", _("a scope rule must say whether the economic test is required"))
    if not scope and economic == "required":
        raise LayerError(f"{path}.then.economic", _("only a scope rule can require the economic test"))
    routing = then.get("routing", [])
    if not isinstance(routing, list) or not all(isinstance(h, str) and _TOKEN_RE.match(h) for h in routing):
        raise LayerError(f"{path}.then.routing", _("must be a list of lower-case hint codes"))
    if not (scope or economic or then.get("priority") or routing or then.get("standard")):
        raise LayerError(f"{path}.then", _("must have at least one effect"))
    return RuleClause(
        code=code,
        title=_text(data, "title", f"{path}."),
        source=parse_source(data["source"], f"{path}.source"),
        layer=layer_code,
        matters=selectors,
        groups_any=_codes(when, "groups_any", f"{path}.when.", _GROUPS),
        groups_all=_codes(when, "groups_all", f"{path}.when.", _GROUPS),
        circumstances_all=_codes(when, "circumstances_all", f"{path}.when.", _CIRCUMSTANCES),
        scope=scope,
        economic=economic,
        priority=then.get("priority", False),
        routing=tuple(routing),
        standard=then.get("standard", False),
        note=_text(data, "note", f"{path}.", required=False, max_length=2000),
    )


def parse_layer(data: Any) -> Layer:
    """Validate a layer's JSON and return it; `LayerError.path` points at the first problem."""
    data = _expect_keys(
        data, "",
        {"code", "title", "level", "region_code", "effective_from", "version", "source", "rules"},
        {"schema", "effective_to", "note"},
    )
    if data.get("schema", SCHEMA_VERSION) != SCHEMA_VERSION:
        raise LayerError("schema", _("is not a schema version this engine reads"))
    code = data["code"]
    if not isinstance(code, str) or not _CODE_RE.match(code) or len(code) > 40:
        raise LayerError("code", _("must be upper-case letters, digits and hyphens, e.g. PDS-GC"))
    level = data["level"]
    if level not in LEVELS:
        raise LayerError("level", _("must be national, province, city or county"))
    region_code = _region(data["region_code"], "region_code")
    if len(region_code) != LEVELS[level]:
        raise LayerError("region_code", _("does not fit the level (national: empty, province: 2 digits, "
                                          "city: 4, county: 6)"))
    start, end = _dates(data, "")
    version = data["version"]
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise LayerError("version", _("must be a whole number from 1"))
    rules = data["rules"]
    if not isinstance(rules, list):
        raise LayerError("rules", _("must be a list"))
    return Layer(
        code=code,
        title=_text(data, "title", ""),
        level=level,
        region_code=region_code,
        effective_from=start,
        effective_to=end,
        version=version,
        source=parse_source(data["source"], "source"),
        rules=tuple(_parse_rule(rule, f"rules[{i}]", code) for i, rule in enumerate(rules)),
        note=_text(data, "note", "", required=False, max_length=2000),
    )


def parse_threshold(data: Any) -> Threshold:
    data = _expect_keys(data, "", {"region_code", "monthly_amount", "effective_from", "source"}, {"effective_to"})
    region_code = strip_region_padding(_region(data["region_code"], "region_code"))
    if not region_code:
        raise LayerError("region_code", _("a threshold belongs to a province, city or county"))
    raw = data["monthly_amount"]
    try:
        if isinstance(raw, bool) or not isinstance(raw, str | int):
            raise InvalidOperation
        amount = Decimal(str(raw))
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite() or amount <= 0 or amount.as_tuple().exponent < -2:
        raise LayerError("monthly_amount", _("must be a positive amount in yuan with at most two decimals, "
                                             "written as text, e.g. \"1100.00\""))
    start, end = _dates(data, "")
    return Threshold(region_code, amount, start, end, parse_source(data["source"], "source"))


# ------------------------------------------------------------------------------------------ RuleSet


def _applies_to(region_code: str, scope_code: str) -> bool:
    return region_code.startswith(scope_code)


@dataclass(frozen=True, slots=True)
class RuleSet:
    """The rules in force for one region on one date, indexed for evaluation.

    `candidates[(matter, category)]` lists (clause, allowed sub-types or None for any) in order:
    national → province → city → county, then each layer's own order.
    """

    region_code: str
    on: date
    layers: tuple[Layer, ...]
    threshold: Threshold | None
    version: str
    candidates: dict[tuple[str, str], tuple[tuple[RuleClause, frozenset[str] | None], ...]]

    @classmethod
    def build(cls, layers: Iterable[Layer | Mapping], thresholds: Iterable[Threshold | Mapping],
              region_code: str, on: date) -> RuleSet:
        from .facts import normalise_region

        region_code = normalise_region(region_code)
        parsed = [layer if isinstance(layer, Layer) else parse_layer(layer) for layer in layers]
        chosen: dict[str, Layer] = {}
        for layer in parsed:
            if layer.in_force(on) and _applies_to(region_code, layer.region_code):
                current = chosen.get(layer.code)
                # Two versions of one layer in force on the same day: the higher version wins.
                if current is None or layer.version > current.version:
                    chosen[layer.code] = layer
        ordered = tuple(sorted(chosen.values(), key=lambda la: (len(la.region_code), la.effective_from, la.code)))
        owner: dict[str, str] = {}
        for layer in ordered:
            for rule in layer.rules:
                if owner.setdefault(rule.code, layer.code) != layer.code:
                    raise LayerError(f"{layer.code}.{rule.code}",
                                     interpolate(_("the rule code is already used by layer %(other)s"),
                                                 {"other": owner[rule.code]}))
        threshold = None
        for item in thresholds:
            item = item if isinstance(item, Threshold) else parse_threshold(item)
            if item.in_force(on) and _applies_to(region_code, item.region_code):
                key = (len(item.region_code), item.effective_from)
                if threshold is None or key > (len(threshold.region_code), threshold.effective_from):
                    threshold = item
        return cls(region_code, on, ordered, threshold, _version(ordered, threshold), _index(ordered))

    def snapshot(self) -> dict[str, Any]:
        """Everything this rule set decides with, as JSON: enough to replay a stored decision."""
        return {
            "version": self.version,
            "region_code": self.region_code,
            "on": self.on.isoformat(),
            "layers": [layer.to_dict() for layer in self.layers],
            "threshold": self.threshold.to_dict() if self.threshold else None,
        }


def _version(layers: tuple[Layer, ...], threshold: Threshold | None) -> str:
    digest = hashlib.sha256(str(ENGINE_VERSION).encode())
    for layer in layers:
        digest.update(layer.fingerprint.encode())
    if threshold is not None:
        digest.update(json.dumps(threshold.to_dict(), sort_keys=True, ensure_ascii=False).encode())
    names = "+".join(f"{layer.code}@{layer.version}" for layer in layers) or "none"
    money = f"{threshold.region_code}@{threshold.effective_from.isoformat()}" if threshold else "none"
    return f"e{ENGINE_VERSION}:{names};T:{money};{digest.hexdigest()[:12]}"


def _index(layers: tuple[Layer, ...]) -> dict:
    clauses = [rule for layer in layers for rule in layer.rules]
    index = {}
    for matter in MATTER_INFO:
        for category in _CATEGORIES:
            entries = []
            for clause in clauses:
                allowed: set[str] | None = set()
                for selector in clause.matters:
                    if selector == "*" or selector == f"@{category}" or selector == matter:
                        allowed = None
                        break
                    head, _dot, subtype = selector.partition(".")
                    if _dot and head == matter:
                        allowed.add(subtype)
                if allowed is None or allowed:
                    entries.append((clause, None if allowed is None else frozenset(allowed)))
            index[(matter, category)] = tuple(entries)
    return index


class RuleBook:
    """All layers and thresholds (as stored), handing out a cached RuleSet per region and date."""

    def __init__(self, layers: Iterable[Layer | Mapping], thresholds: Iterable[Threshold | Mapping],
                 *, cache_size: int = 4096) -> None:
        self.layers = tuple(la if isinstance(la, Layer) else parse_layer(la) for la in layers)
        self.thresholds = tuple(t if isinstance(t, Threshold) else parse_threshold(t) for t in thresholds)
        self._cache: dict[tuple[str, date], RuleSet] = {}
        self._cache_size = cache_size

    def ruleset(self, region_code: str, on: date) -> RuleSet:
        key = (region_code, on)
        found = self._cache.get(key)
        if found is None:
            if len(self._cache) >= self._cache_size:
                self._cache.clear()
            found = self._cache[key] = RuleSet.build(self.layers, self.thresholds, region_code, on)
        return found


def hint_label(hint: str) -> Any:
    return _KNOWN_HINTS.get(hint, hint)
