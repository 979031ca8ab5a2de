from django.urls import re_path

from .consumers import SignallingConsumer

websocket_urlpatterns = [
    re_path(r"^ws/video/(?P<room>[0-9a-f]{32})/$", SignallingConsumer.as_asgi()),
]
