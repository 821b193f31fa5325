"""The files a brief's own repository uses: the pre-commit hook and the sample workflow."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).parent.parent


def test_pre_commit_hook_runs_check_once_when_the_brief_changes() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert [hook["id"] for hook in hooks] == ["briefgen-check"]
    hook = hooks[0]
    assert (hook["entry"], hook["language"], hook["pass_filenames"]) == ("briefgen check", "python", False)
    files = re.compile(hook["files"])
    for path in ["briefgen.yaml", "content/actors/shoigu.md", "content/index.md", "templates/article.html",
                 "static/logo.png"]:
        assert files.search(path), path
    for path in ["README.md", "notes/content/x.md", "briefgen.yaml.bak", "build/index.html"]:
        assert not files.search(path), path


def test_sample_workflow_checks_pull_requests_and_publishes_main() -> None:
    workflow: dict[Any, Any] = yaml.safe_load((ROOT / "docs/publish-workflow.yml").read_text("utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key "on" as true
    assert set(triggers) == {"pull_request", "push", "workflow_dispatch"}
    assert triggers["push"]["branches"] == ["main"]
    check, publish = workflow["jobs"]["check"], workflow["jobs"]["publish"]
    assert check["if"] == "github.event_name == 'pull_request'"
    assert {"run": "briefgen check --format github"} in check["steps"]
    assert publish["if"] == "github.event_name != 'pull_request'"
    assert publish["permissions"] == {"pages": "write", "id-token": "write"}
    uses = [step.get("uses", "").split("@")[0] for step in publish["steps"]]
    assert uses[-3:] == ["actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"]
    runs = [step["run"] for step in publish["steps"] if "run" in step]
    assert runs[-2:] == ["briefgen build --format github", "rm -rf build/.briefgen build/.briefgen-output"]


def test_readme_links_the_guide() -> None:
    assert "`docs/guide.md`" in (ROOT / "README.md").read_text("utf-8")
