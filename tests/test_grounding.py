"""Boundaries from the repository (PRODUCT.md §13): the index of a checkout, the locator's
rules on small repositories in several languages, the hand-out they give through the CLI,
and the gate on a proposed boundary with and without the planner:widen label."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner import cli
from planner.action.repo_index import build_index
from planner.core.boundaries import Protected, is_unbounded, lookalike, protected_globs
from planner.core.locate import Locator, TaskText, _secret
from planner.core.paths import path_matches
from planner.core.repo import CodeTests
from planner.model import Config
from tests.runner import run_action, webhook

IDENTITY = ("-c", "user.name=dev", "-c", "user.email=dev@localhost", "-c", "commit.gpgsign=false")

# A small service in four languages, written for these tests.
SHOP = {
    "README.md": "# Shop\n\n## Installing\n\nRun make.\n",
    "docs/pricing.md": "# Pricing rules\n\nDiscounts apply to baskets over 50.\n",
    "docs/shipping.md": "# Shipping\n\nParcels leave daily.\n",
    "shop/__init__.py": "from shop.basket import Basket\n",
    "shop/basket.py": (
        "class Basket:\n    def add_item(self, sku, quantity):\n"
        "        self.items[sku] = quantity\n"
        "\n    def total_price(self):\n        return sum(self.items.values())\n"
    ),
    "shop/discount.py": (
        "DISCOUNT_THRESHOLD = 50\n\ndef apply_discount(basket):\n"
        "    return basket.total_price() * 0.9\n"
    ),
    "shop/shipping.py": "def parcel_weight(basket):\n    return len(basket.items)\n",
    "tests/test_basket.py": "from shop.basket import Basket\n\ndef test_add_item():\n    pass\n",
    "tests/test_discount.py": "from shop.discount import apply_discount\n",
    "tests/test_shipping.py": "from shop.shipping import parcel_weight\n",
    "ledger/ledger.go": (
        "package ledger\n\ntype Entry struct{}\n\n"
        "func BuildIndex(entries []Entry) map[string]int {\n"
        "\treturn nil\n}\n"
    ),
    "ledger/ledger_test.go": "package ledger\n\nfunc TestBuildIndex(t *testing.T) {}\n",
    "ledger/reconcile.go": "package ledger\n\nfunc Reconcile() {}\n",
    "web/src/cart.ts": "export function renderCart(items: string[]): string {\n  return ''\n}\n",
    "web/src/cart.test.ts": "import { renderCart } from './cart'\n",
    "web/src/checkout.ts": "export class CheckoutForm {}\n",
    "engine/src/lib.rs": "pub mod rounding;\n",
    "engine/src/rounding.rs": "pub fn round_half_even(x: f64) -> f64 { x }\n",
    ".github/workflows/ci.yml": "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n",
    "Makefile": "test:\n\tpytest\n\nrelease:\n\t./release.sh\n",
}


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *IDENTITY, *args], check=True, capture_output=True, text=True
    )
    return done.stdout


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def shop(tmp_path: Path) -> Path:
    """The shop as a git checkout, as actions/checkout leaves it (one commit)."""
    root = tmp_path / "shop"
    write(root, SHOP)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "shop")
    return root


def locator(tmp_path: Path) -> Locator:
    return Locator(build_index(shop(tmp_path)), GUARD)


GUARD = Protected(protected_globs(Config()))


def propose(loc: Locator, text: str, kind: str = "feature") -> list[str]:
    proposal = loc.propose(TaskText(text=text, kind=kind))
    assert proposal.confident, proposal
    return proposal.paths


# ------------------------------------------------------------------------ the index


def test_the_index_reads_tracked_files_and_what_they_define(tmp_path: Path) -> None:
    root = shop(tmp_path)
    (root / "untracked.py").write_text("def stray():\n    pass\n")
    (root / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    git(root, "add", "logo.png")
    index = build_index(root)
    by_path = {f.path: f for f in index.files}
    assert "untracked.py" not in by_path  # git's index, not the folder, says what is tracked
    assert "logo.png" in index.unread and "logo.png" not in by_path
    assert {"Basket", "add_item", "total_price"} <= set(by_path["shop/basket.py"].defines)
    assert "BuildIndex" in by_path["ledger/ledger.go"].defines
    assert "renderCart" in by_path["web/src/cart.ts"].defines
    assert "round_half_even" in by_path["engine/src/rounding.rs"].defines
    assert {"test", "release"} <= set(by_path["Makefile"].defines)
    assert "Pricing rules" in by_path["docs/pricing.md"].defines


def test_a_folder_that_is_no_checkout_is_walked_without_vendored_trees(tmp_path: Path) -> None:
    write(tmp_path, {"app/main.py": "def run():\n    pass\n", "node_modules/x/index.js": "x\n"})
    index = build_index(tmp_path)
    assert [f.path for f in index.files] == ["app/main.py"]


def test_tests_are_paired_with_their_code_by_the_repositorys_convention() -> None:
    tests = CodeTests(list(SHOP))
    assert tests.tests_of("shop/basket.py") == ["tests/test_basket.py"]
    assert tests.tests_of("ledger/ledger.go") == ["ledger/ledger_test.go"]
    assert tests.tests_of("web/src/cart.ts") == ["web/src/cart.test.ts"]
    assert tests.tests_of("tests/test_basket.py") == []
    # A test tree that mirrors the code's, file for file (test/unit/adapters/http.js).
    mirror = CodeTests(
        ["lib/adapters/http.js", "lib/helpers/http.js", "test/unit/adapters/http.js"]
    )
    assert mirror.tests_of("lib/adapters/http.js") == ["test/unit/adapters/http.js"]
    assert mirror.tests_of("lib/helpers/http.js") == []
    assert mirror.subjects_of("test/unit/adapters/http.js") == ["lib/adapters/http.js"]
    # The code a test tests is code: docs/api.md is no subject of tests/api.test.js.
    documented = CodeTests(
        ["tests/api.test.js", "docs/api.md", ".cursor/rules/api.mdc", "src/api.js"]
    )
    assert documented.subjects_of("tests/api.test.js") == ["src/api.js"]


# ------------------------------------------------------------------------ the locator


def test_a_bare_file_name_is_the_repositorys_file_of_that_name(tmp_path: Path) -> None:
    paths = propose(locator(tmp_path), "Speed up test_discount.py")
    assert "tests/test_discount.py" in paths and "test_discount.py" not in paths


def covers(paths: list[str], *files: str) -> bool:
    return all(any(path_matches(f, p) for p in paths) for f in files)


def test_a_called_name_leads_to_the_file_that_defines_it_and_its_tests(tmp_path: Path) -> None:
    paths = propose(locator(tmp_path), "Make BuildIndex() skip empty entries")
    assert covers(paths, "ledger/ledger.go", "ledger/ledger_test.go"), paths
    assert not covers(paths, "shop/basket.py")


def test_an_identifier_in_backticks_finds_its_typescript_file(tmp_path: Path) -> None:
    paths = propose(locator(tmp_path), "Show the unit price in `renderCart`")
    assert covers(paths, "web/src/cart.ts", "web/src/cart.test.ts"), paths


def test_words_rank_paths_and_definitions(tmp_path: Path) -> None:
    paths = propose(locator(tmp_path), "Round half to even when rounding prices in the engine")
    assert covers(paths, "engine/src/rounding.rs"), paths


def test_a_docs_task_goes_to_the_docs(tmp_path: Path) -> None:
    paths = propose(locator(tmp_path), "Document the discount threshold", kind="docs")
    assert paths and all(p.endswith(".md") or p.startswith("docs/") for p in paths), paths


def test_a_protected_path_is_never_proposed(tmp_path: Path) -> None:
    loc = locator(tmp_path)
    proposal = loc.propose(TaskText(text="Run the test job of ci.yml on ubuntu-latest"))
    assert all(not GUARD.touched(p) for p in proposal.paths), proposal.paths


def test_a_path_the_text_names_is_looked_up_in_the_repository(tmp_path: Path) -> None:
    loc = locator(tmp_path)
    assert loc.resolve("test_basket.py") == (
        ["tests/test_basket.py"],
        "test_basket.py is tests/test_basket.py",
    )
    assert loc.resolve("Node.js")[0] == []  # a product, not a file
    assert loc.resolve("add_item/total_price/**")[0] == []  # two names joined by a slash
    assert loc.resolve("shop/refunds.py") == (["shop/refunds.py"], "shop/refunds.py is a new file")
    assert loc.resolve("shop/**") == (["shop/**"], None)


WORDS = st.sampled_from(
    "add fix basket discount price shipping parcel ledger entry index cart checkout render "
    "round engine docs readme test workflow ci yml github make release the a of * ** / . ..".split()
)


@pytest.fixture(scope="module")
def shop_locator(tmp_path_factory: pytest.TempPathFactory) -> Locator:
    return locator(tmp_path_factory.mktemp("shop"))


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(words=st.lists(WORDS, min_size=1, max_size=12))
def test_no_proposed_boundary_is_unbounded_or_protected(
    shop_locator: Locator, words: list[str]
) -> None:
    proposal = shop_locator.propose(TaskText(text=" ".join(words)))
    for path in proposal.paths:
        assert not is_unbounded(path) and not path.startswith("**")
        assert not GUARD.touched(path)


# ------------------------------------------------------------------------ the hand-out

SEED_SHAPED = """# Separate the ledger from the shop

