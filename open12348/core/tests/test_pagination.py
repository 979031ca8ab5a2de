import pytest

from open12348.core.pagination import CappedPaginator
from open12348.network.models import Region
from open12348.network.tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


def test_counting_stops_at_the_cap():
    for n in range(7):
        RegionFactory(code=f"9{n:03d}", name=f"测试{n}")
    small = CappedPaginator(Region.objects.order_by("code"), 2)
    small.cap = 10
    assert (small.count, small.capped, small.num_pages) == (7, False, 4)
    big = CappedPaginator(Region.objects.order_by("code"), 2)
    big.cap = 5
    assert (big.count, big.capped) == (6, True)
    assert [r.code for r in big.get_page(1)] == ["9000", "9001"]


def test_a_two_step_page_keeps_order_and_annotations():
    from django.db.models import F

    from open12348.core.pagination import paginate_in_two_steps

    for n in range(5):
        RegionFactory(code=f"8{n:03d}", name=f"乙{n}")
    qs = Region.objects.filter(code__startswith="8").annotate(twice=F("depth") * 2).order_by("-code")
    page = paginate_in_two_steps(qs, number=2, per_page=2)
    assert [r.code for r in page] == ["8002", "8001"]
    assert all(hasattr(r, "twice") for r in page)
    assert page.paginator.count == 5
