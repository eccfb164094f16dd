"""An edit of the survey's inputs printed, checked and written: what every command of
generator/edit.py shares.

The edit is held as text per file (`Project.edited`). `finish` prints a unified diff of
every file it changes, reads the project as edited with the project's own loader and
analysis (generator/load.py reads the edited texts in place of the files, so nothing is
written to check them) and writes nothing when that finds an error. Each file is then
replaced in one step (a file beside it, renamed over it), and only inside the project
folder.
"""

from __future__ import annotations

import difflib
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

import yaml

from .errors import InputError, Problem
from .load import load
from .model import Survey
from .site import analyse
from .yamledit import Document, YamlEditError, read_document

EVALUATION = "evaluation"
"""The folder of the judgements `check --evaluate` measures against."""


class EditError(Exception):
    """The command cannot make its edit; nothing was written."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(map(str, self.problems)))


class Project:
    """The files of the project in `root` being edited: name to text, read once."""

    def __init__(self, root: Path, survey: Survey) -> None:
        self.root, self.survey = root, survey
        settings = survey.inputs.config.settings
        self.taxonomy, self.papers = settings.taxonomy, settings.papers
        self.texts: dict[str, str] = {}
        self.edited: dict[str, str] = {}

    def read(self, name: str) -> str:
        """The file's text ("" when there is none)."""
        if name not in self.texts:
            path = self.root / name
            try:
                self.texts[name] = path.read_text(encoding="utf-8") if path.is_file() else ""
            except (OSError, UnicodeError) as exc:
                raise EditError([Problem(name, 0, 0, f"cannot be read: {exc}")]) from None
        return self.texts[name]

    def document(self, name: str) -> Document:
        """The file read round trip, for editing."""
        try:
            return read_document(name, self.read(name))
        except YamlEditError as exc:
            raise EditError([Problem(name, exc.line, 0, exc.message)]) from None

    def evaluation(self) -> list[str]:
        folder = self.root / EVALUATION
        return sorted(f"{EVALUATION}/{p.name}" for p in folder.glob("*.yaml") if p.is_file())

    def set(self, name: str, text: str) -> None:
        if text != self.read(name):
            self.edited[name] = text


def finish(project: Project, dry_run: bool) -> int:
    """Print the diff of every edited file; check the edit with the project's loader and
    analysis; write it unless asked not to or it has errors."""
    if not project.edited:
        print("nothing to change", file=sys.stderr)
        return 0
    for name, text in project.edited.items():
        sys.stdout.writelines(diff(name, project.read(name), text))
    problems = check(project)
    for problem in problems:
        print(problem, file=sys.stderr)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        print(f"{len(errors)} error(s) in the edited files: nothing was written", file=sys.stderr)
        return 1
    if dry_run:
        print("dry run: nothing was written", file=sys.stderr)
        return 0
    targets = {name: inside(project.root, name) for name in project.edited}
    for name, text in project.edited.items():
        write(targets[name], text)
        print(f"wrote {name}", file=sys.stderr)
    return 0


def diff(name: str, old: str, new: str) -> list[str]:
    lines = difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{name}", f"b/{name}"
    )
    return [line if line.endswith("\n") else line + "\n" for line in lines]


def check(project: Project) -> list[Problem]:
    """The problems of the project as edited: every error, and the warnings it did not
    have before (advice is left to `check`)."""
    survey = project.survey
    before = {(p.file, p.message) for p in survey.warnings}
    try:
        inputs = load(project.root, survey.inputs.config, project.edited)
        problems = list(analyse(inputs).warnings)
    except InputError as exc:
        problems = list(exc.problems)
    for name, text in project.edited.items():
        if name.startswith(f"{EVALUATION}/"):
            try:
                yaml.safe_load(text)
            except yaml.YAMLError as exc:
                problems.append(Problem(name, 0, 0, f"YAML syntax error: {exc}"))
    new = [p for p in problems if (p.file, p.message) not in before and p.severity == "warning"]
    return [p for p in problems if p.severity == "error"] + new


def inside(root: Path, name: str) -> Path:
    """The file `name` of the project in `root`; EditError when it leads out of the folder
    (a link, or a name with `..`)."""
    target = (root / name).resolve()
    if not target.is_relative_to(root.resolve()):
        raise EditError([Problem(name, 0, 0, f"leads out of the project folder, to {target}")])
    return target


def write(target: Path, text: str) -> None:
    """Replace `target` with `text` in one step: a file beside it, renamed over it."""
    handle, temporary = tempfile.mkstemp(prefix=".edit-", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.chmod(temporary, target.stat().st_mode & 0o777 if target.exists() else 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
