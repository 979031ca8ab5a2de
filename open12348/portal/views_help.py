"""Finding help on a phone: people, institutions and service points from the public directory.

The search itself is the directory's (network.filters and network.selectors): the same pinyin
search ("wdz" finds 王德洲) and region filter. These pages only lay it out for a small screen,
ten results a page, with a tap-to-call link on every result, and without any script.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from open12348.network.filters import (
    DirectoryFilterForm,
    InstitutionFilterForm,
    PractitionerFilterForm,
    ServicePointFilterForm,
)
from open12348.network.selectors import (
    attach_region_display_names,
    directory_institutions,
    directory_practitioners,
    directory_region_picker,
    directory_service_points,
)

PAGE_SIZE = 10

Q_LABELS = {
    "people": _("Name, or the first letters of the name in pinyin"),
    "institutions": _("Name or address"),
    "points": _("Name or address"),
}
Q_HINTS = {
    "people": _("For 王德洲 you can type 王德洲, wangdezhou or just wdz."),
    "institutions": _("For example 法律援助中心, 律师事务所, or pinyin initials such as flyz."),
    "points": _("For example a street or village name."),
}


def _search(request: HttpRequest, *, what: str, form_class: type[DirectoryFilterForm], selector: Callable[..., QuerySet],
            template: str) -> HttpResponse:
    form = form_class(request.GET)
    form.fields["q"].label = Q_LABELS[what]
    form.fields["q"].help_text = Q_HINTS[what]
    form.fields["q"].widget.attrs["placeholder"] = ""
    page_obj = None
    if form.is_valid():
        page_obj = Paginator(selector(**form.selector_kwargs()), PAGE_SIZE).get_page(request.GET.get("page"))
        attach_region_display_names(regions=[obj.region for obj in page_obj])
    context = {"portal_section": "help", "form": form, "page_obj": page_obj, "what": what,
               "searched": any(request.GET.get(k) for k in ("q", "region", "kind", "service", "specialty")),
               "region_levels": directory_region_picker(selected=form.selected_region)}
    return render(request, template, context, status=200 if page_obj is not None else 400)


@require_safe
def help_home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/help/home.html", {"portal_section": "help", "form": PractitionerFilterForm()})


@require_safe
def people(request: HttpRequest) -> HttpResponse:
    return _search(request, what="people", form_class=PractitionerFilterForm, selector=directory_practitioners,
                   template="portal/help/people.html")


@require_safe
def institutions(request: HttpRequest) -> HttpResponse:
    return _search(request, what="institutions", form_class=InstitutionFilterForm, selector=directory_institutions,
                   template="portal/help/institutions.html")


@require_safe
def points(request: HttpRequest) -> HttpResponse:
    return _search(request, what="points", form_class=ServicePointFilterForm, selector=directory_service_points,
                   template="portal/help/points.html")


@require_safe
def person(request: HttpRequest, pk: int) -> HttpResponse:
    found = directory_practitioners().select_related("service_point").filter(pk=pk).first()
    if found is None:
        raise Http404
    attach_region_display_names(regions=[found.region])
    institution = found.institution if found.institution_id and found.institution.is_public else None
    point = found.service_point if found.service_point_id and found.service_point.is_public else None
    return render(request, "portal/help/person.html", {"portal_section": "help", "person": found,
                                                       "institution": institution, "point": point})


@require_safe
def institution(request: HttpRequest, pk: int) -> HttpResponse:
    found = directory_institutions().select_related("service_point").filter(pk=pk).first()
    if found is None:
        raise Http404
    attach_region_display_names(regions=[found.region])
    staff = list(directory_practitioners(institution_id=found.pk)[:PAGE_SIZE + 1])
    point = found.service_point if found.service_point_id and found.service_point.is_public else None
    context = {"portal_section": "help", "institution": found, "point": point, "people": staff[:PAGE_SIZE],
               "more_people": len(staff) > PAGE_SIZE}
    return render(request, "portal/help/institution.html", context)


@require_safe
def point(request: HttpRequest, pk: int) -> HttpResponse:
    found = directory_service_points().filter(pk=pk).first()
    if found is None:
        raise Http404
    attach_region_display_names(regions=[found.region])
    run_by = found.institution if found.institution_id and found.institution.is_public else None
    return render(request, "portal/help/point.html", {"portal_section": "help", "point": found, "run_by": run_by})
