"""GitHub's GraphQL endpoint for Projects (v2), as far as the planner uses it: the project
with its fields, an issue's project items with their values, ``addProjectV2ItemById`` and
``updateProjectV2ItemFieldValue``. Answers as GitHub does: HTTP 200, with ``errors`` for
a refusal. Each operation is recognised by the fields it asks for and must bring its
values as variables (a request that puts them in the query text is refused)."""

from __future__ import annotations

from typing import Any

from tests.servers.base import Recorded, Reply

SCOPES = (
    "Your token has not been granted the required scopes to execute this query. The "
    "'{field}' field requires one of the following scopes: ['project'], but your token has "
    "only been granted the: ['repo'] scopes."
)


class ProjectsBoard:
    """Projects by (owner, number). ``access``: ``write``, ``read`` (a token with
    ``read:project``: mutations refused) or ``none`` (``GITHUB_TOKEN``: every query
    refused, as GitHub does for an installation token on a user or organisation project)."""

    def __init__(self, issues: dict[int, dict[str, Any]]) -> None:
        self.issues = issues
        self.projects: dict[tuple[str, int], dict[str, Any]] = {}
        self.access = "write"
        self.token: str | None = None  # the one token that may use the projects, if set
        self.items: dict[str, dict[str, Any]] = {}  # item id -> {project, content, values}
        self.operations: list[str] = []

    def add_project(self, owner: str, number: int, fields: dict[str, Any]) -> dict[str, Any]:
        """``fields``: name -> a list of option names (a single select), or ``TEXT`` or
        ``NUMBER``."""
        project_id = f"PVT_{owner}_{number}"
        nodes = []
        for name, kind in fields.items():
            field: dict[str, Any] = {"id": f"PVTF_{project_id}_{name}", "name": name}
            if isinstance(kind, list):
                field["dataType"] = "SINGLE_SELECT"
                field["options"] = [
                    {"id": f"OPT_{name}_{option}", "name": option} for option in kind
                ]
            else:
                field["dataType"] = kind
            nodes.append(field)
        project = {"id": project_id, "title": f"Board {number}", "fields": {"nodes": nodes}}
        self.projects[(owner, number)] = project
        return project

    def values_of(self, issue: int) -> dict[str, Any]:
        """The field values (by field name) of an issue's items, in any project."""
        node_id = self.issues[issue]["node_id"]
        names = {f["id"]: f for p in self.projects.values() for f in p["fields"]["nodes"]}
        found: dict[str, Any] = {}
        for item in self.items.values():
            if item["content"] == node_id:
                for field_id, value in item["values"].items():
                    field = names[field_id]
                    options = {o["id"]: o["name"] for o in field.get("options", [])}
                    found[field["name"]] = options.get(value, value)
        return found

    def items_of(self, issue: int) -> list[str]:
        node_id = self.issues[issue]["node_id"]
        return [i for i, item in self.items.items() if item["content"] == node_id]

    def handle(self, request: Recorded) -> Reply:
        if self.token is not None and request.headers.get("authorization") not in (
            f"token {self.token}",
            f"Bearer {self.token}",
        ):
            return _error("FORBIDDEN", "Resource not accessible by integration")
        body = request.json() or {}
        query, variables = body.get("query", ""), body.get("variables") or {}
        if any(v in query for v in _strings(variables)):
            return _error("PARSE", "A value was written into the query text, not a variable")
        if "repositoryOwner" in query:
            return self._project(variables)
        if "projectItems" in query:
            return self._items(variables)
        if "addProjectV2ItemById(input: $input)" in query:
            return self._add(variables.get("input") or {})
        if "updateProjectV2ItemFieldValue(input: $input)" in query:
            return self._update(variables.get("input") or {})
        return _error("PARSE", "Unexpected query")

    def _refused(self, field: str, write: bool) -> Reply | None:
        if self.access == "none":
            return _error("FORBIDDEN", "Resource not accessible by integration")
        if write and self.access == "read":
            return _error("INSUFFICIENT_SCOPES", SCOPES.format(field=field))
        return None

    def _project(self, variables: dict[str, Any]) -> Reply:
        self.operations.append("project")
        if not isinstance(variables.get("owner"), str) or not isinstance(
            variables.get("number"), int
        ):
            return _error("INVALID", "Variable $owner or $number is missing")
        refused = self._refused("projectV2", write=False)
        if refused:
            return refused
        project = self.projects.get((variables["owner"], variables["number"]))
        if project is None:
            return Reply(
                200,
                {
                    "data": {"repositoryOwner": {"projectV2": None}},
                    "errors": [
                        {
                            "type": "NOT_FOUND",
                            "path": ["repositoryOwner", "projectV2"],
                            "message": "Could not resolve to a ProjectV2 with the number "
                            f"{variables['number']}.",
                        }
                    ],
                },
            )
        return Reply(200, {"data": {"repositoryOwner": {"projectV2": project}}})

    def _items(self, variables: dict[str, Any]) -> Reply:
        self.operations.append("items")
        refused = self._refused("projectItems", write=False)
        if refused:
            return refused
        node_id = variables.get("id")
        if not any(i["node_id"] == node_id for i in self.issues.values()):
            return _error(
                "NOT_FOUND", f"Could not resolve to a node with the global id of '{node_id}'"
            )
        nodes = [
            {
                "id": item_id,
                "project": {"id": item["project"]},
                "fieldValues": {"nodes": [_value(f, v) for f, v in item["values"].items()]},
            }
            for item_id, item in self.items.items()
            if item["content"] == node_id
        ]
        return Reply(200, {"data": {"node": {"projectItems": {"nodes": nodes}}}})

    def _add(self, inputs: dict[str, Any]) -> Reply:
        self.operations.append("add")
        refused = self._refused("addProjectV2ItemById", write=True)
        if refused:
            return refused
        project, content = inputs.get("projectId"), inputs.get("contentId")
        if project not in {p["id"] for p in self.projects.values()}:
            return _error("NOT_FOUND", "Could not resolve to ProjectV2")
        for item_id, item in self.items.items():  # GitHub answers the item already there
            if item["project"] == project and item["content"] == content:
                return Reply(200, {"data": {"addProjectV2ItemById": {"item": {"id": item_id}}}})
        item_id = f"PVTI_{len(self.items) + 1}"
        self.items[item_id] = {"project": project, "content": content, "values": {}}
        return Reply(200, {"data": {"addProjectV2ItemById": {"item": {"id": item_id}}}})

    def _update(self, inputs: dict[str, Any]) -> Reply:
        self.operations.append("update")
        refused = self._refused("updateProjectV2ItemFieldValue", write=True)
        if refused:
            return refused
        item = self.items.get(inputs.get("itemId", ""))
        fields = {f["id"]: f for p in self.projects.values() for f in p["fields"]["nodes"]}
        field = fields.get(inputs.get("fieldId", ""))
        value = inputs.get("value") or {}
        if item is None or field is None or item["project"] != inputs.get("projectId"):
            return _error("NOT_FOUND", "Could not resolve the item or the field")
        kind = field["dataType"]
        if kind == "SINGLE_SELECT":
            option = value.get("singleSelectOptionId")
            if option not in {o["id"] for o in field["options"]}:
                return _error("INVALID", "The single select option Id does not belong to the field")
            item["values"][field["id"]] = option
        elif kind == "TEXT" and isinstance(value.get("text"), str):
            item["values"][field["id"]] = value["text"]
        elif kind == "NUMBER" and isinstance(value.get("number"), int | float):
            item["values"][field["id"]] = float(value["number"])
        else:
            return _error("INVALID", f"A value of the field's type ({kind}) is required")
        return Reply(
            200, {"data": {"updateProjectV2ItemFieldValue": {"projectV2Item": {"id": "x"}}}}
        )


def _value(field_id: str, value: Any) -> dict[str, Any]:
    field = {"field": {"id": field_id}}
    if isinstance(value, float):
        return {"number": value, **field}
    if isinstance(value, str) and value.startswith("OPT_"):
        return {"optionId": value, **field}
    return {"text": value, **field}


def _error(kind: str, message: str) -> Reply:
    return Reply(200, {"data": None, "errors": [{"type": kind, "message": message}]})


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    return []
