"""Admin for the eligibility rules as data. Every save publishes a new version through the services."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from open12348.accounts.roles import Capability
from open12348.core.admin import CapabilityAdmin, dry_run

from .models import IncomeThreshold, RuleLayer
from .services_rules import income_threshold_add, rule_layer_publish


class RuleLayerForm(forms.ModelForm):
    document = forms.JSONField(
        label=_("Rules (JSON)"),
        help_text=_("The whole layer as documented in docs/eligibility.md. Saving publishes a new version; "
                    "the earlier versions stay and decisions already made keep the version they used."),
        widget=forms.Textarea(attrs={"rows": 30, "cols": 100, "style": "font-family: monospace"}),
    )

    class Meta:
        model = RuleLayer
        fields: list[str] = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        if self.instance.pk:
            self.fields["document"].initial = self.instance.data

    def clean(self):
        cleaned = super().clean()
        document = cleaned.get("document")
        if isinstance(document, dict) and self.request is not None:
            refusal = dry_run(lambda: rule_layer_publish(actor=self.request.user, data=document))
            if refusal is not None:
                self.add_error("document", refusal.message)
        elif document is not None and not isinstance(document, dict):
            self.add_error("document", _("The rules must be one JSON object."))
        return cleaned


@admin.register(RuleLayer)
class RuleLayerAdmin(CapabilityAdmin):
    view_capability = Capability.AID_RULES
    add_capability = Capability.AID_RULES
    change_capability = Capability.AID_RULES
    form = RuleLayerForm
    list_display = ("code", "version", "level", "region_code", "title", "effective_from", "effective_to", "is_current",
                    "created_by", "created_at")
    list_filter = ("level", "is_current")
    search_fields = ("code", "title")
    readonly_fields = ("code", "version", "level", "region_code", "title", "effective_from", "effective_to",
                       "is_current", "created_by", "created_at")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)

        class WithRequest(form_class):
            def __init__(self, *args, **inner):
                super().__init__(*args, request=request, **inner)

        return WithRequest

    def save_model(self, request, obj, form, change) -> None:
        published = rule_layer_publish(actor=request.user, data=form.cleaned_data["document"])
        obj.pk = published.pk  # the admin's redirect and message point at the new version

    def save_related(self, request, form, formsets, change) -> None:
        return None


class IncomeThresholdForm(forms.ModelForm):
    source_document = forms.CharField(label=_("Source document"), max_length=300,
                                      help_text=_("The government notice that sets the figure."))

    class Meta:
        model = IncomeThreshold
        fields = ["region_code", "monthly_amount", "effective_from"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean(self):
        cleaned = super().clean()
        if self.errors or self.request is None:
            return cleaned
        refusal = dry_run(lambda: income_threshold_add(
            actor=self.request.user, region_code=cleaned["region_code"], monthly_amount=cleaned["monthly_amount"],
            effective_from=cleaned["effective_from"], source={"document": cleaned["source_document"]},
        ))
        if refusal is not None:
            field = refusal.field if refusal.field in self.fields else None
            self.add_error(field, refusal.message)
        return cleaned


@admin.register(IncomeThreshold)
class IncomeThresholdAdmin(CapabilityAdmin):
    """Standards are added, never edited: a new figure is a new row from its start date."""

    view_capability = Capability.AID_RULES
    add_capability = Capability.AID_RULES
    form = IncomeThresholdForm
    list_display = ("region_code", "monthly_amount", "effective_from", "effective_to", "created_by", "created_at")
    list_filter = ("region_code",)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)

        class WithRequest(form_class):
            def __init__(self, *args, **inner):
                super().__init__(*args, request=request, **inner)

        return WithRequest

    def save_model(self, request, obj, form, change) -> None:
        data = form.cleaned_data
        created = income_threshold_add(actor=request.user, region_code=data["region_code"],
                                       monthly_amount=data["monthly_amount"], effective_from=data["effective_from"],
                                       source={"document": data["source_document"]})
        obj.pk = created.pk

