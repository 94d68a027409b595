"""A stand-in for GitHub's REST API (issues, comments, labels, sub-issues) with state
across requests, answering in GitHub's shapes so the unmodified PyGithub can talk to it."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

from tests.servers.base import Recorded, Reply, StubServer

REPO = "Codertocat/Hello-World"
ACTIONS_BOT = {"login": "github-actions[bot]", "id": 41898282, "type": "Bot"}
OWNER = {"login": "octocat", "id": 1, "type": "User"}


class GitHubServer(StubServer):
    """``login`` None stands for an installation token (``GITHUB_TOKEN``): ``GET /user``
    is refused and what it creates is authored by the Actions bot (or ``bot``, an app's
    installation token); a login stands for a personal token of that user."""

    def __init__(
        self, token: str = "", login: str | None = None, bot: dict[str, Any] | None = None
    ) -> None:
        super().__init__()
        self.token = token
        self.login = login
        self.account = (
            {"login": login, "id": 7, "type": "User"} if login is not None else bot or ACTIONS_BOT
        )
        self.issues: dict[int, dict[str, Any]] = {}
        self.comments: dict[int, dict[str, Any]] = {}
        self.labels: dict[str, dict[str, Any]] = {}
        self.sub_issues: dict[int, list[int]] = {}
        self._next_id = 5000

    # ---------------------------------------------------------------- state helpers

    def _id(self) -> int:
        self._next_id += 1
        return self._next_id

    def html(self, number: int) -> str:
        return f"https://github.com/{REPO}/issues/{number}"

    def add_issue(
        self,
        number: int,
        title: str,
        body: str,
        labels: list[str] | None = None,
        pull_request: bool = False,
        author: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        issue = {
            "id": self._id(),
            "node_id": f"I_{number}",
            "number": number,
            "title": title,
            "body": body,
            "state": "open",
            "locked": False,
            "comments": 0,
            "url": f"{self.url}/repos/{REPO}/issues/{number}",
            "html_url": self.html(number),
            "labels": [self._label(name) for name in labels or []],
            "user": dict(author or OWNER),
            "created_at": "2026-11-20T10:00:00Z",
            "updated_at": "2026-11-20T10:00:00Z",
        }
        if pull_request:
            issue["pull_request"] = {"url": f"{self.url}/repos/{REPO}/pulls/{number}"}
        self.issues[number] = issue
        return issue

    def _label(self, name: str) -> dict[str, Any]:
        return self.labels.setdefault(
            name,
            {
                "id": self._id(),
                "name": name,
                "color": "ededed",
                "description": "",
                "url": f"{self.url}/repos/{REPO}/labels/{name}",
                "default": False,
            },
        )

    def labelled(self, name: str) -> list[dict[str, Any]]:
        return [i for i in self.issues.values() if any(x["name"] == name for x in i["labels"])]

    def comments_on(self, number: int) -> list[dict[str, Any]]:
        return [c for c in self.comments.values() if c["issue"] == number]

    def add_comment(
        self, number: int, body: str, author: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        comment_id = self._id()
        comment = {
            "id": comment_id,
            "node_id": f"IC_{comment_id}",
            "body": body,
            "issue": number,
            "html_url": f"{self.html(number)}#issuecomment-{comment_id}",
            "url": f"{self.url}/repos/{REPO}/issues/comments/{comment_id}",
            "issue_url": f"{self.url}/repos/{REPO}/issues/{number}",
            "user": dict(author or OWNER),
            "created_at": "2026-11-20T10:00:00Z",
            "updated_at": "2026-11-20T10:00:00Z",
        }
        self.comments[comment_id] = comment
        return comment

    # ---------------------------------------------------------------- routing

    def handle(self, request: Recorded) -> Reply:
        if (
            self.token
            and request.headers.get("authorization") != f"token {self.token}"
            and request.headers.get("authorization") != f"Bearer {self.token}"
        ):
            return Reply(401, {"message": "Bad credentials"})
        path = request.path.removeprefix("/api/v3")
        if path == "/user" and request.method == "GET":
            if self.login is None:
                return Reply(403, {"message": "Resource not accessible by integration"})
            return Reply(200, dict(self.account))
        prefix = f"/repos/{REPO}"
        if not path.startswith(prefix):
            return Reply(404, {"message": "Not Found"})
        rest = path[len(prefix) :]
        routes: list[tuple[str, str, Any]] = [
            ("GET", r"/issues", self.list_issues),
            ("POST", r"/issues", self.create_issue),
            ("GET", r"/issues/comments/(\d+)", self.get_comment),
            ("PATCH", r"/issues/comments/(\d+)", self.edit_comment),
            ("DELETE", r"/issues/comments/(\d+)", self.delete_comment),
            ("GET", r"/issues/(\d+)", self.get_issue),
            ("PATCH", r"/issues/(\d+)", self.edit_issue),
            ("GET", r"/issues/(\d+)/comments", self.list_comments),
            ("POST", r"/issues/(\d+)/comments", self.create_comment),
            ("POST", r"/issues/(\d+)/labels", self.add_labels),
            ("GET", r"/issues/(\d+)/sub_issues", self.list_sub_issues),
            ("POST", r"/issues/(\d+)/sub_issues", self.add_sub_issue),
            ("GET", r"/labels/(.+)", self.get_label),
            ("POST", r"/labels", self.create_label),
        ]
        for method, pattern, handler in routes:
            match = re.fullmatch(pattern, rest)
            if method == request.method and match:
                reply: Reply = handler(request, *match.groups())
                return reply
        return Reply(404, {"message": "Not Found"})

    def _issue_or_404(self, number: str) -> dict[str, Any] | None:
        return self.issues.get(int(number))

    def list_issues(self, request: Recorded) -> Reply:
        state = request.query.get("state", ["open"])[0]
        wanted = request.query.get("labels", [""])[0]
        creator = request.query.get("creator", [""])[0]
        found = [
            i
            for i in sorted(self.issues.values(), key=lambda i: -i["number"])
            if (state == "all" or i["state"] == state)
            and (not creator or i["user"]["login"] == creator)
            and (
                not wanted
                or all(any(x["name"] == w for x in i["labels"]) for w in wanted.split(","))
            )
        ]
        return Reply(200, found)

    def create_issue(self, request: Recorded) -> Reply:
        data = request.json()
        if not data.get("title"):
            return Reply(
                422,
                {
                    "message": "Validation Failed",
                    "errors": [{"field": "title", "code": "missing_field"}],
                },
            )
        number = max(self.issues, default=0) + 1
        issue = self.add_issue(
            number,
            data["title"],
            data.get("body") or "",
            list(data.get("labels") or []),
            author=self.account,
        )
        return Reply(201, issue)

    def get_issue(self, request: Recorded, number: str) -> Reply:
        issue = self._issue_or_404(number)
        return Reply(200, issue) if issue else Reply(404, {"message": "Not Found"})

    def edit_issue(self, request: Recorded, number: str) -> Reply:
        issue = self._issue_or_404(number)
        if issue is None:
            return Reply(404, {"message": "Not Found"})
        data = request.json()
        for key in ("title", "body", "state"):
            if key in data:
                issue[key] = data[key]
        return Reply(200, issue)

    def list_comments(self, request: Recorded, number: str) -> Reply:
        if self._issue_or_404(number) is None:
            return Reply(404, {"message": "Not Found"})
        return Reply(200, self.comments_on(int(number)))

    def create_comment(self, request: Recorded, number: str) -> Reply:
        if self._issue_or_404(number) is None:
            return Reply(404, {"message": "Not Found"})
        comment = self.add_comment(int(number), request.json()["body"], author=self.account)
        return Reply(201, comment)

    def get_comment(self, request: Recorded, comment_id: str) -> Reply:
        comment = self.comments.get(int(comment_id))
        return Reply(200, comment) if comment else Reply(404, {"message": "Not Found"})

    def edit_comment(self, request: Recorded, comment_id: str) -> Reply:
        comment = self.comments.get(int(comment_id))
        if comment is None:
            return Reply(404, {"message": "Not Found"})
        comment["body"] = request.json()["body"]
        return Reply(200, comment)

    def delete_comment(self, request: Recorded, comment_id: str) -> Reply:
        if self.comments.pop(int(comment_id), None) is None:
            return Reply(404, {"message": "Not Found"})
        return Reply(204)

    def add_labels(self, request: Recorded, number: str) -> Reply:
        """Labels added to an issue (a list of names, or ``{"labels": [...]}``); a label
        that does not exist yet is created, as GitHub does. Adding one twice keeps one."""
        issue = self._issue_or_404(number)
        if issue is None:
            return Reply(404, {"message": "Not Found"})
        data = request.json()
        names = data.get("labels", []) if isinstance(data, dict) else data
        for name in names:
            if not any(x["name"] == name for x in issue["labels"]):
                issue["labels"].append(self._label(name))
        return Reply(200, issue["labels"])

    def list_sub_issues(self, request: Recorded, number: str) -> Reply:
        return Reply(200, [self.issues[n] for n in self.sub_issues.get(int(number), [])])

    def add_sub_issue(self, request: Recorded, number: str) -> Reply:
        sub_id = request.json()["sub_issue_id"]
        child = next((i for i in self.issues.values() if i["id"] == sub_id), None)
        if child is None or int(number) not in self.issues:
            return Reply(422, {"message": "Validation Failed"})
        children = self.sub_issues.setdefault(int(number), [])
        if len(children) >= 100:
            return Reply(422, {"message": "Parent issue already has the maximum sub-issues"})
        children.append(child["number"])
        return Reply(201, child)

    def get_label(self, request: Recorded, name: str) -> Reply:
        label = self.labels.get(unquote(name))
        return Reply(200, label) if label else Reply(404, {"message": "Not Found"})

    def create_label(self, request: Recorded) -> Reply:
        data = request.json()
        if data["name"] in self.labels:
            return Reply(
                422,
                {
                    "message": "Validation Failed",
                    "errors": [{"resource": "Label", "code": "already_exists", "field": "name"}],
                },
            )
        label = self._label(data["name"])
        label.update(color=data.get("color", "ededed"), description=data.get("description", ""))
        return Reply(201, label)
