"""The GitHub ports' adapters over PyGithub, and the one client they share.

:class:`GitHubClient` makes every call: it retries, paces writes and waits out rate
limits, and turns every PyGithub and HTTP failure into a :class:`GitHubError` whose
message says what to change. Over it, :class:`IssuesAdapter` is the :class:`GitHubPort`
(issues, comments, labels, sub-issues, dependencies) and :class:`GitDataAdapter` the
port that commits the plan (``persist.GitDataPort``: the Git Data API and pulls).

PyGithub is imported only when the client is built (a token was given), so offline
planning never pays for it.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from planner.model import Issue

if TYPE_CHECKING:
    from github import Github
    from github.Repository import Repository

T = TypeVar("T")
ACTIONS_BOT = "github-actions[bot]"  # the author of what GITHUB_TOKEN creates


def written_by(author: str, me: str) -> bool:
    """Whether ``author`` is the token's own account ``me``. An installation token may not
    read its account (``me`` is then taken for the Actions bot) and an app's writes as
    ``<app>[bot]``: then any app's bot counts, an account no person can hold."""
    return author == me or (me == ACTIONS_BOT and author.endswith("[bot]"))


@dataclass(frozen=True)
class IssueInfo:
    number: int
    id: int
    url: str
    title: str
    body: str
    state: str
    author: str = ""
    milestone: int | None = None  # the repository milestone's number
    node_id: str = ""  # the GraphQL id (Projects)


@dataclass(frozen=True)
class MilestoneInfo:
    """A repository milestone (open or closed)."""

    number: int
    title: str
    description: str
    state: str


@dataclass(frozen=True)
class CommentInfo:
    id: int
    url: str
    body: str
    author: str = ""
    association: str = ""  # the author's to the repository: OWNER, MEMBER, NONE, ...


@dataclass(frozen=True)
class NamedIssueInfo:
    """An existing issue the plan names (a decision's, a task line's): what marking it or
    planning its work needs to know."""

    number: int
    url: str
    state: str
    labels: tuple[str, ...]
    pull_request: bool
    title: str = ""
    id: int = 0  # the database id (linking it as a sub-issue)
    state_reason: str = ""  # "completed", "not_planned", … (GitHub's, when closed)


@dataclass(frozen=True)
class PullInfo:
    number: int
    url: str
    title: str
    body: str


WRITES_PER_MINUTE = 80
"""GitHub's documented pace for requests that create content (a secondary limit)."""


