from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from open12348.legalaid.forms import StyledForm
from open12348.network.models import Institution

from . import services
from .choices import VideoInviteeKind, VideoSessionMode


class InstitutionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Institution) -> str:
        return obj.name


class RequestForm(StyledForm):
    requesting_point = InstitutionChoiceField(label=_("Asking from"), queryset=Institution.objects.none())
    serving_point = InstitutionChoiceField(label=_("Legal aid centre"), queryset=Institution.objects.none())
    mode = forms.ChoiceField(label=_("When"), choices=VideoSessionMode.choices, widget=forms.RadioSelect,
                             initial=VideoSessionMode.ON_DEMAND)
    scheduled_at = forms.DateTimeField(label=_("Booked for"), required=False,
                                       widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                       input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    visitor_name = forms.CharField(label=_("Visitor's name"), max_length=50)
    visitor_phone = forms.CharField(label=_("Visitor's phone"), max_length=20, required=False)
    topic = forms.CharField(label=_("What the visitor wants to ask"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        points = services.requesting_points_for(user)
        self.fields["requesting_point"].queryset = points
        first = points.first()
        serving = Institution.objects.none()
        for point in points:
            serving = serving | services.serving_points_for(point)
        self.fields["serving_point"].queryset = serving.distinct().order_by("-region__depth", "name")
        if first is not None:
            self.fields["requesting_point"].initial = first.pk
            default = services.serving_points_for(first).first()
            if default is not None:
                self.fields["serving_point"].initial = default.pk
        if points.count() == 1:
            self.fields["requesting_point"].widget = forms.HiddenInput()
        if services.recording_enabled():
            self.fields["recording_requested"] = forms.BooleanField(
                label=_("Ask everyone's consent to record the consultation"), required=False)


class InviteForm(StyledForm):
    kind = forms.ChoiceField(label=_("Who"), choices=VideoInviteeKind.choices)
    name = forms.CharField(label=_("Name of the person invited"), max_length=50)


class NoteForm(StyledForm):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=services.NOTE_MAX)


class MaterialForm(StyledForm):
    file = forms.FileField(label=_("Document shown in the call"))


class UtilisationForm(StyledForm):
    start = forms.DateField(label=_("From date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
