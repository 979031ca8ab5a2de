"""Rule layers and thresholds as data: validation, selection by region and date, and the version a
stored decision keeps."""

from __future__ import annotations

import copy
import json
from datetime import date

import pytest

from open12348.legalaid.eligibility import (
    Applicant,
    Facts,
    LayerError,
    RuleBook,
    RuleSet,
    default_layers,
    default_thresholds,
    evaluate,
    parse_layer,
    parse_threshold,
)

from .test_eligibility_support import extra_province_layer

ON = date(2026, 3, 2)


def _build(region="410402", on=ON, layers=None, thresholds=None):
    return RuleSet.build(default_layers() if layers is None else layers,
                         default_thresholds() if thresholds is None else thresholds, region, on)


def test_default_layers_round_trip_through_json():
    for data in default_layers():
        layer = parse_layer(json.loads(json.dumps(data, ensure_ascii=False)))
        assert parse_layer(layer.to_dict()) == layer


@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        pytest.param(lambda d: d.update(levle="city"), "levle", id="unknown-key"),
        pytest.param(lambda d: d.pop("version"), "version", id="missing-key"),
        pytest.param(lambda d: d.update(level="city", region_code="41"), "region_code", id="level-vs-region"),
        pytest.param(lambda d: d.update(effective_to="2022-12-31"), "effective_to", id="ends-before-it-starts"),
        pytest.param(lambda d: d.update(effective_from="1/1/2026"), "effective_from", id="bad-date"),
        pytest.param(lambda d: d["rules"][0]["when"].update(matters=["CV-77"]), "rules[0].when.matters[0]",
                     id="unknown-matter"),
        pytest.param(lambda d: d["rules"][0]["when"].update(matters=["CV-07.shipwreck"]), "rules[0].when.matters[0]",
                     id="unknown-subtype"),
        pytest.param(lambda d: d["rules"][0]["when"].update(matters=[]), "rules[0].when.matters", id="no-matters"),
        pytest.param(lambda d: d["rules"][0]["when"].update(groups_any=["pirates"]), "rules[0].when.groups_any[0]",
                     id="unknown-group"),
        pytest.param(lambda d: d["rules"][0].update(code="ECON-TEST"), "rules[0].code", id="reserved-code"),
        pytest.param(lambda d: d["rules"][0].update(code="gc-lower"), "rules[0].code", id="lower-case-code"),
        pytest.param(lambda d: d["rules"][0].update(then={}), "rules[0].then", id="no-effect"),
        pytest.param(lambda d: d["rules"][0].update(then={"economic": "required"}), "rules[0].then.economic",
                     id="required-without-scope"),
        pytest.param(lambda d: d["rules"][0].update(then={"scope": True}), "rules[0].then.economic",
                     id="scope-without-economic"),
        pytest.param(lambda d: d["rules"][0]["then"].update(routing=["Women Team"]), "rules[0].then.routing",
                     id="bad-routing-hint"),
        pytest.param(lambda d: d["rules"][0]["source"].update(verification="maybe"), "rules[0].source.verification",
                     id="bad-verification"),
    ],
)
def test_a_bad_layer_is_refused_with_a_path(mutate, path):
    data = copy.deepcopy(default_layers()[-1])  # PDS-GC
    mutate(data)
    with pytest.raises(LayerError) as caught:
        parse_layer(data)
    assert caught.value.path == path


@pytest.mark.parametrize(
    ("change", "path"),
    [
        pytest.param({"monthly_amount": "-1"}, "monthly_amount", id="negative"),
        pytest.param({"monthly_amount": "1100.001"}, "monthly_amount", id="three-decimals"),
        pytest.param({"monthly_amount": 1100.5}, "monthly_amount", id="float"),
        pytest.param({"region_code": ""}, "region_code", id="national-threshold"),
    ],
)
def test_a_bad_threshold_is_refused(change, path):
    data = {**default_thresholds()[-1], **change}
    with pytest.raises(LayerError) as caught:
        parse_threshold(data)
    assert caught.value.path == path


def test_layers_apply_to_their_region_and_its_descendants_only():
    assert [la.code for la in _build("410402").layers] == ["PRC-LAA-2021", "HA-2026", "PDS-GC"]
    assert [la.code for la in _build("410402001").layers] == ["PRC-LAA-2021", "HA-2026", "PDS-GC"]
    assert [la.code for la in _build("410102").layers] == ["PRC-LAA-2021", "HA-2026"]
    assert [la.code for la in _build("420102").layers] == ["PRC-LAA-2021"]  # Hubei
    assert [la.code for la in _build("410402", on=date(2025, 12, 31)).layers] == [
        "PRC-LAA-2021", "HA-2010", "PDS-GC"]


def test_the_most_specific_threshold_in_force_wins():
    assert _build("410402").threshold.region_code == "4104"
    assert _build("410102").threshold.region_code == "41"
    assert str(_build("410402", on=date(2025, 12, 31)).threshold.monthly_amount) == "700.00"
    assert _build("420102").threshold is None


