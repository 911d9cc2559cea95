"""A Locust scenario against a running server (bench/load_test.py starts one and runs this):
visitors browse and search, some sign up, and an organisation's owner requests a room.

    .venv/bin/locust -f bench/locustfile.py --host http://127.0.0.1:8000 --headless -u 8 -t 30s

Needs the demo data (``flask --app wsgi demo``: the owner's account and the rooms). A 4xx answer
of the forms (a slot already taken, a rate limit) is an expected outcome; only 5xx and
connection errors count as failures.
"""

from __future__ import annotations

import itertools
import random
import re
from datetime import date, timedelta

from locust import HttpUser, between, task

DEMO_OWNER = "fundacja@demo.wspolnie.pl"
DEMO_PASSWORD = "Wspolnie-demo-2026"
QUERIES = ["seniorzy", "dzieci", "sala", "fundacja", "księgowość", "Rubinkowo", "sport"]
_numbers = itertools.count(1)


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html) or re.search(
        r'<meta name="csrf-token" content="([^"]+)"', html
    )
    return match.group(1) if match else ""


def expected(response, *codes: int) -> None:
    """Only server errors are failures: a refusal of a form is a normal answer."""
    if response.status_code >= 500 or response.status_code == 0:
        response.failure(f"{response.status_code}")
    elif codes and response.status_code not in codes and response.status_code < 400:
        response.failure(f"unexpected {response.status_code}")
    else:
        response.success()


class Visitor(HttpUser):
    weight = 8
    wait_time = between(0.2, 1.0)

    @task(4)
    def browse(self):
        self.client.get("/", name="home")
        page = self.client.get("/organizacje/", name="organisations")
        slugs = re.findall(r'href="/organizacje/([a-z0-9-]+)"', page.text)
        if slugs:
            self.client.get(f"/organizacje/{random.choice(slugs)}", name="organisation profile")
        self.client.get("/wolontariat/", name="volunteering")
        self.client.get("/przestrzenie/", name="spaces")

    @task(3)
    def search(self):
        self.client.get("/szukaj/", params={"q": random.choice(QUERIES)}, name="search")

    @task(1)
    def sign_up(self):
        form = self.client.get("/konto/rejestracja", name="sign-up form")
        number = next(_numbers)
        with self.client.post(
            "/konto/rejestracja",
            data={
                "csrf_token": csrf_token(form.text),
                "name": f"Osoba Testowa {number}",
                "email": f"load-{random.randrange(10**9)}-{number}@example.org",
                "password": "Obciazenie-test-2026",
                "password_confirm": "Obciazenie-test-2026",
                "accept_privacy": "y",
            },
            name="sign up",
            catch_response=True,
            allow_redirects=False,
        ) as response:
            expected(response, 200, 302, 303)


class OrganisationOwner(HttpUser):
    weight = 1
    wait_time = between(0.5, 2.0)

    def on_start(self):
        form = self.client.get("/konto/logowanie", name="login form")
        self.client.post(
            "/konto/logowanie",
            data={"csrf_token": csrf_token(form.text), "email": DEMO_OWNER,
                  "password": DEMO_PASSWORD},
            name="log in",
        )  # fmt: skip

    @task
    def request_a_room(self):
        catalogue = self.client.get("/przestrzenie/", name="spaces")
        slugs = re.findall(r'href="/przestrzenie/sala/([a-z0-9-]+)"', catalogue.text)
        if not slugs:
            return
        slug = random.choice(slugs)
        form = self.client.get(f"/przestrzenie/sala/{slug}/rezerwuj", name="booking form")
        organisation = re.search(r'<option value="(\d+)"', form.text)
        day = date.today() + timedelta(days=random.randrange(7, 120))
        hour = random.randrange(8, 19)
        with self.client.post(
            f"/przestrzenie/sala/{slug}/rezerwuj",
            data={
                "csrf_token": csrf_token(form.text),
                "organisation": organisation.group(1) if organisation else "",
                "purpose": "Spotkanie wolontariuszy (test obciążenia)",
                "people": "8",
                "day": day.isoformat(),
                "start": f"{hour:02d}:00",
                "end": f"{hour + 1:02d}:00",
                "recurrence": "once",
                "count": "1",
            },
            name="request a room",
            catch_response=True,
            allow_redirects=False,
        ) as response:
            expected(response)
