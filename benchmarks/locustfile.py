"""The storm-day user mix for locust; `benchmarks/storm_day.py` starts it and reads its figures.

It needs two environment variables the runner writes: STORM_DATA (a JSON file of diagnosis paths,
postcodes, reports to look up and staff sessions taken from the loaded database) and STORM_PLAN (how
many users of each kind and how often each starts its visit). Every request is named for the page it
asks for, so the figures come out per endpoint. Finished visits are counted apart (written to
STORM_VISITS when the test stops), which is how the runner tells whether the planned rate was held.

Every resident visit starts with no cookies and its own client address in X-Forwarded-For (the
gunicorn under test trusts one proxy hop), as residents behind a proxy would arrive.
"""

from __future__ import annotations

import html
import json
import os
import random
import re
import time
from itertools import count

from locust import HttpUser, constant_pacing, events, task

DATA = json.loads(open(os.environ["STORM_DATA"]).read()) if os.environ.get("STORM_DATA") else {}  # noqa: SIM115
PLAN = json.loads(os.environ.get("STORM_PLAN", "{}"))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SUBMISSION = re.compile(r'name="submission" value="([^"]+)"')
CHOICE = re.compile(r'<option value="(\d+)"|name="choice"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="choice"')
SLOT = re.compile(r'name="slot"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="slot"')
STATUS_LINK = re.compile(r'href="(/repairs/status/[A-Za-z0-9_\-]+/)"')
STAFF_SESSIONS = count()


def planned(kind: str) -> tuple[int, float]:
    entry = PLAN.get(kind, {"users": 0, "pacing": 60.0})
    return entry["users"], entry["pacing"]


def first_group(match: re.Match | None) -> str:
    return next((g for g in match.groups() if g), "") if match else ""


VISITS: dict[str, list[float]] = {}


def record_visit(name: str, started: float) -> None:
    VISITS.setdefault(name, []).append(time.perf_counter() - started)


@events.test_stop.add_listener
def write_visits(environment, **kwargs) -> None:
    """Visits finished, their seconds, and the seconds the test sent requests, for the runner."""
    total = environment.stats.total
    seconds = (total.last_request_timestamp or total.start_time) - total.start_time
    if os.environ.get("STORM_VISITS"):
        with open(os.environ["STORM_VISITS"], "w") as out:
            json.dump({"seconds": seconds, "visits": VISITS}, out)


