"""The core names no app: no app model, kind, URL namespace or import in
``wiki/`` or the site templates (what an app adds comes through
``wiki.registry``).  The exceptions are ``wiki/settings.py``, which lists
INSTALLED_APPS, the module declaring the wiki's own Theme kind, and the
migrations, which are history."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXEMPT = {"wiki/settings.py", "wiki/themes.py"}
APPS = ("people", "sources", "toykind")
MODELS = (
    "Person",
    "Organization",
    "Work",
    "Source",
    "Affiliation",
    "Authorship",
    "Citation",
    "Dataset",
)
KINDS = ("person", "organization", "work", "source", "dataset")
# An identifier naming an app model: the name itself or a name built on it
# (PersonForm, SOURCE_KIND), but not an English word that starts alike (Worker).
MODEL_IDENTIFIER = re.compile(
    rf"^(?:{'|'.join(MODELS)})(?:[A-Z_]\w*)?$"
    rf"|^(?:{'|'.join(k.upper() for k in KINDS)})(?:_\w*)?$"
)
NAMESPACE = re.compile(rf"\b(?:{'|'.join(APPS)}):\w")
APP_PATH = re.compile(rf"^(?:{'|'.join(APPS)})(?:\.\w+)*$")


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(
            node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef
        ):
            body = node.body
            if (
                body
                and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)
            ):
                found.add(id(body[0].value))
    return found


def core_field_names() -> set[str]:
    """Names of the core's own model fields ("source" of a PageLink is the
    page a link is in, not the kind): a string naming one is no hit."""
    from django.apps import apps

    return {
        field.name
        for model in apps.get_app_config("wiki").get_models()
        for field in [*model._meta.local_fields, *model._meta.local_many_to_many]
    }


def _is_kind_or_app(value: str) -> bool:
    value = value.strip().lower()
    return (value in KINDS or value in APPS) and value not in core_field_names()


def python_hits(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    docstrings = _docstrings(tree)
    hits = []

    def hit(node, what):
        hits.append((node.lineno, f"{path.relative_to(ROOT)}:{node.lineno}: {what}"))

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in APPS:
                    hit(node, f"imports {alias.name}")
        elif isinstance(node, ast.ImportFrom):
            if node.module and node.module.split(".")[0] in APPS:
                hit(node, f"imports from {node.module}")
            for alias in node.names:
                if MODEL_IDENTIFIER.match(alias.name):
                    hit(node, f"imports {alias.name}")
        elif isinstance(node, ast.Name) and MODEL_IDENTIFIER.match(node.id):
            hit(node, f"names {node.id}")
        elif isinstance(node, ast.Attribute) and MODEL_IDENTIFIER.match(node.attr):
            hit(node, f"names .{node.attr}")
        elif isinstance(node, ast.ClassDef | ast.FunctionDef) and (
            MODEL_IDENTIFIER.match(node.name)
        ):
            hit(node, f"defines {node.name}")
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
        ):
            value = node.value.strip()
            if (
                _is_kind_or_app(value)
                or NAMESPACE.search(value)
                or APP_PATH.match(value)
            ):
                hit(node, f"string {node.value!r}")
    return [text for _, text in sorted(hits, key=lambda pair: pair[0])]


TEMPLATE_TAG = re.compile(r"{%.*?%}|{{.*?}}", re.S)
TEMPLATE_COMMENT = re.compile(r"{#.*?#}|{% comment %}.*?{% endcomment %}", re.S)
QUOTED = re.compile(r"""(['"])(.*?)\1""")


def template_hits(path: Path) -> list[str]:
    text = TEMPLATE_COMMENT.sub(
        lambda m: "\n" * m.group(0).count("\n"), path.read_text()
    )
    hits = []
    for tag in TEMPLATE_TAG.finditer(text):
        line = text.count("\n", 0, tag.start()) + 1
        where = f"{path.relative_to(ROOT)}:{line}"
        for _, value in QUOTED.findall(tag.group(0)):
            if _is_kind_or_app(value):
                hits.append(f"{where}: string {value!r}")
            elif NAMESPACE.search(value):
                hits.append(f"{where}: URL name {value!r}")
        for word in re.findall(r"[A-Za-z_]\w*", QUOTED.sub("", tag.group(0))):
            if MODEL_IDENTIFIER.match(word) and word[0].isupper():
                hits.append(f"{where}: names {word}")
    return hits


def core_python_files() -> list[Path]:
    return sorted(
        path
        for path in (ROOT / "wiki").rglob("*.py")
        if str(path.relative_to(ROOT)) not in EXEMPT
        and "migrations" not in path.relative_to(ROOT).parts
    )


def site_templates() -> list[Path]:
    templates = ROOT / "templates"
    return sorted(
        [
            templates / "base.html",
            templates / "403.html",
            templates / "404.html",
            *(templates / "wiki").rglob("*.html"),
            *(templates / "includes").rglob("*.html"),
            *(templates / "registration").rglob("*.html"),
            *(templates / "registration").rglob("*.txt"),
        ]
    )


def test_the_scan_finds_what_it_looks_for(tmp_path, db):
    planted = tmp_path / "planted.py"
    planted.write_text(
        '"""A docstring may say person, Person and sources: freely."""\n'
        "from people.models import Person\n"
        "import sources.models\n"
        "kind = 'work'  # a comment may say 'work' too\n"
        "url = reverse('people:person_index')\n"
        "Worker = SourceSitemap\n"
        "text = 'the work of a person'\n"
    )
    global ROOT
    root, ROOT = ROOT, tmp_path
    try:
        hits = python_hits(planted)
    finally:
        ROOT = root
    assert hits == [
        "planted.py:2: imports from people.models",
        "planted.py:2: imports Person",
        "planted.py:3: imports sources.models",
        "planted.py:4: string 'work'",
        "planted.py:5: string 'people:person_index'",
        "planted.py:6: names SourceSitemap",
    ]


def test_the_core_and_the_site_templates_name_no_app():
    hits = [hit for path in core_python_files() for hit in python_hits(path)]
    hits += [hit for path in site_templates() for hit in template_hits(path)]

    assert hits == [], "\n".join(hits)
