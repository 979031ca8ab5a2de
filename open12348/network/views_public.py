"""Placeholder; replaced by the module owner."""
from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse("todo")

institution_search = institution_detail = practitioner_search = practitioner_detail = _todo
service_point_search = region_options = _todo
