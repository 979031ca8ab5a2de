"""Placeholder; replaced by the module owner."""
from django.http import HttpResponse


def log(request):
    return HttpResponse("todo")


export_csv = log
