"""The division loader: whole-file checks, idempotence, subtrees, and any province's file."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from open12348.audit.models import AuditEvent
from open12348.core.errors import ApplicationError
from open12348.network.models import Region
from open12348.network.regions import divisions_parse, regions_load, regions_load_csv

HENAN = Path(__file__).resolve().parent.parent / "fixtures" / "henan-divisions-2023.csv"

JIANGSU = """code,name,level,parent_code
32,江苏省,province,
3201,南京市,city,32
320102,玄武区,county,3201
320102002,梅园新村街道,township,320102
3202,无锡市,city,32
320205,锡山区,county,3202
"""

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_messages():
    """Messages are matched in their English source so a new Chinese catalogue does not break these."""
    with translation.override("en"):
        yield


def write(tmp_path: Path, text: str, name: str = "divisions.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_province_file_loads_with_paths_and_depths(tmp_path):
    result = regions_load_csv(actor=None, path=write(tmp_path, JIANGSU))

    assert (result.rows, result.created, result.updated, result.unchanged) == (6, 6, 0, 0)
    street = Region.objects.get(code="320102002")
    assert street.path == "32/3201/320102/320102002/"
    assert street.depth == 3
    assert street.parent.code == "320102"
    assert street.full_name() == "南京市玄武区梅园新村街道"
    assert Region.objects.get(code="32").parent is None
    assert Region.objects.get(code="32").depth == 0


def test_the_load_leaves_one_audit_row_with_the_counts(tmp_path):
    regions_load_csv(actor=None, path=write(tmp_path, JIANGSU, "jiangsu.csv"))

    event = AuditEvent.objects.get(action="network.regions.load")
    assert event.extra == {
        "source": "jiangsu.csv",
        "root": "",
        "rows": 6,
        "created": 6,
        "updated": 0,
        "unchanged": 0,
    }
    assert AuditEvent.objects.count() == 1


def test_reloading_renames_and_adds_without_duplicating(tmp_path):
    regions_load_csv(actor=None, path=write(tmp_path, JIANGSU))
    changed = JIANGSU.replace("玄武区,county", "玄武新区,county") + "320106,鼓楼区,county,3201\n"

    result = regions_load_csv(actor=None, path=write(tmp_path, changed))

    assert (result.created, result.updated, result.unchanged) == (1, 1, 5)
    assert Region.objects.count() == 7
    assert Region.objects.get(code="320102").name == "玄武新区"
    assert Region.objects.get(code="320106").path == "32/3201/320106/"
    again = regions_load_csv(actor=None, path=write(tmp_path, changed))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 7)


def test_a_bad_file_loads_nothing_and_names_every_bad_row(tmp_path):
    bad = (
        "code,name,level,parent_code\n"
        "32,江苏省,province,\n"  # row 2: fine
        "3201,南京市,town,32\n"  # row 3: unknown level
        "3201,南京,city,32\n"  # row 4: duplicate code
        "320102,玄武区,county,3299\n"  # row 5: unknown parent
        "32010A,某区,county,3201\n"  # row 6: not digits
        ",,county,3201\n"  # row 7: no code, no name
    )
    with pytest.raises(ApplicationError) as exc:
        regions_load_csv(actor=None, path=write(tmp_path, bad))

    errors = exc.value.extra["errors"]
    assert exc.value.code == "divisions_invalid"
    assert any(e.startswith("Row 3:") and "town" in e for e in errors)
    assert any(e.startswith("Row 4:") and "row 3" in e for e in errors)
    assert any(e.startswith("Row 5:") and "3299" in e for e in errors)
    assert any(e.startswith("Row 6:") and "32010A" in e for e in errors)
    assert sum(e.startswith("Row 7:") for e in errors) == 2
    assert "Row 3:" in exc.value.message and "Row 5:" in exc.value.message
    assert [int(e.split(":")[0].split()[1]) for e in errors] == sorted(
        int(e.split(":")[0].split()[1]) for e in errors
    )
    assert Region.objects.count() == 0
    assert not AuditEvent.objects.exists()


def test_a_child_cannot_sit_at_or_above_its_parents_level(tmp_path):
    text = "code,name,level,parent_code\n32,江苏省,province,\n3201,南京市,city,32\n320100,X,city,3201\n"
    with pytest.raises(ApplicationError) as exc:
        regions_load_csv(actor=None, path=write(tmp_path, text))
    assert [e.split(":")[0] for e in exc.value.extra["errors"]] == ["Row 4"]
    assert Region.objects.count() == 0


def test_a_file_without_the_columns_is_refused(tmp_path):
    with pytest.raises(ApplicationError) as exc:
        regions_load_csv(actor=None, path=write(tmp_path, "code,name\n32,江苏省\n"))
    assert exc.value.code == "columns_missing"
    assert "level" in exc.value.message and "parent_code" in exc.value.message


def test_a_parent_already_in_the_database_is_enough(tmp_path):
    regions_load_csv(actor=None, path=write(tmp_path, JIANGSU))
    more = "code,name,level,parent_code\n320205001,东亭街道,township,320205\n"

    regions_load_csv(actor=None, path=write(tmp_path, more, "more.csv"))

    assert Region.objects.get(code="320205001").path == "32/3202/320205/320205001/"


def test_moving_a_division_moves_what_is_below_it(tmp_path):
    regions_load_csv(actor=None, path=write(tmp_path, JIANGSU))
    moved = "code,name,level,parent_code\n320102,玄武区,county,3202\n"

    regions_load(actor=None, rows=divisions_parse(text=moved))

    assert Region.objects.get(code="320102").path == "32/3202/320102/"
    assert Region.objects.get(code="320102002").path == "32/3202/320102/320102002/"


def test_root_loads_only_that_subtree_and_its_ancestors(tmp_path):
    regions_load_csv(actor=None, path=write(tmp_path, JIANGSU), root="3201")

    assert sorted(Region.objects.values_list("code", flat=True)) == ["32", "3201", "320102", "320102002"]


def test_an_unknown_root_is_refused(tmp_path):
    with pytest.raises(ApplicationError) as exc:
        regions_load_csv(actor=None, path=write(tmp_path, JIANGSU), root="3205")
    assert exc.value.code == "root_missing"
    assert Region.objects.count() == 0


def test_the_command_loads_pingdingshan_from_the_henan_file():
    out = io.StringIO()
    call_command("load_regions", str(HENAN), "--root", "4104", stdout=out)

    levels = {
        level: Region.objects.filter(level=level).count()
        for level in ("province", "city", "county", "township")
    }
    assert levels == {"province": 1, "city": 1, "county": 12, "township": 148}
    assert Region.objects.get(code="410402").path == "41/4104/410402/"
    assert not Region.objects.filter(code="4101").exists()
    assert "162" in out.getvalue()


def test_the_whole_henan_file_loads():
    call_command("load_regions", str(HENAN), stdout=io.StringIO())

    assert Region.objects.filter(level="city").count() == 18
    assert Region.objects.filter(level="county").count() == 181
    assert Region.objects.filter(level="township").count() == 2586
    # 济源 is a county-level city directly under the province, through the file's 4190 grouping.
    assert Region.objects.get(code="419001").path == "41/4190/419001/"


def test_the_command_reports_errors_as_a_command_error(tmp_path):
    path = write(tmp_path, "code,name,level,parent_code\n4104,平顶山市,city,4199\n")
    with pytest.raises(CommandError, match="Row 2"):
        call_command("load_regions", str(path), stdout=io.StringIO())
    assert Region.objects.count() == 0


def test_a_missing_file_is_a_plain_error(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("load_regions", str(tmp_path / "nope.csv"), stdout=io.StringIO())
