"""WebSocket routes. Apps add theirs here (hotline wallboard, video signalling, job progress)."""

from open12348.video.routing import websocket_urlpatterns as video_websocket_urlpatterns

websocket_urlpatterns: list = [*video_websocket_urlpatterns]