class GitHubError(RuntimeError):
    """A GitHub call that failed for good. ``transient`` marks outages and rate
    limits (worth a warning), as opposed to a wrong token or repository."""

    def __init__(self, message: str, *, status: int | None = None, transient: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.transient = transient

    @property
    def skippable(self) -> bool:
        """An outage, or a token that may read but not write (403, ``permissions: issues:
        read``): the run goes on without this call. Any other refusal (a wrong token, a
        missing repository) is an error."""
        return self.transient or self.status == 403


class GitHubPort(Protocol):
    """What the planner asks of GitHub; small so a fake can really behave."""

    def get_issue(self, number: int) -> Issue: ...
    def account(self) -> str: ...
    def list_created_by(self, login: str) -> list[IssueInfo]: ...
    def ensure_label(self, name: str, color: str, description: str) -> None: ...
    def create_issue(
        self, title: str, body: str, labels: list[str], issue_type: str | None = None
    ) -> IssueInfo: ...
    def issue_types(self) -> list[str]: ...
    def edit_issue(
        self,
        number: int,
        *,
        title: str | None = None,
        body: str | None = None,
        state: str | None = None,
    ) -> None: ...
    def list_comments(self, number: int) -> list[CommentInfo]: ...
    def create_comment(self, number: int, body: str) -> CommentInfo: ...
    def edit_comment(self, number: int, comment_id: int, body: str) -> CommentInfo: ...
    def delete_comment(self, number: int, comment_id: int) -> None: ...
    def list_sub_issues(self, number: int) -> list[IssueInfo]: ...
    def add_sub_issue(self, number: int, sub_issue_id: int) -> None: ...
    def move_sub_issue(self, number: int, sub_issue_id: int, after_id: int) -> None: ...
    def list_blocked_by(self, number: int) -> list[IssueInfo]: ...
    def add_blocked_by(self, number: int, blocker: int) -> None: ...
    def remove_blocked_by(self, number: int, blocker: int) -> None: ...
    def get_named_issue(self, number: int) -> NamedIssueInfo: ...
    def add_label(self, number: int, name: str) -> None: ...
    def list_milestones(self) -> list[MilestoneInfo]: ...
    def create_milestone(self, title: str, description: str) -> MilestoneInfo: ...
    def rename_milestone(self, number: int, title: str) -> None: ...
    def set_milestone(self, number: int, milestone: int) -> None: ...


def explain(status: int | None, what: str, data: Any = None) -> str:
    """A message a user can act on, for an HTTP status from the GitHub API."""
    detail = ""
    if isinstance(data, dict) and isinstance(data.get("message"), str):
        detail = f" (GitHub said: {data['message'][:200]})"
    if status == 401:
        return f"{what} failed: the token was rejected{detail}. Check the github-token input."
    if status == 403:
        return (
            f"{what} failed: the token lacks permission{detail}. Give the job "
            "'permissions: {issues: write}' (or issues: read to fetch only)."
        )
    if status == 404:
        return (
            f"{what} failed: not found{detail}. Check the repository and the issue number, "
            "and that the token can see this repository."
        )
    if status == 410:
        return f"{what} failed: issues are disabled in this repository{detail}."
    if status == 422:
        return f"{what} failed: GitHub rejected the request as invalid{detail}."
    return f"{what} failed with HTTP {status}{detail}."


class GitHubClient:
    """One PyGithub connection to one repository, with bounded retries and backoff of our
    own; every adapter's call goes through :meth:`call`.

    PyGithub's own retry is switched off: it retries POSTs after a 5xx, which can
    create an issue twice. Here reads are retried; writes are retried only on
    rate limits and connection failures, and callers re-find before re-creating.
    """

    def __init__(
        self,
        token: str,
        repository: str,
        api_url: str,
        *,
        timeout: float = 20,
        attempts: int = 5,
        max_wait: float = 120.0,
        backoff: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        from github import Auth, Github

        self.github = Github(
            auth=Auth.Token(token),
            base_url=api_url,
            timeout=int(max(timeout, 1)),
            retry=None,
            seconds_between_requests=None,
            seconds_between_writes=None,
            user_agent="planner-action",
        )
        # A lazy repository: no request until something of it is read or written.
        self.repo: Repository = self.github.withLazy(True).get_repo(repository)
        self.owner = repository.split("/", 1)[0]
        self._token = token
        self._where = (repository, api_url, timeout)
        self.attempts = attempts
        self.max_wait = max_wait
        self.backoff = backoff
        self._clock = clock
        self._writes: deque[float] = deque()  # when the last writes were made
        self._sleep = sleep

    def with_token(self, token: str) -> GitHubClient:
        """A client like this one for another token (its own pace: GitHub paces by
        account)."""
        repository, api_url, timeout = self._where
        return GitHubClient(
            token,
            repository,
            api_url,
            timeout=timeout,
            attempts=self.attempts,
            max_wait=self.max_wait,
            backoff=self.backoff,
            sleep=self._sleep,
            clock=self._clock,
        )

    def call(self, what: str, fn: Callable[[], T], *, write: bool = False) -> T:
        from github.GithubException import GithubException
        from requests.exceptions import ConnectionError as RequestsConnectionError
        from requests.exceptions import RetryError, Timeout

        waited = 0.0
        if write:
            self._pace()
        for attempt in range(1, self.attempts + 1):
            try:
                return fn()
            except GithubException as exc:
                headers = {k.lower(): v for k, v in (exc.headers or {}).items()}
                limited = exc.status == 429 or (
                    exc.status == 403
                    and (
                        headers.get("x-ratelimit-remaining") == "0"
                        or "retry-after" in headers
                        or "rate limit" in str(exc.data).lower()
                    )
                )
                server = exc.status is not None and exc.status >= 500
                retryable = limited or (server and not write)
                delay = self._delay(attempt, headers) if retryable else 0.0
                if not retryable or attempt == self.attempts or waited + delay > self.max_wait:
                    if limited:
                        raise GitHubError(
                            f"{what} failed: GitHub's rate limit did not reset "
                            f"within {self.max_wait:.0f}s of waiting.",
                            status=exc.status,
                            transient=True,
                        ) from None
                    message = explain(exc.status, what, exc.data).replace(self._token, "***")
                    raise GitHubError(message, status=exc.status, transient=server) from None
            except (RequestsConnectionError, Timeout, RetryError) as exc:
                delay = self._delay(attempt, {})
                if attempt == self.attempts or waited + delay > self.max_wait:
                    raise GitHubError(
                        f"{what} failed: GitHub did not answer ({type(exc).__name__}).",
                        transient=True,
                    ) from None
            self._sleep(delay)
            waited += delay
        raise AssertionError("unreachable")  # pragma: no cover

    def _pace(self) -> None:
        """Hold writes to GitHub's pace for content: at most ``WRITES_PER_MINUTE`` in any
        minute. A plan making many sub-issues waits rather than meeting the secondary
        rate limit (which a run would wait out too, within ``max_wait``)."""
        now = self._clock()
        while self._writes and now - self._writes[0] >= 60.0:
            self._writes.popleft()
        if len(self._writes) >= WRITES_PER_MINUTE:
            wait = 60.0 - (now - self._writes[0])
            self._sleep(wait)
            now = self._clock()
            self._writes.popleft()
        self._writes.append(now)

    def _delay(self, attempt: int, headers: dict[str, str]) -> float:
        retry_after = headers.get("retry-after", "")
        if retry_after.isdigit():
            return float(retry_after)
        reset = headers.get("x-ratelimit-reset", "")
        if headers.get("x-ratelimit-remaining") == "0" and reset.isdigit():
            return max(0.0, float(reset) - time.time()) + 1.0
        return float(self.backoff * (2 ** (attempt - 1)))


class IssuesAdapter:
    """:class:`GitHubPort` over a :class:`GitHubClient`: the planning issue, decision
    issues, the comment, labels, sub-issues and their dependencies."""

    def __init__(self, client: GitHubClient) -> None:
        self.client = client
        self._repo = client.repo
        self._call = client.call
        self._account: str | None = None

    def get_issue(self, number: int) -> Issue:
        return self._call(
            f"Fetching issue #{number}", lambda: _planning_issue(self._repo.get_issue(number))
        )

    def account(self) -> str:
        """The login of the token's own account: ``GET /user`` for a personal token; an
        installation token (``GITHUB_TOKEN``) may not read it and writes as the Actions bot."""
        if self._account is None:
            github = self.client.github
            self._account = self._call("Reading the token's account", lambda: _login_of(github))
        return self._account

    def list_created_by(self, login: str) -> list[IssueInfo]:
        """Every issue (open or closed, pull requests left out) that ``login`` opened."""
        return self._call(
            f"Listing issues opened by {login}",
            lambda: [
                _info(i)
                for i in self._repo.get_issues(creator=login, state="all")  # type: ignore[arg-type]
                if i.pull_request is None
            ],
        )

    def ensure_label(self, name: str, color: str, description: str) -> None:
        self._call(
            f"Creating label '{name}'",
            lambda: _ensure_label(self._repo, name, color, description),
            write=True,
        )

    def create_issue(
        self, title: str, body: str, labels: list[str], issue_type: str | None = None
    ) -> IssueInfo:
        return self._call(
            "Creating an issue",
            lambda: _info(_create_issue(self._repo, title, body, labels, issue_type)),
            write=True,
        )

    def issue_types(self) -> list[str]:
        """The issue types the repository's organisation defines (enabled ones); none for a
        repository a user owns, or an organisation without types (404)."""
        return self._call(
            "Reading the organisation's issue types",
            lambda: _issue_types(self._repo, self.client.owner),
        )

    def edit_issue(
        self,
        number: int,
        *,
        title: str | None = None,
        body: str | None = None,
        state: str | None = None,
    ) -> None:
        from github.GithubObject import NotSet

        def edit() -> None:
            self._repo.get_issue(number).edit(
                title=title if title is not None else NotSet,
                body=body if body is not None else NotSet,
                state=state if state is not None else NotSet,
            )

        self._call(f"Updating issue #{number}", edit, write=True)

    def list_comments(self, number: int) -> list[CommentInfo]:
        return self._call(
            f"Listing comments of #{number}",
            lambda: [_comment(c) for c in self._repo.get_issue(number).get_comments()],
        )

    def create_comment(self, number: int, body: str) -> CommentInfo:
        def create() -> CommentInfo:
            c = self._repo.get_issue(number).create_comment(body)
            return _comment(c)

        return self._call(f"Commenting on #{number}", create, write=True)

    def edit_comment(self, number: int, comment_id: int, body: str) -> CommentInfo:
        def edit() -> CommentInfo:
            c = self._repo.get_issue(number).get_comment(comment_id)
            c.edit(body)
            return CommentInfo(id=c.id, url=c.html_url, body=body)

        return self._call(f"Updating the comment on #{number}", edit, write=True)

    def delete_comment(self, number: int, comment_id: int) -> None:
        self._call(
            f"Deleting a duplicate comment on #{number}",
            lambda: self._repo.get_issue(number).get_comment(comment_id).delete(),
            write=True,
        )

    def list_sub_issues(self, number: int) -> list[IssueInfo]:
        return self._call(
            f"Listing sub-issues of #{number}",
            lambda: [_info(s) for s in self._repo.get_issue(number).get_sub_issues()],
        )

    def add_sub_issue(self, number: int, sub_issue_id: int) -> None:
        self._call(
            f"Linking a sub-issue to #{number}",
            lambda: self._repo.get_issue(number).add_sub_issue(sub_issue_id),
            write=True,
        )

    def move_sub_issue(self, number: int, sub_issue_id: int, after_id: int) -> None:
        """Put a sub-issue (by id) just after another in the parent's list."""
        self._call(
            f"Ordering the sub-issues of #{number}",
            lambda: self._repo.get_issue(number).prioritize_sub_issue(sub_issue_id, after_id),
            write=True,
        )

    def list_blocked_by(self, number: int) -> list[IssueInfo]:
        """The issues that block issue ``number`` (GitHub's issue dependencies)."""
        return self._call(
            f"Listing what blocks #{number}",
            lambda: [_info(s) for s in self._repo.get_issue(number).get_blocked_by()],
        )

    def add_blocked_by(self, number: int, blocker: int) -> None:
        """Mark issue ``number`` blocked by issue ``blocker`` (both numbers)."""
        self._call(
            f"Marking #{number} blocked by #{blocker}",
            lambda: self._repo.get_issue(number).add_blocked_by(self._repo.get_issue(blocker)),
            write=True,
        )

    def remove_blocked_by(self, number: int, blocker: int) -> None:
        self._call(
            f"Removing #{blocker} from what blocks #{number}",
            lambda: self._repo.get_issue(number).remove_blocked_by(self._repo.get_issue(blocker)),
            write=True,
        )

    def get_named_issue(self, number: int) -> NamedIssueInfo:
        """An existing issue named by a decision or a task line (a pull request is
        reported as one)."""
        return self._call(
            f"Reading issue #{number}", lambda: _named_issue(self._repo.get_issue(number))
        )

    def add_label(self, number: int, name: str) -> None:
        self._call(
            f"Labelling issue #{number} '{name}'",
            lambda: self._repo.get_issue(number).add_to_labels(name),
            write=True,
        )

    def list_milestones(self) -> list[MilestoneInfo]:
        """Every milestone of the repository, open and closed."""
        return self._call(
            "Listing the repository's milestones",
            lambda: [_milestone(m) for m in self._repo.get_milestones(state="all")],
        )

    def create_milestone(self, title: str, description: str) -> MilestoneInfo:
        return self._call(
            f"Creating milestone '{title}'",
            lambda: _milestone(_create_milestone(self._repo, title, description)),
            write=True,
        )

    def rename_milestone(self, number: int, title: str) -> None:
        self._call(
            f"Renaming milestone {number} to '{title}'",
            lambda: self._repo.get_milestone(number).edit(title),
            write=True,
        )

    def set_milestone(self, number: int, milestone: int) -> None:
        """Put issue ``number`` in the repository milestone numbered ``milestone``."""
        self._call(
            f"Putting #{number} in milestone {milestone}",
            lambda: self._repo.get_issue(number).edit(
                milestone=self._repo.get_milestone(milestone)
            ),
            write=True,
        )


class GitDataAdapter:
    """``persist.GitDataPort`` over a :class:`GitHubClient`: committing the plan through
    the Git Data API and keeping its pull request (PRODUCT.md §12 step 5: no git binary,
    only the REST API)."""

    def __init__(self, client: GitHubClient) -> None:
        self._repo = client.repo
        self._call = client.call

    def default_branch(self) -> str:
        return self._call(
            "Reading the repository's default branch", lambda: self._repo.default_branch
        )

    def branch_head(self, branch: str) -> str | None:
        """The commit a branch points at, or None when there is no such branch."""
        from github.GithubException import GithubException

        def read() -> str | None:
            try:
                sha: str = self._repo.get_git_ref(f"heads/{branch}").object.sha
                return sha
            except GithubException as exc:
                if exc.status == 404:
                    return None
                raise

        return self._call(f"Reading branch {branch}", read)

    def commit_tree(self, sha: str) -> str:
        return self._call(
            f"Reading commit {sha[:12]}", lambda: str(self._repo.get_git_commit(sha).tree.sha)
        )

    def create_blob(self, text: str) -> str:
        return self._call(
            "Storing a planning file",
            lambda: str(self._repo.create_git_blob(text, "utf-8").sha),
            write=True,
        )

    def has_file(self, commit: str, path: str) -> bool:
        """Whether the tree of ``commit`` holds a file at ``path``."""
        from github.GithubException import GithubException

        def read() -> bool:
            try:
                found = self._repo.get_contents(path, ref=commit)
            except GithubException as exc:
                if exc.status == 404:
                    return False
                raise
            return not isinstance(found, list) and found.type == "file"

        return self._call(f"Reading {path} at {commit[:12]}", read)

    def create_tree(self, base_tree: str, blobs: dict[str, str | None]) -> str:
        """A tree: ``base_tree`` with each path set to its blob, or deleted where its blob
        is None (GitHub refuses to delete a path the tree does not hold)."""
        from github.InputGitTreeElement import InputGitTreeElement

        def create() -> str:
            elements = [
                InputGitTreeElement(path, "100644", "blob", sha=sha)
                for path, sha in sorted(blobs.items())
            ]
            base = self._repo.get_git_tree(base_tree)
            return str(self._repo.create_git_tree(elements, base).sha)

        return self._call("Building the plan's tree", create, write=True)

    def create_commit(self, message: str, tree: str, parent: str) -> str:
        def create() -> str:
            commit = self._repo.create_git_commit(
                message, self._repo.get_git_tree(tree), [self._repo.get_git_commit(parent)]
            )
            return str(commit.sha)

        return self._call("Committing the plan", create, write=True)

    def set_branch(self, branch: str, sha: str, *, create: bool) -> None:
        """Point ``branch`` at ``sha``: create it, or force-update it."""

        def point() -> None:
            if create:
                self._repo.create_git_ref(f"refs/heads/{branch}", sha)
            else:
                ref = self._repo.get_git_ref(f"heads/{branch}")
                # Read it first: PyGithub's lazy ref has the read URL (git/ref/...), and
                # GitHub takes updates at the URL the read returns (git/refs/...).
                if ref.object.sha != sha:
                    ref.edit(sha, force=True)

        self._call(f"Updating branch {branch}", point, write=True)

    def open_pull(self, branch: str) -> PullInfo | None:
        """The open pull request from ``branch`` of this repository, if any."""

        def find() -> PullInfo | None:
            owner = self._repo.full_name.split("/", 1)[0]
            for pull in self._repo.get_pulls(state="open", head=f"{owner}:{branch}"):
                return PullInfo(pull.number, pull.html_url, pull.title or "", pull.body or "")
            return None

        return self._call(f"Finding the pull request from {branch}", find)

    def create_pull(self, branch: str, base: str, title: str, body: str) -> PullInfo:
        def create() -> PullInfo:
            pull = self._repo.create_pull(base=base, head=branch, title=title, body=body)
            return PullInfo(pull.number, pull.html_url, pull.title or "", pull.body or "")

        return self._call(f"Opening a pull request from {branch}", create, write=True)

    def edit_pull(self, number: int, title: str, body: str) -> None:
        self._call(
            f"Updating pull request #{number}",
            lambda: self._repo.get_pull(number).edit(title=title, body=body),
            write=True,
        )


def _info(issue: Any) -> IssueInfo:
    return IssueInfo(
        number=issue.number,
        id=issue.id,
        url=issue.html_url,
        title=issue.title or "",
        body=issue.body or "",
        state=issue.state,
        author=_login(issue),
        milestone=issue.milestone.number if issue.milestone is not None else None,
        node_id=issue.node_id or "",
    )


def _comment(comment: Any) -> CommentInfo:
    return CommentInfo(
        id=comment.id,
        url=comment.html_url,
        body=comment.body or "",
        author=_login(comment),
        association=comment.author_association or "",
    )


def _login_of(github: Github) -> str:
    from github.GithubException import GithubException

    try:
        login: str = github.get_user().login
        return login
    except GithubException as exc:
        if exc.status == 403:
            return ACTIONS_BOT
        raise


def _planning_issue(issue: Any) -> Issue:
    if issue.pull_request is not None:
        raise GitHubError(
            f"#{issue.number} is a pull request, not an issue; give the planning issue's number"
        )
    return Issue(
        number=issue.number,
        title=issue.title or "",
        body=issue.body or "",
        labels=[label.name for label in issue.labels],
        url=issue.html_url,
        author=_login(issue),
    )


def _named_issue(issue: Any) -> NamedIssueInfo:
    return NamedIssueInfo(
        number=issue.number,
        url=issue.html_url,
        state=issue.state,
        labels=tuple(label.name for label in issue.labels),
        pull_request=issue.pull_request is not None,
        title=issue.title or "",
        id=issue.id,
        state_reason=issue.state_reason or "",
    )


def _milestone(milestone: Any) -> MilestoneInfo:
    return MilestoneInfo(
        number=milestone.number,
        title=milestone.title or "",
        description=milestone.description or "",
        state=milestone.state,
    )


def _create_milestone(repo: Repository, title: str, description: str) -> Any:
    from github.GithubException import GithubException

    try:
        return repo.create_milestone(title, description=description)
    except GithubException as exc:
        # made meanwhile by a concurrent run (titles are unique): that is the one
        if exc.status != 422 or "already_exists" not in str(exc.data):
            raise
    found = [m for m in repo.get_milestones(state="all") if m.title == title]
    if not found:
        raise GitHubError(
            f"Creating milestone '{title}' failed: GitHub says it exists, yet it is not listed"
        )
    return found[0]


def _login(item: Any) -> str:
    user = item.user
    return str(user.login) if user is not None and user.login else ""


def _ensure_label(repo: Repository, name: str, color: str, description: str) -> None:
    from github.GithubException import GithubException

    try:
        # The repository is lazy, so its labels are too: reading an attribute
        # makes the request (and raises 404 when the label is missing).
        if repo.get_label(name).color is not None:
            return
    except GithubException as exc:
        if exc.status != 404:
            raise
    try:
        repo.create_label(name, color, description)
    except GithubException as exc:
        # created meanwhile by a concurrent run: that is what we wanted
        if exc.status != 422 or "already_exists" not in str(exc.data):
            raise


def _create_issue(
    repo: Repository, title: str, body: str, labels: list[str], issue_type: str | None
) -> Any:
    if issue_type is None:
        return repo.create_issue(title=title, body=body, labels=labels)
    # PyGithub's create_issue has no issue type yet: the same POST, with "type".
    from github.Issue import Issue as GithubIssue

    requester = repo._requester
    headers, data = requester.requestJsonAndCheck(
        "POST",
        f"{repo.url}/issues",
        input={"title": title, "body": body, "labels": labels, "type": issue_type},
    )
    return GithubIssue(requester, headers, data, completed=True)


def _issue_types(repo: Repository, owner: str) -> list[str]:
    from github.GithubException import GithubException

    try:
        _, data = repo._requester.requestJsonAndCheck("GET", f"/orgs/{owner}/issue-types")
    except GithubException as exc:
        if exc.status == 404:
            return []
        raise
    items = data if isinstance(data, list) else []
    return [
        str(t["name"])
        for t in items
        if isinstance(t, dict) and t.get("name") and t.get("is_enabled", True)
    ]
