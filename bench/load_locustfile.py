"""The load scenario run by bench/load.py: members browsing, posting, liking, searching and
chatting through the API and the pages, each with its own JWT (members seeded by bench/feed.py).

Requests go through nginx, which terminates TLS and sets ``X-Forwarded-Proto``; each also
carries ``X-Forwarded-Proto: https`` itself, for a run straight against a server. Each request is named by endpoint, so the figures are per endpoint.
"""

import itertools
import os
import random
import uuid

import urllib3
from locust import HttpUser, between, task

urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)

PASSWORD = os.environ["LOAD_PASSWORD"]
USERNAMES = itertools.cycle(os.environ["LOAD_USERNAMES"].split(","))
SEARCH_TERMS = ["산책", "강아지", "ㄱㅇㅈ", "#산책", "고양이", "walk"]
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


class Member(HttpUser):
    wait_time = between(0.5, 2.0)

    def on_start(self):
        # Through nginx's self-signed certificate (bench/load.py); no CA bundle from the environment.
        self.client.verify = False
        self.client.trust_env = False
        self.username = next(USERNAMES)
        response = self.client.post(
            "/api/auth/token/",
            json={"username": self.username, "password": PASSWORD},
            headers=PROXY_HEADERS,
            name="POST /api/auth/token/",
        )
        self.headers = {**PROXY_HEADERS, "Authorization": f"Bearer {response.json()['access']}"}
        self.post_ids: list[int] = []
        self.room_id = None

    def api(self, method: str, path: str, name: str, **kwargs):
        return self.client.request(method, path, headers=self.headers, name=name, **kwargs)

    @task(6)
    def browse_feed(self):
        response = self.api("GET", "/api/feed/latest/", "GET /api/feed/latest/")
        if response.ok:
            self.post_ids = [post["id"] for post in response.json()["results"]]

    @task(3)
    def browse_home_page(self):
        self.client.get("/", headers=PROXY_HEADERS, name="GET / (home page)")

    @task(1)
    def post(self):
        self.api(
            "POST",
            "/api/posts/",
            "POST /api/posts/",
            json={"text": f"부하 시험 산책 기록 #산책 {uuid.uuid4().hex[:6]}"},
        )

    @task(3)
    def like(self):
        if self.post_ids:
            post_id = random.choice(self.post_ids)  # noqa: S311 - load pattern, not a secret
            self.api("POST", f"/api/posts/{post_id}/like/", "POST /api/posts/{id}/like/")

    @task(3)
    def search(self):
        term = random.choice(SEARCH_TERMS)  # noqa: S311 - load pattern, not a secret
        self.api("GET", "/api/search/", "GET /api/search/", params={"q": term})

    @task(3)
    def chat(self):
        if self.room_id is None:
            partner = next(USERNAMES)
            if partner == self.username:
                return
            response = self.api(
                "POST", "/api/chat/direct/", "POST /api/chat/direct/", json={"username": partner}
            )
            if not response.ok:
                return
            self.room_id = response.json()["id"]
        path = f"/api/chat/rooms/{self.room_id}/messages/"
        self.api(
            "POST",
            path,
            "POST /api/chat/rooms/{id}/messages/",
            json={"client_id": str(uuid.uuid4()), "text": "같이 산책해요"},
        )
        self.api("GET", path, "GET /api/chat/rooms/{id}/messages/")
