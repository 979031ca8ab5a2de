"""Placeholder; replaced by the module owner."""
from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse("todo")

institution_list = institution_detail = practitioner_list = practitioner_detail = _todo