def test_the_higher_version_of_a_layer_in_force_wins():
    newer = copy.deepcopy(default_layers()[-1])
    newer["version"] = 2
    newer["rules"] = [r for r in newer["rules"] if r["code"] != "GC-WOMEN"]
    layers = [*default_layers(), newer]
    ruleset = _build(layers=layers)
    assert [(la.code, la.version) for la in ruleset.layers][-1] == ("PDS-GC", 2)
    facts = Facts(matter="CV-04", region_code="410402", on=ON, applicant=Applicant(sex="F"))
    assert "GC-WOMEN" not in evaluate(facts, ruleset).codes
    assert "PDS-GC@2" in ruleset.version


def test_two_layers_cannot_claim_the_same_rule_code():
    clash = extra_province_layer()
    clash["rules"][0]["code"] = "GC-MIGRANT"
    with pytest.raises(LayerError):
        _build(layers=[*default_layers(), clash])


def test_the_version_is_stable_and_changes_with_the_data():
    assert _build().version == _build().version
    assert _build().version.startswith("e1:PRC-LAA-2021@1+HA-2026@1+PDS-GC@1;T:4104@2026-01-01;")
    edited = default_layers()
    edited[-1]["rules"][0]["then"]["priority"] = False  # same code and version number, different content
    assert _build(layers=edited).version != _build().version
    cheaper = default_thresholds()
    cheaper[-1]["monthly_amount"] = "1200.00"
    assert _build(thresholds=cheaper).version != _build().version


def test_a_stored_decision_keeps_its_answer_when_the_rules_change_later():
    facts = Facts(matter="CV-07", subtype="traffic", region_code="410402", on=ON,
                  applicant=Applicant(groups=frozenset({"migrant_worker"})))
    old = evaluate(facts, _build())
    snapshot = json.loads(json.dumps(_build().snapshot(), ensure_ascii=False))
    edited = default_layers()
    edited[-1]["rules"] = [r for r in edited[-1]["rules"] if r["code"] != "GC-MIGRANT"]
    assert evaluate(facts, _build(layers=edited)).economic_review == "unknown"
    replay = RuleSet.build(snapshot["layers"], [snapshot["threshold"]], "410402", ON)
    assert replay.version == old.ruleset_version == snapshot["version"]
    assert evaluate(facts, replay) == old


def test_evaluate_refuses_a_rule_set_for_another_region_or_date():
    facts = Facts(matter="CV-04", region_code="410402", on=ON)
    with pytest.raises(ValueError):
        evaluate(facts, _build("410102"))
    with pytest.raises(ValueError):
        evaluate(facts, _build(on=date(2026, 3, 3)))


def test_the_rulebook_caches_one_rule_set_per_region_and_day():
    book = RuleBook(default_layers(), default_thresholds())
    assert book.ruleset("410402", ON) is book.ruleset("410402", ON)
    assert book.ruleset("410402", ON) is not book.ruleset("410102", ON)


def test_a_threshold_row_with_a_text_source_and_padded_code_is_usable():
    from decimal import Decimal

    from open12348.legalaid.eligibility import Threshold
    from open12348.legalaid.eligibility.defaults import DEFAULT_LAYERS

    row = Threshold(region_code="410400", monthly_amount=Decimal("1200.00"), effective_from=date(2026, 1, 1),
                    effective_to=None, source="平顶山市人民政府文件")
    ruleset = RuleSet.build(DEFAULT_LAYERS, [row], region_code="410402", on=ON)
    assert ruleset.threshold.region_code == "4104"
    assert ruleset.threshold.source.document == "平顶山市人民政府文件"
    assert json.dumps(ruleset.snapshot(), ensure_ascii=False)


def test_the_package_works_without_django_settings_or_a_database():
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = (
        "from datetime import date\n"
        "from open12348.legalaid.eligibility import *\n"
        "f = Facts(matter='CV-05', subtype='wages', region_code='410402', on=date(2026, 3, 2),\n"
        "          applicant=Applicant(groups=frozenset({'migrant_worker'})))\n"
        "d = evaluate(f, default_rulebook().ruleset(f.region_code, f.on))\n"
        "assert d.codes == ('CV-05', 'EX-03', 'GC-MIGRANT'), d.codes\n"
        "try:\n"
        "    Facts(matter='NOPE', region_code='41', on=date(2026, 1, 1))\n"
        "except EligibilityInputError as e:\n"
        "    assert e.field == 'matter'\n"
        "import sys; assert 'django.db.backends.base.base' not in sys.modules\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    root = Path(__file__).resolve().parents[3]
    done = subprocess.run([sys.executable, "-c", script], cwd=root, env=env, capture_output=True, text=True,  # noqa: S603
                          check=False)
    assert done.returncode == 0, done.stderr
