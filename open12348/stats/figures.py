"""The headline figures, named once: the overview page, its Excel export and the API use this list."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# (area, key in the selector's dict, label, unit)
HEADLINES = [
    ("legal_aid", "cases", _("Legal aid cases accepted"), "count"),
    ("legal_aid", "criminal_cases", _("Criminal cases"), "count"),
    ("legal_aid", "criminal_share_pct", _("Criminal share"), "pct"),
    ("legal_aid", "amount_recovered", _("Losses recovered"), "yuan"),
    ("legal_aid", "people_aided", _("People aided"), "count"),
    ("legal_aid", "migrant_worker_cases", _("Migrant workers' cases"), "count"),
    ("legal_aid", "migrant_workers_aided", _("Migrant workers aided"), "count"),
    ("legal_aid", "migrant_worker_amount_recovered", _("Recovered for migrant workers"), "yuan"),
    ("legal_aid", "applications", _("Applications received"), "count"),
    ("legal_aid", "granted", _("Applications granted"), "count"),
    ("legal_aid", "refused", _("Applications refused"), "count"),
    ("legal_aid", "withdrawn", _("Applications withdrawn"), "count"),
    ("legal_aid", "decided_on_time_pct", _("Decided within the statutory time"), "pct"),
    ("legal_aid", "assigned_on_time_pct", _("Lawyer assigned within the statutory time"), "pct"),
    ("hotline", "calls", _("Hotline calls"), "count"),
    ("hotline", "answer_rate_pct", _("Calls answered"), "pct"),
    ("hotline", "average_seconds_to_answer", _("Average time to answer (seconds)"), "number"),
    ("hotline", "messages", _("Messages left"), "count"),
    ("hotline", "callback_rate_pct", _("Missed calls and messages called back"), "pct"),
    ("hotline", "callbacks_overdue", _("Callbacks overdue"), "count"),
    ("hotline", "satisfaction_pct", _("Callers satisfied"), "pct"),
    ("mediation", "disputes", _("Disputes brought to mediation"), "count"),
    ("mediation", "success_rate_pct", _("Mediations ending in an agreement"), "pct"),
    ("mediation", "closed_within_a_month_pct", _("Mediations closed within a month"), "pct"),
    ("video", "sessions", _("Video consultations"), "count"),
    ("video", "average_minutes_waited", _("Average wait for a video lawyer (minutes)"), "number"),
]

# Rough positions of Pingdingshan's county-level units on a grid (column, row), west to east and
# north to south, for the tile map; units not listed follow in code order below them.
TILE_POSITIONS = {
    "410482": (0, 0),  # 汝州市
    "410425": (1, 0),  # 郏县
    "410404": (2, 0),  # 石龙区
    "410423": (0, 1),  # 鲁山县
    "410421": (1, 1),  # 宝丰县
    "410402": (2, 1),  # 新华区
    "410403": (3, 1),  # 卫东区
    "410411": (2, 2),  # 湛河区
    "410422": (3, 2),  # 叶县
    "410481": (3, 3),  # 舞钢市
}

# The records behind a headline figure: the dashboard cell it sums (metric and dimension values).
DRILLS = {
    "cases": {"metric": "aid.case"},
    "criminal_cases": {"metric": "aid.case", "a": "criminal"},
    "amount_recovered": {"metric": "aid.closed"},
    "people_aided": {"metric": "aid.case"},
    "migrant_worker_cases": {"metric": "aid.case_group", "a": "migrant_worker"},
    "migrant_workers_aided": {"metric": "aid.case_group", "a": "migrant_worker"},
    "migrant_worker_amount_recovered": {"metric": "aid.case_group", "a": "migrant_worker"},
    "applications": {"metric": "aid.applied"},
    "granted": {"metric": "aid.applied", "c": "grant"},
    "refused": {"metric": "aid.applied", "c": "refuse"},
    "withdrawn": {"metric": "aid.applied", "c": "withdrawn"},
    "calls": {"metric": "hotline.call", "a": "call"},
    "disputes": {"metric": "mediation.case"},
    "checkup_visits": {"metric": "checkup.visit"},
    "checkup_opinions": {"metric": "checkup.visit", "c": "opinion"},
    "checkup_reports": {"metric": "checkup.visit", "b": "report"},
    "checkup_applications": {"metric": "aid.applied", "a": "checkup"},
    "outreach_held": {"metric": "education.activity", "b": "held"},
    "graded": {"metric": "quality.grade"},
}