## Tasks
- [ ] Implement ledger reconciliation in Reconcile()
- [ ] Apply the discount threshold in apply_discount
- [ ] Produce coverage matrix of the basket rules
  - kind: verification
- [ ] Verify evidence for the shipping weights
  - kind: verification
"""


def cli_plan(request: Path, workspace: Path, *extra: str) -> tuple[int, str]:
    out = io.StringIO()
    return cli.main(["plan", str(request), "--workspace", str(workspace), *extra], out), (
        out.getvalue()
    )


def test_a_seed_shaped_request_is_green_with_its_feature_work_handed_out(tmp_path: Path) -> None:
    root = shop(tmp_path)
    request = tmp_path / "issue.md"
    request.write_text(SEED_SHAPED)
    code, out = cli_plan(request, root, "--issue-number", "7")
    assert code == 0, out
    fanout = json.loads((root / ".agent" / "planner-fanout-7.json").read_text())
    handed = {t["id"]: t["diff_boundary"] for t in fanout["tasks"]}
    assert set(handed) == {"M1-T1", "M1-T2"}
    assert handed["M1-T1"]["source"] == "proposed" and any(
        p.startswith("ledger/") for p in handed["M1-T1"]["paths"]
    )
    assert "shop/discount.py" in handed["M1-T2"]["paths"]
    assert handed["M1-T2"]["evidence"]
    deferred = {d["task"]: d["rule"] for d in fanout["deferred"]}
    assert deferred == {"M1-T3": "seed-7-feature-first", "M1-T4": "seed-7-feature-first"}
    assert "needs-boundary" not in out  # rule 7 defers them: they need no boundary yet
    brief = (root / ".agent" / "tasks" / "7-M1-T2.md").read_text()
    assert "proposed these from the repository" in brief and "planner:widen" in brief


def test_a_task_without_evidence_is_held_back_with_the_line_to_add(tmp_path: Path) -> None:
    root = shop(tmp_path)
    request = tmp_path / "issue.md"
    request.write_text("## Tasks\n- [ ] Tidy up\n- [ ] Fix apply_discount rounding\n")
    code, out = cli_plan(request, root, "--issue-number", "8")
    assert code == 0, out
    contract = json.loads((root / ".agent" / "planning-output-8.json").read_text())
    tidy = contract["roadmap"]["milestones"][0]["tasks"][0]["diff_boundary"]
    assert tidy["source"] == "none" and tidy["paths"] == []
    assert "[needs-boundary]" in out and "- paths:" in out
    assert run_strict(request, root) == 1  # fail-on: warning keeps strict teams strict


def run_strict(request: Path, root: Path) -> int:
    return cli_plan(request, root, "--issue-number", "8", "--fail-on", "warning")[0]


def test_a_stated_boundary_always_wins(tmp_path: Path) -> None:
    root = shop(tmp_path)
    request = tmp_path / "issue.md"
    request.write_text("## Tasks\n- [ ] Fix apply_discount rounding\n  - paths: shop/money/**\n")
    assert cli_plan(request, root, "--issue-number", "9")[0] == 0
    contract = json.loads((root / ".agent" / "planning-output-9.json").read_text())
    boundary = contract["roadmap"]["milestones"][0]["tasks"][0]["diff_boundary"]
    assert boundary["paths"] == ["shop/money/**"] and boundary["source"] == "stated"


# ------------------------------------------------------------------------ the gate


def planned_shop(tmp_path: Path) -> Path:
    """The shop with #7 planned on main (M1-T2's boundary proposed), on a work branch."""
    root = shop(tmp_path)
    request = tmp_path / "issue.md"
    request.write_text(SEED_SHAPED)
    assert cli_plan(request, root, "--issue-number", "7")[0] == 0
    git(root, "add", "-A")
    git(root, "commit", "-qm", "plan")
    git(root, "checkout", "-q", "-b", "work")
    return root


