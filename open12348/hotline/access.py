"""Who sees which hotline, and loading one record for a user: one 404 for missing and not yours.

A hotline serves a city or a county. Its staff see it through their organisation's region (the
usual data scope); a duty lawyer on its rotation sees it through the pool, whatever firm or
county they belong to, because the calls they take and the callbacks they owe are its records.
"""

from __future__ import annotations

from django.http import Http404

from open12348.accounts.permissions import user_can
from open12348.accounts.roles import Capability
from open12348.accounts.scope import restrict_to_regions

from .models import Article, CallbackTask, CallReview, CallSample, Hotline, WorkOrder

HOTLINE_CAPABILITIES = (Capability.HOTLINE_ANSWER, Capability.HOTLINE_MANAGE, Capability.DASHBOARD_VIEW)


def can_any(user, *capabilities: str) -> bool:
    return any(user_can(user, capability) for capability in capabilities)


def hotline_ids_for(user) -> list[int]:
    """The hotlines the user may see records of (kept on the user object for the request)."""
    cached = getattr(user, "_hotline_ids_cache", None)
    if cached is not None:
        return cached
    if not can_any(user, *HOTLINE_CAPABILITIES):
        ids: list[int] = []
    else:
        by_region = restrict_to_regions(Hotline.objects.all(), user=user).values_list("id", flat=True)
        by_pool = Hotline.objects.filter(pool__user=user, pool__is_active=True).values_list("id", flat=True)
        ids = sorted(set(by_region) | set(by_pool))
    user._hotline_ids_cache = ids
    return ids


def hotlines_for(user):
    return Hotline.objects.filter(id__in=hotline_ids_for(user)).select_related("region")


def access_hotline(*, user, id: int) -> Hotline:
    hotline = hotlines_for(user).filter(pk=id).first()
    if hotline is None:
        raise Http404
    return hotline


def access_work_order(*, user, id: int) -> WorkOrder:
    order = (WorkOrder.objects.filter(pk=id, hotline_id__in=hotline_ids_for(user))
             .select_related("hotline", "seat", "answered_by", "application", "entered_by").first())
    if order is None:
        raise Http404
    return order


def access_callback(*, user, id: int) -> CallbackTask:
    task = (CallbackTask.objects.filter(pk=id, hotline_id__in=hotline_ids_for(user))
            .select_related("work_order", "work_order__hotline", "assigned_to", "closed_by").first())
    if task is None:
        raise Http404
    return task


def access_sample(*, user, id: int) -> CallSample:
    sample = CallSample.objects.filter(pk=id, hotline_id__in=hotline_ids_for(user)).select_related("hotline").first()
    if sample is None:
        raise Http404
    return sample


def access_review(*, user, id: int) -> CallReview:
    review = (CallReview.objects.filter(pk=id, sample__hotline_id__in=hotline_ids_for(user))
              .select_related("sample", "work_order", "person", "reviewer").first())
    if review is None:
        raise Http404
    return review


def access_article(*, user, id: int, include_unpublished: bool = False) -> Article:
    """The knowledge base is shared by every hotline: anyone who answers or runs a hotline reads it."""
    if not can_any(user, Capability.HOTLINE_ANSWER, Capability.HOTLINE_MANAGE):
        raise Http404
    articles = Article.objects.all() if include_unpublished else Article.objects.filter(is_active=True)
    article = articles.filter(pk=id).select_related("reviewed_by").first()
    if article is None:
        raise Http404
    return article
