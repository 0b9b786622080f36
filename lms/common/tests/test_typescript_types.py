"""The TypeScript client's generated types (clients/typescript/src/schema.d.ts) match the
schema: a change to the API updates them in the same commit (`make test` says how).

Needs Node.js and npm (the client's pinned openapi-typescript); skipped with the reason
without them. `.ci/run` runs the whole client check (`clients/typescript/check.sh`).
"""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

CLIENT = Path(settings.BASE_DIR) / "clients" / "typescript"
UPDATE = "the API's schema changed: run `bash clients/typescript/check.sh --update` and commit"

pytestmark = pytest.mark.skipif(
    not (shutil.which("node") and shutil.which("npm")), reason="no Node.js/npm on this machine"
)


def test_committed_types_match_the_schema(tmp_path):
    if not (CLIENT / "node_modules" / ".bin" / "openapi-typescript").exists():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=CLIENT,
            check=True,
            capture_output=True,
            timeout=300,
        )
    schema = tmp_path / "schema.yml"
    call_command("spectacular", file=str(schema))
    generated = tmp_path / "schema.d.ts"
    subprocess.run(
        [
            str(CLIENT / "node_modules" / ".bin" / "openapi-typescript"),
            str(schema),
            "--default-non-nullable",
            "false",
            "--output",
            str(generated),
        ],
        cwd=CLIENT,
        check=True,
        capture_output=True,
        timeout=120,
    )
    if generated.read_text() != (CLIENT / "src" / "schema.d.ts").read_text():
        pytest.fail(UPDATE)