def check(tmp: Path, repo: Path, labels: tuple[str, ...] = ()) -> dict[str, object]:
    payload = webhook("pull_request", "opened")
    payload["pull_request"]["head"]["ref"] = "planner/7/M1-T2"
    payload["pull_request"]["base"]["ref"] = "main"
    payload["pull_request"]["base"]["sha"] = git(repo, "rev-parse", "main").strip()
    payload["pull_request"]["head"]["sha"] = git(repo, "rev-parse", "HEAD").strip()
    payload["pull_request"]["title"] = "Apply the discount threshold"
    payload["pull_request"]["body"] = ""
    payload["pull_request"]["labels"] = [{"name": name} for name in labels]
    result = run_action(tmp, "pull_request", payload, workspace=repo, inputs={"mode": "check"})
    return {"code": result.code, "findings": json.loads(result.outputs["findings"])}


def change(repo: Path, files: dict[str, str]) -> None:
    write(repo, files)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "work")


def test_a_change_outside_a_proposed_boundary_fails_with_the_line_that_widens_it(
    tmp_path: Path,
) -> None:
    repo = planned_shop(tmp_path)
    change(repo, {"shop/discount.py": "DISCOUNT_THRESHOLD = 60\n", "web/src/checkout.ts": "//\n"})
    result = check(tmp_path / "run", repo)
    assert result["code"] == 1
    (found,) = [f for f in result["findings"] if f["rule"] == "check-diff-boundary"]  # type: ignore[union-attr]
    assert "proposed by the planner" in found["message"]
    assert "web/src/checkout.ts" in found["message"] and "- paths:" in found["message"]
    assert "planner:widen" in found["message"]


