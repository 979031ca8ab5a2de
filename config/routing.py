"""WebSocket routes. Apps add theirs here (hotline wallboard, video signalling, job progress)."""

websocket_urlpatterns: list = []
