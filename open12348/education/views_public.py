"""Legal education on the portal (/portal/learn/): guides by topic and audience, one search box over
the three public libraries, an article with its "what to do next" box, and upcoming activities."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from . import search, selectors, workflow
from .choices import EducationAudience, EducationTopic
from .forms import LearnFilterForm, LearnSearchForm
from .nextsteps import next_step

PAGE_SIZE = 10
SECTION = "learn"


def _filters(request: HttpRequest):
    counties = selectors.counties()
    form = LearnFilterForm(request.GET or None, counties=counties)
    topic = audience = ""
    county = None
    if form.is_valid():
        topic, audience = form.cleaned_data["topic"], form.cleaned_data["audience"]
        county = selectors.county_by_code(form.cleaned_data["county"])
    return form, topic, audience, county


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    form, topic, audience, county = _filters(request)
    page = Paginator(selectors.live_articles(topic=topic, audience=audience, county=county),
                     PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.topic_counts()
    topics = [(value, label, counts.get(value, 0)) for value, label in EducationTopic.choices if counts.get(value)]
    return render(request, "learn/index.html", {
        "portal_section": SECTION, "form": form, "search_form": LearnSearchForm(), "page_obj": page,
        "topics": topics, "audiences": EducationAudience.choices, "topic": topic, "audience": audience,
        "filtered": bool(topic or audience or county),
        "upcoming": list(selectors.upcoming_activities(county=county)[:3]),
    })


@require_safe
def search_view(request: HttpRequest) -> HttpResponse:
    form = LearnSearchForm(request.GET or None)
    results = None
    if form.is_valid() and form.cleaned_data["q"].strip():
        results = search.search_all(form.cleaned_data["q"].strip())
    groups = []
    if results is not None:
        groups = [(source, search.SOURCE_LABELS[source], results.groups[source]) for source in search.SOURCES]
    return render(request, "learn/search.html", {
        "portal_section": SECTION, "search_form": form, "results": results, "groups": groups,
    }, status=400 if form.errors else 200)


@require_safe
def article(request: HttpRequest, pk: int) -> HttpResponse:
    revision = selectors.live_article(article_id=pk)
    today = timezone.localdate()
    return render(request, "learn/article.html", {
        "portal_section": SECTION, "article": revision, "next_step": next_step(revision.next_step),
        "paragraphs": [p.strip() for p in revision.body.split("\n\n") if p.strip()],
        "basis_lines": [line.strip() for line in revision.legal_basis.splitlines() if line.strip()],
        "due": workflow.is_due(revision.last_checked, today),
        "related": list(selectors.live_articles(topic=revision.topic).exclude(article_id=pk)[:3]),
    })


@require_safe
def events(request: HttpRequest) -> HttpResponse:
    form, _topic, _audience, county = _filters(request)
    page = Paginator(selectors.upcoming_activities(county=county), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "learn/events.html", {"portal_section": SECTION, "form": form, "page_obj": page,
                                                 "county": county})