def test_the_widen_label_admits_the_files_and_says_which(tmp_path: Path) -> None:
    repo = planned_shop(tmp_path)
    change(repo, {"shop/discount.py": "DISCOUNT_THRESHOLD = 60\n", "web/src/checkout.ts": "//\n"})
    result = check(tmp_path / "run", repo, labels=("planner:widen",))
    assert result["code"] == 0, result
    rules = [f["rule"] for f in result["findings"]]  # type: ignore[union-attr]
    assert rules == ["check-widened"]
    assert "web/src/checkout.ts" in result["findings"][0]["message"]  # type: ignore[index]


def test_the_widen_label_never_admits_a_protected_path(tmp_path: Path) -> None:
    repo = planned_shop(tmp_path)
    change(repo, {"shop/discount.py": "X = 1\n", ".github/workflows/ci.yml": "on: [push]\n"})
    result = check(tmp_path / "run", repo, labels=("planner:widen",))
    assert result["code"] == 1
    (found,) = [f for f in result["findings"] if f["rule"] == "check-diff-boundary"]  # type: ignore[union-attr]
    assert ".github/workflows/ci.yml" in found["message"]


def test_a_milestone_that_is_one_change_is_its_own_task(tmp_path: Path) -> None:
    root = shop(tmp_path)
    request = tmp_path / "issue.md"
    request.write_text(
        "### Milestones\n\n- [ ] Add a parcel weight limit to parcel_weight\n"
        "- [ ] Phase 2: Add gift wrapping to the basket\n- [ ] Polish\n"
    )
    code, out = cli_plan(request, root, "--issue-number", "11")
    assert code == 0, out
    contract = json.loads((root / ".agent" / "planning-output-11.json").read_text())
    tasks = [[t["title"] for t in m["tasks"]] for m in contract["roadmap"]["milestones"]]
    assert tasks == [
        ["Add a parcel weight limit to parcel_weight"],
        ["Add gift wrapping to the basket"],
        [],
    ]
    assert out.count("[request-milestone-without-tasks]") == 1  # "Polish" names no change
    first = contract["roadmap"]["milestones"][0]["tasks"][0]["diff_boundary"]
    assert first["source"] == "proposed" and "shop/shipping.py" in first["paths"]
    assert (root / ".agent" / "tasks" / "11-M1-T1.md").exists()  # in the matrix, with a brief