class Resident(HttpUser):
    abstract = True

    def new_resident(self) -> None:
        self.client.cookies.clear()
        address = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"
        self.client.headers["X-Forwarded-For"] = address

    def page(self, url: str, name: str, *, expect: int = 200) -> str:
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != expect:
                response.failure(f"{url} answered {response.status_code}, not {expect}")
                raise StopVisit
            self.last_location = response.headers.get("Location", "")
            return response.text

    def post(self, url: str, data: dict, name: str, page_html: str) -> str:
        """POST a form as a browser would (with the page's CSRF token); returns the redirect's target."""
        token = CSRF.search(page_html)
        fields = dict(data, csrfmiddlewaretoken=html.unescape(token.group(1)) if token else "")
        with self.client.post(
            url, data=fields, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 302:
                snippet = re.sub(r"\s+", " ", response.text)[:300]
                response.failure(f"{url} answered {response.status_code}, not a redirect: {snippet}")
                raise StopVisit
            return response.headers["Location"]

    def diagnose(self, walk: dict) -> str:
        """Home page, start page, each question (read, then answered), the outcome; returns its HTML."""
        self.page("/", "home page")
        self.page(walk["start"], "diagnosis start page")
        for question, answer in walk["steps"]:
            text = self.page(question, "diagnosis question")
            self.post(question, {"answer": answer}, "diagnosis answer (POST)", text)
        return self.page(walk["outcome"], walk["outcome_kind"])


class StopVisit(Exception):
    """The visit met an error (already recorded as a failure) and goes no further."""


class Reporter(Resident):
    """Diagnoses a repair in their home, reports it through every page and opens its status page."""

    fixed_count, pacing = planned("reporter")
    wait_time = constant_pacing(pacing)

    @task
    def report(self) -> None:
        started = time.perf_counter()
        self.new_resident()
        try:
            self.diagnose(random.choice(DATA["report_walks"]))
            self.journey()
        except StopVisit:
            return
        record_visit("reporter", started)

    def journey(self) -> None:
        self.page("/repairs/report/", "journey start", expect=302)
        url = self.last_location
        postcode = random.choice(DATA["postcodes"])
        for _ in range(20):
            step = url.rstrip("/").rsplit("/", 1)[-1]
            if step == "confirmation":
                text = self.page(url, "journey confirmation")
                link = STATUS_LINK.search(text)
                if link:
                    self.page(link.group(1), "status page (by link)")
                return
            text = self.page(url, f"journey {step}")
            answer = self.answer(step, text, postcode)
            url = self.post(url, answer, f"journey {step} (POST)", text)
        raise StopVisit

    @staticmethod
    def answer(step: str, text: str, postcode: str) -> dict:
        if step == "postcode":
            return {"postcode": postcode}
        if step == "address":
            homes = [first_group(m) for m in CHOICE.finditer(text)]
            return {"choice": random.choice([h for h in homes if h] or ["not_listed"])}
        if step == "description":
            return {"description": "Water is dripping from the ceiling since the storm last night"}
        if step == "household":
            return {"choice": "no"}
        if step == "photos":
            return {"action": "continue"}
        if step == "access":
            return {"access_notes": "Ring the bell twice"}
        if step == "contact-details":
            return {"contact_name": "Storm Resident", "contact_phone": ""}
        if step == "updates":
            return {"update_preference": "email", "contact_email": "storm.resident@example.invalid"}
        if step == "appointment":
            slots = [first_group(m) for m in SLOT.finditer(text)]
            free = [s for s in slots if s and s != "none"]
            return {"slot": random.choice(free)} if free else {"slot": "none"}
        if step == "check-your-answers":
            return {"submission": html.unescape(first_group(SUBMISSION.search(text)))}
        return {}


class SelfHelper(Resident):
    """Diagnoses a problem that ends in self-help or advice and reads it; reports nothing."""

    fixed_count, pacing = planned("self_helper")
    wait_time = constant_pacing(pacing)

    @task
    def read_advice(self) -> None:
        started = time.perf_counter()
        self.new_resident()
        try:
            self.diagnose(random.choice(DATA["advice_walks"]))
        except StopVisit:
            return
        record_visit("self_helper", started)


class Chaser(Resident):
    """Follows up a repair: most open the link in their email or text, some type the reference."""

    fixed_count, pacing = planned("chaser")
    wait_time = constant_pacing(pacing)

    @task
    def chase(self) -> None:
        started = time.perf_counter()
        self.new_resident()
        reference, postcode, token = random.choice(DATA["lookups"])
        try:
            if random.random() < DATA["lookup_by_reference_share"]:
                text = self.page("/repairs/status/", "status look-up form")
                target = self.post(
                    "/repairs/status/",
                    {"reference": reference, "postcode": postcode},
                    "status look-up (POST)",
                    text,
                )
                self.page(target, "status page (by look-up)")
            else:
                self.page(f"/repairs/status/{token}/", "status page (by link)")
        except StopVisit:
            return
        record_visit("chaser", started)


class Staff(HttpUser):
    """A signed-in repairs manager or agent working the queue: page 1, a filtered view, deep pages."""

    fixed_count, pacing = planned("staff")
    wait_time = constant_pacing(pacing)

    def on_start(self) -> None:
        sessions = DATA["staff_sessions"]
        self.client.cookies.set("sessionid", sessions[next(STAFF_SESSIONS) % len(sessions)])

    @task
    def work_the_queue(self) -> None:
        started = time.perf_counter()
        roll = random.random()
        if roll < 0.6:
            url, name = DATA["queue"]["page1"], "back-office queue page 1"
        elif roll < 0.9:
            url, name = DATA["queue"]["filtered"], "back-office queue filtered"
        else:
            url, name = DATA["queue"]["deep"], "back-office queue page 10,000"
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{url} answered {response.status_code}")
                return
        record_visit("staff", started)


class Ceiling(HttpUser):
    """The bare Django view, asked at a steady rate throughout: the ceiling every page is compared with."""

    fixed_count, pacing = planned("bare")
    wait_time = constant_pacing(pacing)

    @task
    def bare(self) -> None:
        self.client.get("/bench/bare/", name="bare view")
