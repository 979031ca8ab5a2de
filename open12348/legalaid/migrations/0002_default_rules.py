"""Load the default eligibility rules (national law, Henan, Pingdingshan's green channels) and the
demo income standards as data, so that an administrator edits them as new versions from here on.

The defaults are read from `eligibility/defaults.py` when this migration runs; later changes to
that module do not touch databases that already ran it.
"""

import datetime as dt

from django.db import migrations


def load(apps, schema_editor):
    from open12348.legalaid.eligibility.defaults import DEFAULT_LAYERS, DEFAULT_THRESHOLDS

    RuleLayer = apps.get_model("legalaid", "RuleLayer")
    IncomeThreshold = apps.get_model("legalaid", "IncomeThreshold")
    for layer in DEFAULT_LAYERS:
        RuleLayer.objects.get_or_create(
            code=layer["code"], version=layer["version"],
            defaults={
                "level": layer["level"], "region_code": layer["region_code"], "title": layer["title"],
                "effective_from": dt.date.fromisoformat(layer["effective_from"]),
                "effective_to": dt.date.fromisoformat(layer["effective_to"]) if layer["effective_to"] else None,
                "data": layer, "is_current": True,
            },
        )
    for threshold in DEFAULT_THRESHOLDS:
        IncomeThreshold.objects.get_or_create(
            region_code=threshold["region_code"],
            effective_from=dt.date.fromisoformat(threshold["effective_from"]),
            defaults={
                "monthly_amount": threshold["monthly_amount"],
                "effective_to": dt.date.fromisoformat(threshold["effective_to"]) if threshold["effective_to"] else None,
                "source": threshold["source"],
            },
        )


class Migration(migrations.Migration):
    dependencies = [("legalaid", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