def test_a_state_or_criterion_is_kept_in_the_plan_not_handed_out(tmp_path: Path) -> None:
    root = shop(tmp_path)
    request = tmp_path / "issue.md"
    request.write_text(
        "## Tasks\n- [ ] Apply the discount threshold in apply_discount\n"
        "- [ ] All basket tests pass\n- [ ] Setup Phase: 8 tasks\n"
        "- [ ] Basket coverage ≥ 90%\n- [ ] docs: explain the pricing rules\n"
        "- [ ] fix: discount applied when the basket passed the threshold twice\n"
        '- [ ] "basket does not exist" error in parcel_weight\n'
        "- [ ] Follow the coding standards of the shop package\n"
        "- [ ] Build: passes on the Windows runner\n"
    )
    code, out = cli_plan(request, root, "--issue-number", "12")
    assert code == 0, out
    fanout = json.loads((root / ".agent" / "planner-fanout-12.json").read_text())
    # A commit's type says the line is a change; a quoted message is not its state.
    assert [t["id"] for t in fanout["tasks"]] == ["M1-T1", "M1-T5", "M1-T6", "M1-T7"]
    deferred = {d["task"]: d["rule"] for d in fanout["deferred"]}
    # A rule the whole work keeps ("Follow the coding standards") is no change either.
    # A capital "Build:" is a label, not a commit's type: its line is a state.
    held = ("M1-T2", "M1-T3", "M1-T4", "M1-T8", "M1-T9")
    assert deferred == dict.fromkeys(held, "task-not-a-change")
    assert out.count("[task-not-a-change]") == 5


