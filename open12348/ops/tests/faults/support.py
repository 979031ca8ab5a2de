"""What the fault tests run inside a fresh Django process (`python -m open12348.ops.tests.faults.support`),
against the private database named by DATABASE_URL.

    prepare             create the schema and a small world; print its ids and tokens as JSON
    write SECONDS STOP  register legal aid applications in a loop, one JSON line per attempt,
                        until SECONDS have passed or the file STOP exists
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def prepare() -> dict:
    from django.core.management import call_command

    from open12348.legalaid import services as legalaid
    from open12348.legalaid.tests.factories import centre_setup, wage_claim
    from open12348.notifications.models import OutboundMessage
    from open12348.video import services as video
    from open12348.video.tests.conftest import make_world, request_now

    call_command("migrate", run_syncdb=True, verbosity=0, interactive=False)
    aid = centre_setup()
    applications = [
        legalaid.application_create(actor=aid["window_staff"], centre=aid["centre"], channel="window",
                                    **wage_claim(), idempotency_key=f"prepared-{n}")
        for n in range(3)
    ]
    world = make_world()
    session = request_now(world)
    tokens = [video.invitation_create(actor=world["station"], session=session, kind="visitor", name=name)[1]
              for name in ("李大爷", "李大娘")]
    message = OutboundMessage.objects.create(channel=OutboundMessage.Channel.SMS, to="13803751234",
                                             body="【平顶山12348】您的法律援助申请已受理。")
    return {"applications": [a.pk for a in applications], "room": session.room, "tokens": tokens,
            "message": message.pk}


def write(seconds: float, stop: Path) -> None:
    """Each attempt is one "request": connections are checked before and closed after, as Django's
    request_started/request_finished handlers do."""
    from django.db import Error, close_old_connections

    from open12348.accounts.models import User
    from open12348.legalaid.models import CentreProfile
    from open12348.legalaid.services import application_create
    from open12348.legalaid.tests.factories import wage_claim

    actor = User.objects.get(username="wd_window_staff")
    centre = CentreProfile.objects.select_related("centre__region").get().centre
    close_old_connections()
    end = time.monotonic() + seconds
    attempt = 0
    while time.monotonic() < end and not stop.exists():
        attempt += 1
        key = f"load-{os.getpid()}-{attempt}"
        close_old_connections()
        try:
            application = application_create(actor=actor, centre=centre, channel="window", **wage_claim(),
                                              idempotency_key=key)
        except Error as exc:
            print(json.dumps({"key": key, "ok": False, "error": type(exc).__name__, "t": time.time()}), flush=True)
            time.sleep(0.05)  # a client waits a moment before trying again
        except Exception as exc:  # anything but a database error is a bug the test reports
            print(json.dumps({"key": key, "ok": False, "error": type(exc).__name__, "unexpected": True,
                              "detail": str(exc)[:300], "t": time.time()}), flush=True)
        else:
            print(json.dumps({"key": key, "ok": True, "id": application.pk, "t": time.time()}), flush=True)
        finally:
            close_old_connections()


def main(argv: list[str]) -> None:
    import django

    django.setup()
    if argv[0] == "prepare":
        print(json.dumps(prepare()))
    elif argv[0] == "write":
        write(float(argv[1]), Path(argv[2]))
    else:
        raise SystemExit(f"unknown command {argv[0]!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
