"""The public directory: search and detail pages that anyone can use without signing in.

Pages work without JavaScript (a plain GET form, page links that keep the filters); with htmx the
results refresh as the citizen types and the region picker fills its next level in place.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from .filters import (
    DirectoryFilterForm,
    InstitutionFilterForm,
    PractitionerFilterForm,
    RegionChildrenForm,
    ServicePointFilterForm,
)
from .selectors import (
    attach_region_display_names,
    directory_institutions,
    directory_practitioners,
    directory_region_picker,
    directory_service_points,
    region_children,
)

PAGE_SIZE = 20
RESULTS_TARGET = "results"


def _wants_results_only(request: HttpRequest) -> bool:
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-Target") == RESULTS_TARGET
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def _search_page(
    request: HttpRequest,
    *,
    form_class: type[DirectoryFilterForm],
    selector: Callable[..., QuerySet],
    template: str,
    results_template: str,
) -> HttpResponse:
    form = form_class(request.GET)
    page_obj = None
    if form.is_valid():
        page_obj = Paginator(selector(**form.selector_kwargs()), PAGE_SIZE).get_page(request.GET.get("page"))
        attach_region_display_names(regions=[obj.region for obj in page_obj])
    context = {"form": form, "page_obj": page_obj, "results_template": results_template}
    status = 200 if page_obj is not None else 400
    if _wants_results_only(request):
        response = render(request, results_template, context, status=status)
    else:
        context["region_levels"] = directory_region_picker(selected=form.selected_region)
        response = render(request, template, context, status=status)
    # The same address answers with the whole page or, for htmx, only the results.
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


@require_safe
def institution_search(request: HttpRequest) -> HttpResponse:
    return _search_page(
        request,
        form_class=InstitutionFilterForm,
        selector=directory_institutions,
        template="network/public/institution_search.html",
        results_template="network/public/_institution_results.html",
    )


@require_safe
def practitioner_search(request: HttpRequest) -> HttpResponse:
    return _search_page(
        request,
        form_class=PractitionerFilterForm,
        selector=directory_practitioners,
        template="network/public/practitioner_search.html",
        results_template="network/public/_practitioner_results.html",
    )


@require_safe
def service_point_search(request: HttpRequest) -> HttpResponse:
    return _search_page(
        request,
        form_class=ServicePointFilterForm,
        selector=directory_service_points,
        template="network/public/service_point_search.html",
        results_template="network/public/_service_point_results.html",
    )


@require_safe
def institution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    institution = get_object_or_404(directory_institutions().select_related("service_point"), pk=pk)
    people = directory_practitioners(institution_id=institution.pk)
    people_page = list(people[:PAGE_SIZE])
    attach_region_display_names(regions=[institution.region])
    context = {
        "institution": institution,
        "service_point": institution.service_point
        if institution.service_point_id and institution.service_point.is_public else None,
        "people": people_page,
        "people_total": people.count() if len(people_page) == PAGE_SIZE else len(people_page),
    }
    return render(request, "network/public/institution_detail.html", context)


@require_safe
def practitioner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(directory_practitioners().select_related("service_point"), pk=pk)
    attach_region_display_names(regions=[person.region])
    institution = person.institution if person.institution_id and person.institution.is_public else None
    service_point = person.service_point if person.service_point_id and person.service_point.is_public else None
    context = {"person": person, "institution": institution, "service_point": service_point}
    return render(request, "network/public/practitioner_detail.html", context)


@require_safe
def region_options(request: HttpRequest) -> HttpResponse:
    """`<option>`s of a region's children, for the next select of the cascading picker.

    The picker's select sends its own value as `region`; other callers may send `parent`. An empty
    `region` means the citizen chose "all" above, so the next level offers nothing to pick.
    """
    if "parent" not in request.GET and "region" in request.GET and not request.GET.get("region", "").strip():
        return render(request, "network/public/_region_options.html", {"parent": None, "options": []})
    form = RegionChildrenForm({"parent": request.GET.get("parent", request.GET.get("region", ""))})
    if not form.is_valid():
        return HttpResponse(form.errors["parent"][0], status=400, content_type="text/plain; charset=utf-8")
    parent = form.cleaned_data["parent"]
    context = {"parent": parent, "options": list(region_children(parent=parent)), "selected": ""}
    return render(request, "network/public/_region_options.html", context)
