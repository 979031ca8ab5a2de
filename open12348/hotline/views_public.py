"""The caller's side: the satisfaction page the SMS link opens (no account, a signed link)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .forms import RatingForm
from .services.calls import call_rate_by_sms, order_for_rating_token


@never_cache
@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, token: str) -> HttpResponse:
    order = order_for_rating_token(token)
    if order is None:
        return render(request, "hotline/rate.html", {"expired": True}, status=404)
    if order.satisfaction:
        return render(request, "hotline/rate.html", {"done": True, "order": order})
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        call_rate_by_sms(order=order, rating=form.cleaned_data["rating"])
        return render(request, "hotline/rate.html", {"done": True, "thanks": True, "order": order})
    return render(request, "hotline/rate.html", {"form": form, "order": order},
                  status=400 if form.is_bound else 200)
