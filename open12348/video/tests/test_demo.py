from __future__ import annotations

import datetime as dt

from django.utils import timezone

from open12348.network.choices import InstitutionKind
from open12348.network.tests.factories import InstitutionFactory, make_region
from open12348.video import selectors
from open12348.video.demo import video_demo_seed
from open12348.video.models import VideoSession


def _townships(world, n: int) -> None:
    for i in range(2, 2 + n):
        region = make_region(f"410403{i:03d}", f"测试{i}街道", "township", world["weidong"])
        InstitutionFactory(kind=InstitutionKind.JUDICIAL_OFFICE, name=f"测试{i}街道司法所", region=region)


def _fingerprint():
    return list(VideoSession.objects.order_by("id").values_list("requesting_point__name", "status", "visitor_name"))


def test_the_demo_is_uneven_deterministic_and_runs_once(world):
    _townships(world, 12)
    counts = video_demo_seed(seed=7)
    assert counts["sessions"] > 40 and counts["waiting"] == 1
    assert video_demo_seed(seed=7) == {"sessions": 0}
    # The demo station has a visitor waiting in its county centre's queue.
    assert [s.visitor_name for s in selectors.queue_for(world["reviewer"])] == ["李大爷"]
    figures = selectors.utilisation(user=world["admin"], start=timezone.localdate() - dt.timedelta(days=200),
                                    end=timezone.localdate())
    assert figures.least_used[0].sessions == 0  # some offices never called
    assert max(u.sessions for u in figures.requesting) >= 10 * min(u.sessions for u in figures.requesting)
    assert figures.requesting[0].institution == world["office"]
    assert all(u.avg_wait_minutes is not None for u in figures.serving)
    first = _fingerprint()
    VideoSession.objects.all().delete()
    video_demo_seed(seed=7)
    assert _fingerprint() == first
