"""Placeholder; replaced by the module owner."""
from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse("todo")

material_upload = material_download = document_download = _todo