def test_a_file_whose_name_passes_for_another_is_never_proposed(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    write(
        root,
        {"docs/install-linux.md": "# Install on Linux\n", "docs/ja/install（linux）.md": "x\n"},
    )
    loc = Locator(build_index(root), GUARD)
    proposal = loc.propose(TaskText(text="Update the linux install documentation"))
    assert proposal.confident and "docs/ja/install（linux）.md" not in proposal.paths
    assert all(lookalike(p) is None for p in proposal.paths)


def test_the_files_a_tasks_details_name_or_create_are_its_boundary(tmp_path: Path) -> None:
    root = shop(tmp_path)
    request = tmp_path / "issue.md"
    request.write_text(
        "## Tasks\n"
        "1. **Tidy the checkout flow**\n"
        "   - Move the weight rule out of `shop/shipping.py`\n"
        "   - Create `shop/rates.py` with the parcel rates\n"
        "   - Create `vendor/rates/table.py` for the carrier\n"
        "   - Create `shop/../../etc/cron.py` and `/etc/passwd`\n"
        "   - Spec: specs/checkout.md\n"
    )
    code, out = cli_plan(request, root, "--issue-number", "8")
    assert code == 0, out
    contract = json.loads((root / ".agent" / "planning-output-8.json").read_text())
    boundary = contract["roadmap"]["milestones"][0]["tasks"][0]["diff_boundary"]
    assert boundary["source"] == "proposed", boundary
    assert covers(boundary["paths"], "shop/shipping.py", "shop/rates.py"), boundary
    # A new file in a folder the repository does not have, and a planning file, are not.
    assert not covers(boundary["paths"], "vendor/rates/table.py"), boundary
    assert not any(p.startswith(("specs", "/", "etc")) or ".." in p for p in boundary["paths"])
    assert "its details create shop/rates.py" in boundary["evidence"], boundary


def test_a_file_the_details_keep_out_is_not_the_tasks(tmp_path: Path) -> None:
    root = shop(tmp_path)
    request = tmp_path / "issue.md"
    request.write_text(
        "## Acceptance criteria\n1. `shop/basket.py` is not modified\n\n"
        "## Tasks\n- [ ] Weigh parcels by volume (AC: #1)\n"
        "  - Do not touch `shop/discount.py`\n  - Don't change `shop/__init__.py`\n"
        "  - Update `shop/shipping.py`\n  - Create `shop/.git/hooks/post.py`\n"
    )
    code, out = cli_plan(request, root, "--issue-number", "8")
    assert code == 0, out
    contract = json.loads((root / ".agent" / "planning-output-8.json").read_text())
    paths = contract["roadmap"]["milestones"][0]["tasks"][0]["diff_boundary"]["paths"]
    assert covers(paths, "shop/shipping.py"), paths
    assert not covers(paths, "shop/discount.py") and not covers(paths, "shop/__init__.py")
    assert not any(".git" in p.split("/") for p in paths), paths


def test_only_a_line_that_keeps_a_file_out_keeps_it_out(tmp_path: Path) -> None:
    """ "Rewrite `x` without …" and "make `x` not crash" name the task's file; "do not
    touch `shop/`" keeps the whole folder out; a task whose path is inside a .git folder
    (a nested one too) is never handed out."""
    root = shop(tmp_path)
    request = tmp_path / "issue.md"
    request.write_text(
        "## Tasks\n- [ ] Speed up the parcel weights\n"
        "  - Rewrite `shop/shipping.py` without the per-item loop\n"
        "- [ ] Harden the ledger\n  - Make `ledger/ledger.go` not panic on empty input\n"
        "  - Do not touch `shop/`\n"
        "- [ ] Update the hooks in `vendor/lib/.git/hooks/post-checkout`\n"
    )
    code, out = cli_plan(request, root, "--issue-number", "8")
    assert code == 0, out
    contract = json.loads((root / ".agent" / "planning-output-8.json").read_text())
    weights, ledger, hooks = (
        t["diff_boundary"]["paths"] for t in contract["roadmap"]["milestones"][0]["tasks"]
    )
    assert covers(weights, "shop/shipping.py"), weights
    assert covers(ledger, "ledger/ledger.go"), ledger
    assert not any(path_matches("shop/basket.py", p) or p.startswith("shop") for p in ledger)
    assert not any(".git" in p.split("/") for p in hooks), hooks


def test_a_copy_of_a_short_request_in_the_repository_is_never_its_boundary(
    tmp_path: Path,
) -> None:
    request = (
        "# Compiler to-do\n\n## Next\n- [x] Write the tokenizer\n"
        "- [ ] Write the type checker\n- [ ] Write the emitter\n"
    )
    root = tmp_path / "compiler"
    write(
        root,
        {
            "TODO.md": request,
            "src/tokenizer/Tokenizer.ts": "export class Tokenizer { next() {} }\n",
            "src/checker/TypeChecker.ts": "export class TypeChecker { check() {} }\n",
            "src/emit/Emitter.ts": "export class Emitter { write() {} }\n",
        },
    )
    loc = Locator(build_index(root), GUARD)
    proposal = loc.propose(
        TaskText(text="Write the type checker", context="Next", background=request)
    )
    assert proposal.confident and "src/checker/*" in proposal.paths, proposal
    assert "TODO.md" not in proposal.paths + proposal.candidates, "the plan is not the work"


def test_a_code_task_only_planning_documents_match_is_held_back(tmp_path: Path) -> None:
    root = tmp_path / "feeder"
    write(
        root,
        {
            "README.md": "# Feeder\n\n![build](https://ci.example/old-badge.svg)\n",
            "docs/stories/2.1.story.md": (
                "# Story 2.1: Feeding schedules\n\nAs an owner I want feeding schedules that "
                "survive reboots.\n\n- persist the schedules\n- list, add, remove schedules\n"
            ),
            "docs/architecture.md": "# Architecture\n\nSchedules persist in flash.\n",
            "firmware/motor.c": "void motor_turn(int steps) {}\n",
        },
    )
    loc = Locator(build_index(root), GUARD)
    held = loc.propose(TaskText(text="Persist the feeding schedules across reboots"))
    assert not held.confident, "its code is yet to be written; only its plans hold its words"
    assert "docs/stories/2.1.story.md" in held.candidates
    badge = loc.propose(TaskText(text="Show the new build badge instead of the old one"))
    assert badge.confident and badge.paths == ["README.md"], "the front page is no plan"


def test_a_name_no_file_defines_leads_to_the_few_files_that_use_it(tmp_path: Path) -> None:
    root = tmp_path / "web"
    write(
        root,
        {
            "lib/headers.js": "export function parse(raw) { return raw.substr(1) }\n",
            "lib/url.js": "export function base(url) { return url.substr(0, 8) }\n",
            "lib/cookies.js": "export function read(jar) { return jar.slice(1) }\n",
            "lib/retry.js": "export function wait(ms) { return ms * 2 }\n",
            "docs/migrating.md": "# Migrating\n\nCalls to `substr()` become `slice()`.\n",
        },
    )
    loc = Locator(build_index(root), GUARD)
    proposal = loc.propose(TaskText(text="Replace the deprecated substr() with slice()"))
    assert proposal.confident, proposal
    assert covers(proposal.paths, "lib/headers.js", "lib/url.js")
    assert "`substr` is used in lib/headers.js, lib/url.js" in proposal.evidence
    used = [e for e in proposal.evidence if " is used in " in e]
    assert not any("docs/" in e for e in used), "a document names it, uses it not"


def test_a_tool_the_task_names_brings_its_dotfile_at_the_root(tmp_path: Path) -> None:
    root = tmp_path / "tool"
    write(
        root,
        {
            ".travis.yml": "language: rust\n",
            ".eslintrc.json": "{}\n",
            ".ignore": "target/\n",
            ".npmrc": "//registry.example/:_authToken=${TOKEN}\n",
            ".env.production": "KEY=1\n",
            "ci/install.sh": "rustup target add $TARGET\n",
            "ignore/src/types.rs": "pub const DEFAULT_TYPES: &[&str] = &[];\n",
        },
    )
    loc = Locator(build_index(root), GUARD)
    travis = loc.propose(TaskText(text="Add an arm64 build to Travis CI"))
    assert travis.confident and ".travis.yml" in travis.paths, travis
    assert "names travis: .travis.yml" in travis.evidence
    lint = loc.propose(TaskText(text="Turn on the ESLint rule for unused imports"))
    assert ".eslintrc.json" in lint.paths, lint
    types = loc.propose(TaskText(text="ignore: add the zig file type to the default types"))
    assert ".ignore" not in types.paths, "a short dotfile named by a word is no tool's"
    npm = loc.propose(TaskText(text="Publish the npm package from the env in CI"))
    assert ".npmrc" not in npm.paths and ".env.production" not in npm.paths, npm
    assert not _secret(".env.example") and _secret("api/.env"), "a template holds no secret"


def test_a_test_the_ranking_takes_comes_with_the_code_it_tests(tmp_path: Path) -> None:
    root = tmp_path / "store"
    write(
        root,
        {
            "checkout/flow.py": "def submit(order):\n    return order\n",
            "checkout/cart.py": "def total(items):\n    return sum(items)\n",
            "tests/test_flow.py": (
                "from checkout.flow import submit\n\n"
                "def test_retries_after_gateway_timeout():\n    submit(None)\n"
            ),
            "tests/test_cart.py": "from checkout.cart import total\n",
        },
    )
    loc = Locator(build_index(root), GUARD)
    proposal = loc.propose(TaskText(text="Retries after a gateway timeout are flaky"))
    assert proposal.confident and covers(proposal.paths, "tests/test_flow.py"), proposal
    assert covers(proposal.paths, "checkout/flow.py"), "the code its test tests"
    tests_only = loc.propose(TaskText(text="Write a test of retries after a gateway timeout"))
    assert covers(tests_only.paths, "tests/test_flow.py"), tests_only
    assert "checkout/flow.py" not in tests_only.paths, "a task of tests leaves the code be"


def test_a_docs_task_takes_the_data_files_of_the_docs_site(tmp_path: Path) -> None:
    root = tmp_path / "site"
    write(
        root,
        {
            "docs/_data/config_options.yml": "- name: exclude\n  description: skipped paths\n",
            "docs/configuration.md": "# Configuration\n\nSee the table of options.\n",
            "lib/config.rb": "EXCLUDE_DEFAULTS = []\n",
        },
    )
    loc = Locator(build_index(root), GUARD)
    proposal = loc.propose(TaskText(text="Document the exclude config option", kind="docs"))
    assert proposal.confident and covers(proposal.paths, "docs/_data/config_options.yml")
    assert "lib/config.rb" not in proposal.paths, proposal
