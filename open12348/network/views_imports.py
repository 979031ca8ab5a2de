"""Placeholder; replaced by the module owner."""
from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse("todo")

import_start = import_status = export_download = _todo
