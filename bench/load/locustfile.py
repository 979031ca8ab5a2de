"""Mixed citizen and staff traffic against a production-like stack (run by bench/load/run.py).

Citizens (most of the traffic):
  * Browser     - the public directory, the portal's "find help" pages, the eligibility pre-check API;
  * Applicant   - proves a phone with the SMS code, consents, answers the guided legal aid
                  application screen by screen, submits it, then tracks it.
Staff (signed-in sessions made by bench/load/staff_sessions.py, see there why not the login form):
  * reviewer and director - the applications queue and its tabs, application pages, case lists;
  * lawyer                - the case list and case pages, deadlines;
  * hotlinelead           - hotline work orders and callbacks;
  * leader                - the dashboard.

Environment: LOAD_STAFF_SESSIONS (the JSON of staff_sessions.py), LOAD_SMS_REDIS_URL (where
bench/load/sms_backend.py drops each code; the default matches config.settings.loadtest).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import re
import time
from pathlib import Path

import redis
from locust import HttpUser, between, task

from open12348.core.idnumber import check_digit  # plain Python: no Django set-up needed

SMS_REDIS = redis.Redis.from_url(os.environ.get("LOAD_SMS_REDIS_URL", "redis://127.0.0.1:6379/13"))
STAFF = json.loads(Path(os.environ["LOAD_STAFF_SESSIONS"]).read_text()) if os.environ.get("LOAD_STAFF_SESSIONS") else {}
COUNTIES = ("410402", "410403", "410404", "410411", "410421", "410422", "410423", "410425", "410481", "410482")
SEARCHES = ("wdz", "王", "律师", "法律援助", "zhang", "新华", "调解")
PRECHECK_BODIES = (
    {"matter": "CV-05", "subtype": "wages", "region": "410402", "applicant": {"groups": ["migrant_worker"]}},
    {"matter": "CV-OTHER", "region": "410411", "household": {"members": 2, "monthly_income": "3000"}},
    {"matter": "CV-04", "region": "410482", "applicant": {"id_number": "410403198503171236"},
     "household": {"members": 4, "monthly_income": "3200"}},
    {"matter": "CV-07", "subtype": "traffic", "region": "410423",
     "applicant": {"birth_date": "1955-08-08", "groups": ["social_assistance"]},
     "household": {"members": 1, "monthly_income": "9000"}},
)
CODE = re.compile(r"(?<!\d)(\d{6})(?!\d)")  # the 6-digit code; "12348" in the same text has 5


def id_number(rng: random.Random) -> str:
    """A valid 18-digit resident ID number (GB 11643 check digit) of someone born 1960-1999 in 卫东区."""
    first17 = f"410403{rng.randint(1960, 1999)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    return first17 + check_digit(first17)


def phone_number(rng: random.Random) -> str:
    return f"1{rng.choice('3578')}{rng.randint(0, 999_999_999):09d}"


class PortalClient(HttpUser):
    abstract = True

    def post_form(self, url: str, data: dict, *, name: str | None = None, expect=(302,)):
        data = {**data, "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", "")}
        with self.client.post(url, data=data, name=name or url, allow_redirects=False, catch_response=True,
                              headers={"Referer": self.host + url}) as response:
            if response.status_code not in expect:
                response.failure(f"{response.status_code} (expected {expect})")
            return response


class CitizenBrowser(PortalClient):
    """Someone looking for help: the directory, the phone pages, the pre-check."""

    weight = 6
    wait_time = between(1, 4)

    @task(3)
    def directory(self):
        self.client.get(f"/directory/?q={random.choice(SEARCHES)}", name="/directory/?q=")

    @task(2)
    def people(self):
        self.client.get(f"/directory/people/?q={random.choice(SEARCHES)}", name="/directory/people/?q=")

    @task(2)
    def portal_help(self):
        self.client.get("/portal/")
        self.client.get(f"/portal/help/points/?region={random.choice(COUNTIES)}", name="/portal/help/points/?region=")

    @task(2)
    def precheck(self):
        body = {**random.choice(PRECHECK_BODIES), "date": dt.date.today().isoformat()}
        self.client.post("/api/v1/legal-aid/eligibility-check", json=body,
                         name="/api/v1/legal-aid/eligibility-check")


class CitizenApplicant(PortalClient):
    """Signs in with an SMS code, applies for legal aid through the guided interview, tracks it."""

    weight = 2
    wait_time = between(2, 6)

    def on_start(self):
        self.rng = random.Random()
        self.phone = phone_number(self.rng)
        self.applications: list[str] = []
        self.sign_in()

    def sign_in(self):
        self.client.get("/portal/verify/")
        SMS_REDIS.delete(f"loadtest:sms:{self.phone}")
        self.post_form("/portal/verify/", {"phone": self.phone, "agree": "on"})
        code = self.read_code()
        if code is None:
            return
        self.post_form("/portal/verify/code/", {"code": code})
        self.post_form("/portal/consent/", {"purpose": "sensitive", "agree": "on", "next": "/portal/apply/"})

    def read_code(self) -> str | None:
        """The code, as the phone would receive it: the message body the SMS backend dropped in Redis."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            body = SMS_REDIS.get(f"loadtest:sms:{self.phone}")
            if body:
                return CODE.search(body.decode()).group(1)
            time.sleep(0.1)
        self.environment.events.request.fire(request_type="SMS", name="code delivered", response_time=10_000,
                                             response_length=0, exception=TimeoutError("no SMS code in 10 s"))
        return None

    def answers(self) -> dict:
        county = random.choice(COUNTIES)
        return {"region": county, "for_whom": "self", "topic": "work", "problem": "wages", "other_counsel": "no",
                "applicant_name": "压测申请人", "applicant_id_number": id_number(self.rng),
                "groups": ["migrant_worker"], "stage": "arbitration", "handling_organ": "劳动人事争议仲裁委员会",
                "opposing_party": "某建筑公司", "amount_claimed": "36000", "people_count": "1",
                "facts": "在工地干活，老板拖欠工资。", "address": "平顶山市卫东区建设路1号"}

    @task(1)
    def apply(self):
        """Start a draft (which redirects straight to the first question), then answer each question on
        its own page as a person would (look at it, post the answer, follow the redirect) until the
        review page, and send it."""
        response = self.post_form("/portal/apply/start/", {})
        location = response.headers.get("Location", "")
        match = re.search(r"/apply/([^/]+)/", location)
        if not match:
            return
        draft = match.group(1)
        answers = self.answers()
        for _step in range(40):
            if not location or location.endswith("/review/"):
                break
            self.client.get(location, name="/portal/apply/[draft]/q/[key]/ (view)")
            key = location.rstrip("/").rsplit("/", 1)[-1]
            data = {"answer": answers.get(key, "")} if key != "materials" else {"action": "continue"}
            response = self.post_form(location, data, name="/portal/apply/[draft]/q/[key]/")
            location = response.headers.get("Location", "")
        if not location.endswith("/review/"):
            return
        self.client.get(location, name="/portal/apply/[draft]/review/")
        done = self.post_form(location, {}, name="/portal/apply/[draft]/review/ (submit)")
        if done.status_code == 302:
            self.client.get(done.headers["Location"], name="/portal/apply/[draft]/sent/")
            self.applications.append(draft)

    @task(3)
    def track(self):
        self.client.get("/portal/track/")
        self.client.get("/portal/mine/")


