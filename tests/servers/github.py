"""A stand-in for GitHub's REST API (issues, comments, labels, sub-issues, milestones; the
Git Data API and pull requests; GraphQL for Projects in ``projects``) with state across
requests, answering in GitHub's shapes so the unmodified PyGithub can talk to it."""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any
from urllib.parse import unquote

from tests.servers.base import Recorded, Reply, StubServer
from tests.servers.projects import ProjectsBoard

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
        self.blocked_by: dict[int, list[int]] = {}  # issue number -> its blockers' numbers
        self.issue_types: list[str] = []  # the organisation's issue types (none: a user)
        self.milestones: dict[int, dict[str, Any]] = {}
        self.board = ProjectsBoard(self.issues)  # Projects (v2), over GraphQL
        self._next_id = 5000
        # The Git Data API: blobs by sha, trees as flat {path: blob sha}, commits, branches.
        self.blobs: dict[str, bytes] = {}
        self.trees: dict[str, dict[str, str]] = {}
        self.commits: dict[str, dict[str, Any]] = {}
        self.branches: dict[str, str] = {}
        self.pulls: dict[int, dict[str, Any]] = {}
        self.default_branch = "main"
        readme = self._store_blob(b"# Hello-World\n")
        root = self._store_tree({"README.md": readme})
        self.branches["main"] = self._store_commit("Initial commit", root, [])

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
            "milestone": None,
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

    def add_milestone(
        self, title: str, description: str = "", state: str = "open"
    ) -> dict[str, Any]:
        number = max(self.milestones, default=0) + 1
        milestone = {
            "url": f"{self.url}/repos/{REPO}/milestones/{number}",
            "html_url": f"https://github.com/{REPO}/milestone/{number}",
            "labels_url": f"{self.url}/repos/{REPO}/milestones/{number}/labels",
            "id": self._id(),
            "node_id": f"MI_{number}",
            "number": number,
            "title": title,
            "description": description,
            "creator": dict(self.account),
            "open_issues": 0,
            "closed_issues": 0,
            "state": state,
            "created_at": "2026-11-20T10:00:00Z",
            "updated_at": "2026-11-20T10:00:00Z",
            "due_on": None,
            "closed_at": None,
        }
        self.milestones[number] = milestone
        return milestone

    def in_milestone(self, title: str) -> list[int]:
        """The numbers of the issues in the milestone of that title."""
        return sorted(
            n for n, i in self.issues.items() if i["milestone"] and i["milestone"]["title"] == title
        )

    def labelled(self, name: str) -> list[dict[str, Any]]:
        return [i for i in self.issues.values() if any(x["name"] == name for x in i["labels"])]

    def comments_on(self, number: int) -> list[dict[str, Any]]:
        return [c for c in self.comments.values() if c["issue"] == number]

    def add_comment(
        self,
        number: int,
        body: str,
        author: dict[str, Any] | None = None,
        association: str | None = None,
    ) -> dict[str, Any]:
        """A comment on issue ``number``; ``association``: the author's to the repository,
        as GitHub gives it (OWNER for the repository's owner, NONE for anyone else unless
        told: MEMBER, COLLABORATOR, CONTRIBUTOR, ...)."""
        user = dict(author or OWNER)
        if association is None:
            association = "OWNER" if user["login"] == OWNER["login"] else "NONE"
        comment_id = self._id()
        comment = {
            "id": comment_id,
            "node_id": f"IC_{comment_id}",
            "body": body,
            "issue": number,
            "html_url": f"{self.html(number)}#issuecomment-{comment_id}",
            "url": f"{self.url}/repos/{REPO}/issues/comments/{comment_id}",
            "issue_url": f"{self.url}/repos/{REPO}/issues/{number}",
            "user": user,
            "author_association": association,
            "created_at": "2026-11-20T10:00:00Z",
            "updated_at": "2026-11-20T10:00:00Z",
        }
        self.comments[comment_id] = comment
        return comment

    # ---------------------------------------------------------------- git objects

    def _store_blob(self, content: bytes) -> str:
        sha = hashlib.sha1(b"blob %d\0" % len(content) + content).hexdigest()
        self.blobs[sha] = content
        return sha

    def _store_tree(self, entries: dict[str, str]) -> str:
        listing = "".join(f"{path}\0{sha}\n" for path, sha in sorted(entries.items()))
        sha = hashlib.sha1(b"tree " + listing.encode()).hexdigest()
        self.trees[sha] = dict(entries)
        return sha

    def _store_commit(self, message: str, tree: str, parents: list[str]) -> str:
        text = f"{tree}\n{','.join(parents)}\n{message}\n{len(self.commits)}"
        sha = hashlib.sha1(b"commit " + text.encode()).hexdigest()
        self.commits[sha] = {"message": message, "tree": tree, "parents": list(parents)}
        return sha

    def files_at(self, branch: str) -> dict[str, str]:
        """The files a branch holds, as text."""
        tree = self.trees[self.commits[self.branches[branch]]["tree"]]
        return {path: self.blobs[sha].decode() for path, sha in tree.items()}

    def _tree_json(self, sha: str) -> dict[str, Any]:
        return {
            "sha": sha,
            "url": f"{self.url}/repos/{REPO}/git/trees/{sha}",
            "truncated": False,
            "tree": [
                {"path": path, "mode": "100644", "type": "blob", "sha": blob, "size": 0}
                for path, blob in sorted(self.trees[sha].items())
            ],
        }

    def _commit_json(self, sha: str) -> dict[str, Any]:
        commit = self.commits[sha]
        person = {
            "name": "github-actions[bot]",
            "email": "bot@example.com",
            "date": "2026-11-20T10:00:00Z",
        }
        return {
            "sha": sha,
            "node_id": f"C_{sha[:8]}",
            "url": f"{self.url}/repos/{REPO}/git/commits/{sha}",
            "html_url": f"https://github.com/{REPO}/commit/{sha}",
            "message": commit["message"],
            "tree": {
                "sha": commit["tree"],
                "url": f"{self.url}/repos/{REPO}/git/trees/{commit['tree']}",
            },
            "parents": [
                {"sha": p, "url": f"{self.url}/repos/{REPO}/git/commits/{p}"}
                for p in commit["parents"]
            ],
            "author": person,
            "committer": person,
        }

    def _ref_json(self, branch: str) -> dict[str, Any]:
        sha = self.branches[branch]
        return {
            "ref": f"refs/heads/{branch}",
            "node_id": f"REF_{branch}",
            "url": f"{self.url}/repos/{REPO}/git/refs/heads/{branch}",
            "object": {
                "sha": sha,
                "type": "commit",
                "url": f"{self.url}/repos/{REPO}/git/commits/{sha}",
            },
        }

    def get_repo(self, request: Recorded) -> Reply:
        owner, name = REPO.split("/")
        return Reply(
            200,
            {
                "id": 1296269,
                "name": name,
                "full_name": REPO,
                "owner": {"login": owner, "id": 21031067, "type": "User"},
                "default_branch": self.default_branch,
                "url": f"{self.url}/repos/{REPO}",
                "html_url": f"https://github.com/{REPO}",
                "private": False,
            },
        )

    def create_blob(self, request: Recorded) -> Reply:
        data = request.json()
        if data.get("encoding") not in ("utf-8", "base64"):
            return Reply(422, {"message": "Validation Failed"})
        sha = self._store_blob(data["content"].encode())
        return Reply(201, {"sha": sha, "url": f"{self.url}/repos/{REPO}/git/blobs/{sha}"})

    def get_tree(self, request: Recorded, sha: str) -> Reply:
        return (
            Reply(200, self._tree_json(sha))
            if sha in self.trees
            else Reply(404, {"message": "Not Found"})
        )

    def create_tree(self, request: Recorded) -> Reply:
        data = request.json()
        base = data.get("base_tree")
        if base is not None and base not in self.trees:
            return Reply(422, {"message": "Invalid tree info"})
        entries = dict(self.trees[base]) if base else {}
        for item in data["tree"]:
            if "sha" in item and item["sha"] is None:
                # GitHub deletes the path, and refuses a path the tree does not hold.
                if entries.pop(item["path"], None) is None:
                    return Reply(422, {"message": "GitRPC::BadObjectState"})
                continue
            if item.get("sha") not in self.blobs or item.get("type") != "blob":
                return Reply(422, {"message": "Invalid tree info"})
            entries[item["path"]] = item["sha"]
        return Reply(201, self._tree_json(self._store_tree(entries)))

    def get_contents(self, request: Recorded, path: str) -> Reply:
        """A file of the tree at ``ref`` (a commit or a branch), as GitHub's contents API
        answers for a file."""
        ref = request.query.get("ref", ["main"])[0]
        commit = self.branches.get(ref, ref)
        if commit not in self.commits:
            return Reply(404, {"message": "No commit found for the ref " + ref})
        blob = self.trees[self.commits[commit]["tree"]].get(path)
        if blob is None:
            return Reply(404, {"message": "Not Found"})
        content = self.blobs[blob]
        return Reply(
            200,
            {
                "type": "file",
                "encoding": "base64",
                "size": len(content),
                "name": path.rsplit("/", 1)[-1],
                "path": path,
                "content": base64.b64encode(content).decode(),
                "sha": blob,
                "url": f"{self.url}/repos/{REPO}/contents/{path}?ref={ref}",
            },
        )

    def get_commit(self, request: Recorded, sha: str) -> Reply:
        return (
            Reply(200, self._commit_json(sha))
            if sha in self.commits
            else Reply(404, {"message": "Not Found"})
        )

    def create_commit(self, request: Recorded) -> Reply:
        data = request.json()
        if data["tree"] not in self.trees or any(p not in self.commits for p in data["parents"]):
            return Reply(422, {"message": "Validation Failed"})
        sha = self._store_commit(data["message"], data["tree"], data["parents"])
        return Reply(201, self._commit_json(sha))

    def get_ref(self, request: Recorded, branch: str) -> Reply:
        if branch not in self.branches:
            return Reply(404, {"message": "Not Found"})
        return Reply(200, self._ref_json(branch))

    def create_ref(self, request: Recorded) -> Reply:
        data = request.json()
        branch = str(data["ref"]).removeprefix("refs/heads/")
        if branch in self.branches:
            return Reply(422, {"message": "Reference already exists"})
        if data["sha"] not in self.commits:
            return Reply(422, {"message": "Object does not exist"})
        self.branches[branch] = data["sha"]
        return Reply(201, self._ref_json(branch))

    def update_ref(self, request: Recorded, branch: str) -> Reply:
        data = request.json()
        if branch not in self.branches:
            return Reply(422, {"message": "Reference does not exist"})
        if data["sha"] not in self.commits:
            return Reply(422, {"message": "Object does not exist"})
        ancestors, todo = set(), [data["sha"]]
        while todo:
            sha = todo.pop()
            ancestors.add(sha)
            todo += self.commits[sha]["parents"]
        if not data.get("force") and self.branches[branch] not in ancestors:
            return Reply(422, {"message": "Update is not a fast forward"})
        self.branches[branch] = data["sha"]
        return Reply(200, self._ref_json(branch))

    def _pull_json(self, number: int) -> dict[str, Any]:
        pull = self.pulls[number]
        return {
            "id": 9000 + number,
            "number": number,
            "url": f"{self.url}/repos/{REPO}/pulls/{number}",
            "html_url": f"https://github.com/{REPO}/pull/{number}",
            "state": pull["state"],
            "title": pull["title"],
            "body": pull["body"],
            "user": dict(self.account),
            "head": {
                "ref": pull["head"],
                "sha": self.branches.get(pull["head"], ""),
                "label": f"{REPO.split('/')[0]}:{pull['head']}",
            },
            "base": {
                "ref": pull["base"],
                "sha": self.branches.get(pull["base"], ""),
                "label": f"{REPO.split('/')[0]}:{pull['base']}",
            },
            "merged": False,
        }

    def list_pulls(self, request: Recorded) -> Reply:
        state = request.query.get("state", ["open"])[0]
        head = request.query.get("head", [""])[0]
        owner = REPO.split("/")[0]
        found = [
            self._pull_json(n)
            for n, p in sorted(self.pulls.items())
            if (state == "all" or p["state"] == state)
            and (not head or head == f"{owner}:{p['head']}")
        ]
        return Reply(200, found)

    def create_pull(self, request: Recorded) -> Reply:
        data = request.json()
        if data["head"] not in self.branches or data["base"] not in self.branches:
            return Reply(
                422,
                {"message": "Validation Failed", "errors": [{"field": "head", "code": "invalid"}]},
            )
        if any(p["head"] == data["head"] and p["state"] == "open" for p in self.pulls.values()):
            return Reply(422, {"message": "A pull request already exists"})
        number = max([*self.issues, *self.pulls], default=0) + 1
        self.pulls[number] = {
            "title": data["title"],
            "body": data.get("body") or "",
            "head": data["head"],
            "base": data["base"],
            "state": "open",
        }
        return Reply(201, self._pull_json(number))

    def get_pull(self, request: Recorded, number: str) -> Reply:
        if int(number) not in self.pulls:
            return Reply(404, {"message": "Not Found"})
        return Reply(200, self._pull_json(int(number)))

    def edit_pull(self, request: Recorded, number: str) -> Reply:
        if int(number) not in self.pulls:
            return Reply(404, {"message": "Not Found"})
        data = request.json()
        for key in ("title", "body", "state"):
            if key in data:
                self.pulls[int(number)][key] = data[key]
        return Reply(200, self._pull_json(int(number)))

    # ---------------------------------------------------------------- routing

    def handle(self, request: Recorded) -> Reply:
        tokens = {self.token, self.board.token} - {None, ""}
        if self.token and request.headers.get("authorization") not in {
            f"{kind} {token}" for token in tokens for kind in ("token", "Bearer")
        }:
            return Reply(401, {"message": "Bad credentials"})
        path = request.path.removeprefix("/api/v3")
        if path == "/user" and request.method == "GET":
            if self.login is None:
                return Reply(403, {"message": "Resource not accessible by integration"})
            return Reply(200, dict(self.account))
        if path in ("/graphql", "/api/graphql") and request.method == "POST":
            return self.board.handle(request)
        org_types = re.fullmatch(r"/orgs/([^/]+)/issue-types", path)
        if org_types and request.method == "GET":
            return self.list_issue_types(request, org_types.group(1))
        prefix = f"/repos/{REPO}"
        if not path.startswith(prefix):
            return Reply(404, {"message": "Not Found"})
        rest = path[len(prefix) :]
        routes: list[tuple[str, str, Any]] = [
            ("GET", r"", self.get_repo),
            ("POST", r"/git/blobs", self.create_blob),
            ("GET", r"/git/trees/([0-9a-f]{40})", self.get_tree),
            ("POST", r"/git/trees", self.create_tree),
            ("GET", r"/contents/(.+)", self.get_contents),
            ("GET", r"/git/commits/([0-9a-f]{40})", self.get_commit),
            ("POST", r"/git/commits", self.create_commit),
            ("GET", r"/git/ref/heads/(.+)", self.get_ref),
            ("POST", r"/git/refs", self.create_ref),
            ("PATCH", r"/git/refs/heads/(.+)", self.update_ref),
            ("GET", r"/pulls", self.list_pulls),
            ("POST", r"/pulls", self.create_pull),
            ("GET", r"/pulls/(\d+)", self.get_pull),
            ("PATCH", r"/pulls/(\d+)", self.edit_pull),
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
            ("GET", r"/issues/(\d+)/dependencies/blocked_by", self.list_blocked_by),
            ("POST", r"/issues/(\d+)/dependencies/blocked_by", self.add_blocked_by),
            ("DELETE", r"/issues/(\d+)/dependencies/blocked_by/(\d+)", self.remove_blocked_by),
            ("PATCH", r"/issues/(\d+)/sub_issues/priority", self.prioritize_sub_issue),
            ("GET", r"/issues/(\d+)/sub_issues", self.list_sub_issues),
            ("POST", r"/issues/(\d+)/sub_issues", self.add_sub_issue),
            ("GET", r"/milestones", self.list_milestones),
            ("POST", r"/milestones", self.create_milestone),
            ("GET", r"/milestones/(\d+)", self.get_milestone),
            ("PATCH", r"/milestones/(\d+)", self.edit_milestone),
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
        if data.get("type") is not None and data["type"] not in self.issue_types:
            return Reply(422, {"message": "Validation Failed", "errors": [{"field": "type"}]})
        issue = self.add_issue(
            number,
            data["title"],
            data.get("body") or "",
            list(data.get("labels") or []),
            author=self.account,
        )
        if data.get("type") is not None:
            issue["type"] = {"name": data["type"]}
        return Reply(201, issue)

    def list_issue_types(self, request: Recorded, org: str) -> Reply:
        """An organisation's issue types; a user (or an organisation without types): 404."""
        if not self.issue_types:
            return Reply(404, {"message": "Not Found"})
        return Reply(
            200,
            [
                {"id": i + 1, "name": name, "is_enabled": True}
                for i, name in enumerate(self.issue_types)
            ],
        )

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
        if "milestone" in data:  # a milestone's number; null (or "") takes it off
            if data["milestone"] and data["milestone"] not in self.milestones:
                return Reply(
                    422, {"message": "Validation Failed", "errors": [{"field": "milestone"}]}
                )
            issue["milestone"] = self.milestones.get(data["milestone"] or 0)
        return Reply(200, issue)

    def list_milestones(self, request: Recorded) -> Reply:
        state = request.query.get("state", ["open"])[0]
        found = [m for m in self.milestones.values() if state in ("all", m["state"])]
        return Reply(200, found)

    def create_milestone(self, request: Recorded) -> Reply:
        data = request.json()
        if not data.get("title"):
            return Reply(422, {"message": "Validation Failed", "errors": [{"field": "title"}]})
        if any(m["title"] == data["title"] for m in self.milestones.values()):
            return Reply(
                422,
                {
                    "message": "Validation Failed",
                    "errors": [
                        {"resource": "Milestone", "code": "already_exists", "field": "title"}
                    ],
                },
            )
        made = self.add_milestone(
            data["title"], data.get("description") or "", data.get("state", "open")
        )
        return Reply(201, made)

    def get_milestone(self, request: Recorded, number: str) -> Reply:
        milestone = self.milestones.get(int(number))
        return Reply(200, milestone) if milestone else Reply(404, {"message": "Not Found"})

    def edit_milestone(self, request: Recorded, number: str) -> Reply:
        milestone = self.milestones.get(int(number))
        if milestone is None:
            return Reply(404, {"message": "Not Found"})
        data = request.json()
        taken = [m for m in self.milestones.values() if m is not milestone]
        if "title" in data and any(m["title"] == data["title"] for m in taken):
            return Reply(
                422, {"message": "Validation Failed", "errors": [{"code": "already_exists"}]}
            )
        for key in ("title", "description", "state"):
            if key in data:
                milestone[key] = data[key]
        return Reply(200, milestone)

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

    # Issue dependencies, as GitHub's REST API has them: POST names the blocker by its
    # numeric id (not its number), DELETE by the same id in the path; GET lists the
    # blockers as issues, closed ones included.
    def list_blocked_by(self, request: Recorded, number: str) -> Reply:
        if int(number) not in self.issues:
            return Reply(404, {"message": "Not Found"})
        return Reply(200, [self.issues[n] for n in self.blocked_by.get(int(number), [])])

    def add_blocked_by(self, request: Recorded, number: str) -> Reply:
        blocker_id = request.json().get("issue_id")
        blocker = next((i for i in self.issues.values() if i["id"] == blocker_id), None)
        if blocker is None or int(number) not in self.issues or blocker["number"] == int(number):
            return Reply(422, {"message": "Validation Failed"})
        blockers = self.blocked_by.setdefault(int(number), [])
        if blocker["number"] in blockers:
            return Reply(422, {"message": "Dependency already exists"})
        blockers.append(blocker["number"])
        return Reply(201, self.issues[int(number)])

    def remove_blocked_by(self, request: Recorded, number: str, blocker_id: str) -> Reply:
        blockers = self.blocked_by.get(int(number), [])
        blocker = next((n for n in blockers if self.issues[n]["id"] == int(blocker_id)), None)
        if blocker is None:
            return Reply(404, {"message": "Not Found"})
        blockers.remove(blocker)
        return Reply(200, self.issues[int(number)])

    def prioritize_sub_issue(self, request: Recorded, number: str) -> Reply:
        """Move a sub-issue (by id) to just after another (``after_id``), as GitHub does."""
        data = request.json()
        children = self.sub_issues.get(int(number), [])
        by_id = {self.issues[c]["id"]: c for c in children}
        moved, after = by_id.get(data.get("sub_issue_id")), by_id.get(data.get("after_id"))
        if moved is None or after is None or moved == after:
            return Reply(422, {"message": "Validation Failed"})
        children.remove(moved)
        children.insert(children.index(after) + 1, moved)
        return Reply(200, self.issues[moved])

    def list_sub_issues(self, request: Recorded, number: str) -> Reply:
        return Reply(200, [self.issues[n] for n in self.sub_issues.get(int(number), [])])

    def add_sub_issue(self, request: Recorded, number: str) -> Reply:
        sub_id = request.json()["sub_issue_id"]
        child = next((i for i in self.issues.values() if i["id"] == sub_id), None)
        if child is None or int(number) not in self.issues:
            return Reply(422, {"message": "Validation Failed"})
        if any(child["number"] in linked for linked in self.sub_issues.values()):
            # GitHub: an issue has one parent at most (a second link is refused too).
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
