"""The elderly-friendly mode (适老化): one switch, remembered in a cookie for a year.

Large type, high contrast and bigger targets come from the `elder` class the layout puts on
<body>; the cookie is read on the server, so the page arrives right without any script.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

COOKIE = "portal_elder"
MAX_AGE = 365 * 24 * 3600


def elder_mode(request: HttpRequest) -> bool:
    return request.COOKIES.get(COOKIE) == "1"


def set_elder_mode(response: HttpResponse, *, on: bool, secure: bool = False) -> None:
    response.set_cookie(COOKIE, "1" if on else "0", max_age=MAX_AGE, samesite="Lax", httponly=True, secure=secure)
