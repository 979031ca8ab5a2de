"""The knowledge base in the console: search during a call, read an article, write and edit."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from open12348.accounts.permissions import require_any_capability, require_capability, user_can
from open12348.accounts.roles import Capability
from open12348.core.errors import ApplicationError

from .access import access_article
from .forms import ArticleForm, SearchForm, apply_service_error
from .selectors_knowledge import article_list, article_search
from .services import knowledge as services

READERS = (Capability.HOTLINE_ANSWER, Capability.HOTLINE_MANAGE)
MANAGE = Capability.HOTLINE_MANAGE
BROWSE_LIMIT = 60


@require_any_capability(*READERS)
def knowledge(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    query = topic = ""
    if form.is_valid():
        query, topic = form.cleaned_data["q"].strip(), form.cleaned_data["topic"]
    hits = article_search(query=query, topic=topic) if query else None
    browse = None if query else list(article_list(topic=topic)[:BROWSE_LIMIT])
    return render(request, "hotline/knowledge.html", {"form": form, "hits": hits, "browse": browse, "query": query,
                                                      "can_edit": user_can(request.user, MANAGE)})


@require_any_capability(*READERS)
def article(request: HttpRequest, pk: int) -> HttpResponse:
    item = access_article(user=request.user, id=pk, include_unpublished=user_can(request.user, MANAGE))
    return render(request, "hotline/article.html", {"article": item, "can_edit": user_can(request.user, MANAGE)})


@require_http_methods(["GET", "POST"])
@require_capability(MANAGE)
def article_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    item = access_article(user=request.user, id=pk, include_unpublished=True) if pk else None
    initial = ({"question": item.question, "topic": item.topic, "answer": item.answer,
                "legal_basis": item.legal_basis} if item else None)
    form = ArticleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if item is None:
                item = services.article_create(actor=request.user, data=form.cleaned_data)
            else:
                item = services.article_update(actor=request.user, article=item, data=form.cleaned_data)
        except ApplicationError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("The article was saved."))
            return redirect("hotline:article", pk=item.pk)
    return render(request, "hotline/article_form.html", {"form": form, "article": item},
                  status=400 if form.is_bound and form.errors else 200)


@require_POST
@require_capability(MANAGE)
def article_publish(request: HttpRequest, pk: int) -> HttpResponse:
    item = access_article(user=request.user, id=pk, include_unpublished=True)
    services.article_set_published(actor=request.user, article=item, published=request.POST.get("published") == "1")
    return redirect("hotline:article", pk=pk)
