"""Placeholder; replaced by the module owner."""
from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse("todo")

queue = application_create = application_detail = application_private = application_act = objection_decide = _todo
