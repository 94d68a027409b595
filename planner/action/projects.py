"""The Projects (v2) port and its adapter: GraphQL through PyGithub's requester, over the
same :class:`GitHubClient` as the issues (one connection, one pace of writes).

Projects belong to a user or an organisation, never to a repository, so the workflow's
``GITHUB_TOKEN`` cannot reach them. Each query is a constant; what the request or the
project says travels only in GraphQL variables, never in the query text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from planner.action.github import GitHubClient, GitHubError, IssuesAdapter

T = TypeVar("T")

if TYPE_CHECKING:
    from github.GithubException import GithubException

PROJECT_QUERY = """
query($owner: String!, $number: Int!) {
  repositoryOwner(login: $owner) {
    ... on ProjectV2Owner {
      projectV2(number: $number) {
        id
        title
        fields(first: 50) {
          nodes {
            ... on ProjectV2Field { id name dataType }
            ... on ProjectV2SingleSelectField { id name dataType options { id name } }
          }
        }
      }
    }
  }
}
"""

ITEMS_QUERY = """
query($id: ID!) {
  node(id: $id) {
    ... on Issue {
      projectItems(first: 50) {
        nodes {
          id
          project { id }
          fieldValues(first: 50) {
            nodes {
              ... on ProjectV2ItemFieldSingleSelectValue {
                optionId field { ... on ProjectV2FieldCommon { id } }
              }
              ... on ProjectV2ItemFieldTextValue {
                text field { ... on ProjectV2FieldCommon { id } }
              }
              ... on ProjectV2ItemFieldNumberValue {
                number field { ... on ProjectV2FieldCommon { id } }
              }
            }
          }
        }
      }
    }
  }
}
"""

TOKEN_FIX = (
    "The workflow's GITHUB_TOKEN cannot reach user or organisation projects: pass as "
    "project-token a personal access token (classic, scope 'project') or a fine-grained or "
    "GitHub App token with 'Projects: read and write'."
)


@dataclass(frozen=True)
class ProjectField:
    id: str
    name: str
    data_type: str  # GitHub's ProjectV2FieldType: TEXT, NUMBER, SINGLE_SELECT, ...
    options: dict[str, str] = field(default_factory=dict)  # a single select's: name -> id


@dataclass(frozen=True)
class ProjectInfo:
    id: str
    title: str
    fields: tuple[ProjectField, ...]


@dataclass(frozen=True)
class ProjectItem:
    """An issue's item in a project, with its field values by field id (an option's id,
    a text, or a number written as ``repr(float)``)."""

    id: str
    project_id: str
    values: dict[str, str]


class ProjectPort(Protocol):
    def project(self, owner: str, number: int) -> ProjectInfo: ...
    def items(self, content_id: str) -> list[ProjectItem]: ...
    def add_item(self, project_id: str, content_id: str) -> str: ...
    def set_field(
        self, project_id: str, item_id: str, field_id: str, value: dict[str, Any]
    ) -> None: ...


class ProjectsAdapter:
    """:class:`ProjectPort` over GraphQL (``addProjectV2ItemById``,
    ``updateProjectV2ItemFieldValue``). GraphQL refusals (answered with HTTP 200 and an
    ``errors`` list) become a :class:`GitHubError` naming the token it needs."""

    def __init__(self, client: GitHubClient) -> None:
        self._requester = client.repo._requester
        self._client_call = client.call

    def _call(self, what: str, fn: Callable[[], T], *, write: bool = False) -> T:
        """The client's call, with the project's own fix for a refusal: an HTTP 401, 403
        or 404 from the GraphQL endpoint is about the project token, not the issues'."""
        try:
            return self._client_call(what, fn, write=write)
        except GitHubError as exc:
            if (
                isinstance(exc, ProjectRefused)
                or exc.transient
                or exc.status not in (401, 403, 404)
            ):
                raise
            said = {401: "the token was rejected", 403: "the token may not use projects"}
            why = said.get(exc.status or 0, "the project or its owner was not found")
            raise ProjectRefused(f"{what} failed: {why}. {TOKEN_FIX}", status=exc.status) from None

    def project(self, owner: str, number: int) -> ProjectInfo:
        def read() -> ProjectInfo:
            data = self._graphql(PROJECT_QUERY, {"owner": owner, "number": number})
            found = (data.get("repositoryOwner") or {}).get("projectV2")
            if not found:
                raise ProjectRefused(_not_found(owner, number, ""), status=404)
            fields = tuple(
                ProjectField(
                    id=f["id"],
                    name=f["name"],
                    data_type=f.get("dataType", ""),
                    options={o["name"]: o["id"] for o in f.get("options") or []},
                )
                for f in found["fields"]["nodes"]
                if f and f.get("id") and f.get("name")
            )
            return ProjectInfo(id=found["id"], title=found.get("title", ""), fields=fields)

        return self._call(f"Reading project {owner}/{number}", read)

    def items(self, content_id: str) -> list[ProjectItem]:
        """The project items of an issue (by its GraphQL id), in every project."""

        def read() -> list[ProjectItem]:
            node = self._graphql(ITEMS_QUERY, {"id": content_id}).get("node") or {}
            return [
                ProjectItem(id=i["id"], project_id=i["project"]["id"], values=_values(i))
                for i in (node.get("projectItems") or {}).get("nodes") or []
                if i
            ]

        return self._call("Reading an issue's project items", read)

    def add_item(self, project_id: str, content_id: str) -> str:
        def add() -> str:
            data = self._mutation(
                "addProjectV2ItemById",
                {"projectId": project_id, "contentId": content_id},
                "item { id }",
            )
            return str(data["item"]["id"])

        return self._call("Adding an issue to the project", add, write=True)

    def set_field(
        self, project_id: str, item_id: str, field_id: str, value: dict[str, Any]
    ) -> None:
        inputs = {"projectId": project_id, "itemId": item_id, "fieldId": field_id, "value": value}
        self._call(
            "Setting a project field",
            lambda: self._mutation("updateProjectV2ItemFieldValue", inputs, "projectV2Item { id }"),
            write=True,
        )

    def _graphql(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        from github.GithubException import GithubException

        try:
            _, data = self._requester.graphql_query(query, variables)
        except GithubException as exc:
            raise _refusal(exc) from None
        result: dict[str, Any] = data.get("data") or {}
        return result

    def _mutation(self, name: str, inputs: dict[str, Any], output: str) -> dict[str, Any]:
        from github.GithubException import GithubException

        try:
            _, data = self._requester.graphql_named_mutation(name, inputs, output)
        except GithubException as exc:
            raise _refusal(exc) from None
        return data


def projects_of(port: object, token: str | None = None) -> ProjectPort | None:
    """The Projects port beside a run's issues port: an adapter over the issues adapter's
    own client, or over one for ``token`` (input ``project-token``); None for any other
    port (an offline run, a fake without projects)."""
    if not isinstance(port, IssuesAdapter):
        return None
    return ProjectsAdapter(port.client.with_token(token) if token else port.client)


def _values(item: dict[str, Any]) -> dict[str, str]:
    values: dict[str, str] = {}
    for v in (item.get("fieldValues") or {}).get("nodes") or []:
        field_id = ((v or {}).get("field") or {}).get("id")
        if not field_id:
            continue
        if v.get("optionId") is not None:
            values[field_id] = str(v["optionId"])
        elif v.get("text") is not None:
            values[field_id] = str(v["text"])
        elif v.get("number") is not None:
            values[field_id] = repr(float(v["number"]))
    return values


class ProjectRefused(GitHubError):
    """A refusal about the project, its message naming the project's own fix."""


def _refusal(exc: GithubException) -> Exception:
    """A GraphQL refusal as a GitHubError a user can act on; anything else (an HTTP
    status, a rate limit) is left for the client to retry or explain. GraphQL's own rate
    limit (HTTP 200, an error of type RATE_LIMITED) is an outage: a warning, and the next
    run adds what this one could not."""
    errors = exc.data.get("errors") if isinstance(exc.data, dict) else None
    if not errors:
        return exc
    first = errors[0] if isinstance(errors[0], dict) else {}
    said = str(first.get("message", ""))[:200]
    if first.get("type") == "RATE_LIMITED":
        return GitHubError(
            f"GitHub's GraphQL rate limit was reached (GitHub said: {said}); the next run "
            "adds what this one could not.",
            transient=True,
        )
    if first.get("type") == "NOT_FOUND":
        return ProjectRefused(_not_found("", 0, said), status=404)
    return ProjectRefused(
        f"The token may not use the project (GitHub said: {said}). {TOKEN_FIX}", status=403
    )


def _not_found(owner: str, number: int, said: str) -> str:
    which = f"Project {number} of {owner}" if owner else "The project"
    detail = f" (GitHub said: {said})" if said else ""
    return (
        f"{which} was not found{detail}. Check the project input (the project's URL, or "
        f"owner/number) and that the token can read it. {TOKEN_FIX}"
    )
