"""Backup and restore as docs/operations.md describes it: pg_dump -Fc, pg_restore into an empty
database, then `backup_verify` proves every table came back; a changed or missing row is caught and
the table named."""

from __future__ import annotations

import io
import subprocess
import time

import pytest
from django.core.management import CommandError, call_command
from django.utils.translation import gettext

pytestmark = [pytest.mark.slow, pytest.mark.fault]


def verify(source: str, target: str) -> str:
    out = io.StringIO()
    call_command("backup_verify", source=source, target=target, stdout=out)
    return out.getvalue()


@pytest.fixture
def restored(pg_database, tmp_path):
    """The test's database dumped and restored into a second one: (cluster, source name, source url, restored url)."""
    pg, name, url, _world = pg_database
    dump = tmp_path / "open12348.dump"
    subprocess.run([pg.tool("pg_dump"), "-Fc", "-h", "127.0.0.1", "-p", str(pg.port), "-U", "postgres",  # noqa: S603
                    "-f", str(dump), name], check=True, timeout=120)
    copy = f"{name}_restored"
    pg.psql("postgres", f"CREATE DATABASE {copy}")
    started = time.monotonic()
    subprocess.run([pg.tool("pg_restore"), "--no-owner", "--exit-on-error", "-h", "127.0.0.1", "-p",  # noqa: S603
                    str(pg.port), "-U", "postgres", "-d", copy, str(dump)], check=True, timeout=120)
    print(f"\npg_restore of the fault world took {time.monotonic() - started:.2f} s")
    yield pg, name, url, pg.url(copy)
    pg.psql("postgres", f"DROP DATABASE IF EXISTS {copy} WITH (FORCE)")


def test_a_restore_matches_its_source_in_every_table(restored, django_db_blocker):
    pg, name, source, target = restored
    with django_db_blocker.unblock():
        report = verify(source, target)
    lines = {line.split()[1].rstrip(":"): line for line in report.splitlines() if line.startswith(("ok", "DIFFERS"))}
    assert not [line for line in lines.values() if line.startswith("DIFFERS")]
    applications = pg.psql(name, "SELECT count(*) FROM legalaid_application")
    assert int(applications) >= 3
    assert lines["legalaid_application"].startswith(f"ok       legalaid_application: {applications} rows")
    # m2m tables are compared too
    assert lines["accounts_user_groups"].startswith("ok       accounts_user_groups: ")
    assert gettext("The restore matches its source in every table.") in report


def test_a_changed_row_and_a_missing_row_are_named(restored, django_db_blocker):
    pg, name, source, target = restored
    copy = target.rsplit("/", 1)[1]
    pg.psql(copy, "UPDATE legalaid_application SET facts = facts || ' ' WHERE id = (SELECT min(id) FROM "
                  "legalaid_application)")
    pg.psql(copy, "DELETE FROM video_videosessionevent WHERE id = (SELECT max(id) FROM video_videosessionevent)")
    out = io.StringIO()
    with django_db_blocker.unblock(), pytest.raises(CommandError) as exc:
        call_command("backup_verify", source=source, target=target, stdout=out)
    assert "legalaid_application" in str(exc.value) and "video_videosessionevent" in str(exc.value)
    differing = sorted(line.split()[1].rstrip(":") for line in out.getvalue().splitlines()
                       if line.startswith("DIFFERS"))
    assert differing == ["legalaid_application", "video_videosessionevent"]
    # the row count is the same for the changed row and one less for the missing one
    count = int(pg.psql(name, "SELECT count(*) FROM video_videosessionevent"))
    assert f"source {count} rows" in out.getvalue() and f"target {count - 1} rows" in out.getvalue()


def test_a_table_missing_from_the_restore_is_a_difference(restored, django_db_blocker):
    pg, _name, source, target = restored
    pg.psql(target.rsplit("/", 1)[1], "DROP TABLE legalaid_material CASCADE")
    out = io.StringIO()
    with django_db_blocker.unblock(), pytest.raises(CommandError, match="legalaid_material"):
        call_command("backup_verify", source=source, target=target, stdout=out)
    assert "DIFFERS  legalaid_material: source 0 rows, sum 0; target -" in out.getvalue()
