"""Loading administrative divisions (GB/T 2260 / NBS statistical codes) from a CSV file.

The file has the columns `code,name,level,parent_code`, one division per row, with levels
province, city, county, township and village. The whole file is checked before anything is
written; a file with any bad row loads nothing. Loading is idempotent: a second run renames
what changed and adds what is new, so a site can load its official divisions the same way the
demo loads Henan's.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from open12348.audit.services import audit_record
from open12348.core.errors import ApplicationError

from .choices import REGION_LEVEL_DEPTH, RegionLevel
from .models import Region
from .services import region_path

COLUMNS = ("code", "name", "level", "parent_code")
MAX_CODE_LENGTH = Region._meta.get_field("code").max_length
MAX_NAME_LENGTH = Region._meta.get_field("name").max_length
MAX_REPORTED_ERRORS = 50
_BATCH = 500


@dataclass(frozen=True)
class DivisionRow:
    """One row of a division file; `row` is its line number in the file (the header is line 1)."""

    row: int
    code: str
    name: str
    level: str
    parent_code: str


@dataclass(frozen=True)
class RegionLoadResult:
    rows: int
    created: int
    updated: int
    unchanged: int


# --- reading -------------------------------------------------------------------------------


def divisions_read_csv(*, path: str | Path) -> list[DivisionRow]:
    """Read a division file (UTF-8, with or without BOM). Raises ApplicationError if unreadable."""
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except FileNotFoundError as exc:
        raise ApplicationError(
            _("The division file %(path)s does not exist.") % {"path": path},
            code="file_missing",
            field="path",
        ) from exc
    except UnicodeDecodeError as exc:
        raise ApplicationError(
            _("The division file must be saved as UTF-8 text."), code="file_encoding", field="path"
        ) from exc
    return divisions_parse(text=text)


def divisions_parse(*, text: str) -> list[DivisionRow]:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ApplicationError(
            _("The division file needs the columns code, name, level, parent_code; missing: %(missing)s.")
            % {"missing": ", ".join(missing)},
            code="columns_missing",
            field="path",
        )
    reader.fieldnames = header
    return [
        DivisionRow(
            row=index,
            code=(record.get("code") or "").strip(),
            name=(record.get("name") or "").strip(),
            level=(record.get("level") or "").strip().lower(),
            parent_code=(record.get("parent_code") or "").strip(),
        )
        for index, record in enumerate(reader, start=2)
    ]


# --- checking ------------------------------------------------------------------------------


def _existing(codes: Iterable[str]) -> dict[str, Region]:
    codes = sorted(set(codes))
    found: dict[str, Region] = {}
    for start in range(0, len(codes), _BATCH):
        for region in Region.objects.filter(code__in=codes[start : start + _BATCH]):
            found[region.code] = region
    return found


def _row_errors(row: DivisionRow, *, seen: dict[str, int]) -> list[str]:
    errors: list[str] = []
    values = {"row": row.row, "code": row.code}
    if not row.code.isdigit() or len(row.code) > MAX_CODE_LENGTH:
        errors.append(
            _("Row %(row)d: the code “%(code)s” must be digits only, at most %(max)d of them.")
            % {**values, "max": MAX_CODE_LENGTH}
        )
    elif row.code in seen:
        errors.append(
            _("Row %(row)d: the code %(code)s already appears on row %(first)d.")
            % {**values, "first": seen[row.code]}
        )
    if not row.name or len(row.name) > MAX_NAME_LENGTH:
        errors.append(
            _("Row %(row)d: the name must be 1 to %(max)d characters.") % {**values, "max": MAX_NAME_LENGTH}
        )
    if row.level not in RegionLevel.values:
        errors.append(
            _("Row %(row)d: the level “%(level)s” is not one of province, city, county, township, village.")
            % {**values, "level": row.level}
        )
    if row.parent_code and row.parent_code == row.code:
        errors.append(_("Row %(row)d: a division cannot be its own parent.") % values)
    return errors


def divisions_check(*, rows: Sequence[DivisionRow]) -> list[str]:
    """Every problem in the file, one message per problem, each naming its row."""
    errors: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    for row in rows:
        errors.extend((row.row, message) for message in _row_errors(row, seen=seen))
        seen.setdefault(row.code, row.row)
    in_file = {row.code: row for row in rows}
    outside = _existing(r.parent_code for r in rows if r.parent_code and r.parent_code not in in_file)
    for row in rows:
        if not row.parent_code:
            continue
        parent_level = (
            in_file[row.parent_code].level
            if row.parent_code in in_file
            else (outside[row.parent_code].level if row.parent_code in outside else None)
        )
        if parent_level is None:
            errors.append(
                (
                    row.row,
                    _("Row %(row)d: the parent code %(parent)s is neither in the file nor already loaded.")
                    % {"row": row.row, "parent": row.parent_code},
                )
            )
        elif (
            row.level in RegionLevel.values
            and parent_level in RegionLevel.values
            and REGION_LEVEL_DEPTH[parent_level] >= REGION_LEVEL_DEPTH[row.level]
        ):
            errors.append(
                (
                    row.row,
                    _("Row %(row)d: a %(level)s cannot sit under the %(parent_level)s %(parent)s.")
                    % {
                        "row": row.row,
                        "level": RegionLevel(row.level).label,
                        "parent_level": RegionLevel(parent_level).label,
                        "parent": row.parent_code,
                    },
                )
            )
    return [message for _row, message in sorted(errors, key=lambda e: e[0])]


def divisions_subtree(*, rows: Sequence[DivisionRow], root: str) -> list[DivisionRow]:
    """The rows of `root`, everything below it and its ancestors; the file order is kept."""
    by_code = {row.code: row for row in rows}
    if root not in by_code:
        raise ApplicationError(
            _("The division code %(code)s is not in the file.") % {"code": root},
            code="root_missing",
            field="root",
        )
    keep: set[str] = set()
    code = root
    while code in by_code and code not in keep:  # the root and its ancestors
        keep.add(code)
        code = by_code[code].parent_code
    children: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        children[row.parent_code].append(row.code)
    below = list(children[root])
    while below:  # everything under the root
        code = below.pop()
        if code not in keep:
            keep.add(code)
            below.extend(children[code])
    return [row for row in rows if row.code in keep]


# --- writing -------------------------------------------------------------------------------


@transaction.atomic
def regions_load(
    *, actor, rows: Sequence[DivisionRow], root: str | None = None, source: str = ""
) -> RegionLoadResult:
    """Check `rows`, then create or update them as Regions (parents before children).

    With `root`, only that division's subtree and its ancestors are written, though the whole
    file is still checked. Raises ApplicationError listing every bad row; nothing is written then.
    """
    errors = divisions_check(rows=rows)
    if errors:
        shown = errors[:MAX_REPORTED_ERRORS]
        more = len(errors) - len(shown)
        message = _("The division file has %(count)d error(s); nothing was loaded.") % {"count": len(errors)}
        lines = [message, *shown]
        if more:
            lines.append(_("… and %(more)d more.") % {"more": more})
        raise ApplicationError(
            "\n".join(lines), code="divisions_invalid", field="path", extra={"errors": errors}
        )
    if root:
        rows = divisions_subtree(rows=rows, root=root)
    ordered = sorted(rows, key=lambda r: (REGION_LEVEL_DEPTH[r.level], r.code))
    existing = _existing([r.code for r in ordered] + [r.parent_code for r in ordered if r.parent_code])
    created = updated = unchanged = 0
    moved: list[tuple[str, str]] = []
    for depth in sorted({REGION_LEVEL_DEPTH[r.level] for r in ordered}):
        to_create: list[Region] = []
        to_update: list[Region] = []
        for row in (r for r in ordered if REGION_LEVEL_DEPTH[r.level] == depth):
            parent = existing.get(row.parent_code) if row.parent_code else None
            path = region_path(code=row.code, parent=parent)
            region = existing.get(row.code)
            if region is None:
                to_create.append(
                    Region(
                        code=row.code, name=row.name, level=row.level, parent=parent, path=path, depth=depth
                    )
                )
                continue
            wanted = (row.name, row.level, parent.pk if parent else None, path, depth)
            if (region.name, region.level, region.parent_id, region.path, region.depth) == wanted:
                unchanged += 1
                continue
            if region.path != path:
                moved.append((region.path, path))
            region.name, region.level, region.parent, region.path, region.depth = (
                row.name,
                row.level,
                parent,
                path,
                depth,
            )
            to_update.append(region)
        Region.objects.bulk_create(to_create, batch_size=_BATCH)
        Region.objects.bulk_update(to_update, ["name", "level", "parent", "path", "depth"], batch_size=_BATCH)
        if to_create and to_create[0].pk is None:  # a backend that cannot return ids from bulk inserts
            to_create = list(_existing(r.code for r in to_create).values())
        existing.update({r.code: r for r in to_create})
        created += len(to_create)
        updated += len(to_update)
    _move_descendants(moved)
    result = RegionLoadResult(rows=len(ordered), created=created, updated=updated, unchanged=unchanged)
    audit_record(
        actor=actor,
        action="network.regions.load",
        object_type="network.region",
        object_repr=source[:200],
        extra={
            "source": source,
            "root": root or "",
            "rows": result.rows,
            "created": created,
            "updated": updated,
            "unchanged": unchanged,
        },
    )
    return result


def _move_descendants(moved: list[tuple[str, str]]) -> None:
    """Divisions already in the database but not in the file follow their moved ancestor.

    Those in the file were given their new path above, so only the others still start with `old`.
    """
    for old, new in moved:
        Region.objects.filter(path__startswith=old).update(
            path=Concat(Value(new), Substr(F("path"), len(old) + 1))
        )


def regions_load_csv(*, actor, path: str | Path, root: str | None = None) -> RegionLoadResult:
    rows = divisions_read_csv(path=path)
    return regions_load(actor=actor, rows=rows, root=root, source=Path(path).name)