class Staff(PortalClient):
    """A member of staff at work: queues, records, the dashboard. Each simulated user has its own session."""

    weight = 2
    wait_time = between(2, 8)
    _next = 0

    def on_start(self):
        usernames = [name for name in STAFF if STAFF[name]["sessions"]]
        Staff._next += 1
        self.username = usernames[Staff._next % len(usernames)]
        account = STAFF[self.username]
        self.client.cookies.set("sessionid", account["sessions"][Staff._next % len(account["sessions"])])
        self.applications = account["applications"] or [0]
        self.cases = account["cases"] or [0]

    @task
    def work(self):
        getattr(self, f"as_{self.username}")()

    def as_reviewer(self):
        self.client.get(random.choice(("/legal-aid/", "/legal-aid/?queue=new", "/legal-aid/?queue=overdue")),
                        name="/legal-aid/?queue=")
        self.client.get(f"/legal-aid/{random.choice(self.applications)}/", name="/legal-aid/[id]/")

    def as_director(self):
        self.client.get("/legal-aid/cases/assignments/")
        self.client.get("/legal-aid/cases/", name="/legal-aid/cases/")
        self.client.get(f"/legal-aid/cases/{random.choice(self.cases)}/", name="/legal-aid/cases/[id]/")

    def as_lawyer(self):
        self.client.get("/legal-aid/cases/", name="/legal-aid/cases/")
        self.client.get(f"/legal-aid/cases/{random.choice(self.cases)}/", name="/legal-aid/cases/[id]/")
        self.client.get("/legal-aid/cases/deadlines/")

    def as_hotlinelead(self):
        self.client.get("/hotline/")
        self.client.get("/hotline/callbacks/")

    def as_leader(self):
        self.client.get("/dashboard/")
        self.client.get("/dashboard/legal-aid/")
