#!/usr/bin/env bash
# Installs the named PyPI packages that are neither a command on PATH nor an importable Python
# module yet (pip, for the current user when not root): tools and libraries the integration tests
# use, such as schemathesis and standardwebhooks.
set -euo pipefail
missing=()
# An argument is PACKAGE, or PACKAGE:MODULE when the module's name differs (nats-py:nats).
for argument in "$@"; do
    package="${argument%%:*}"
    module="${argument#*:}"
    command -v "$package" >/dev/null 2>&1 || python3 -c "import $module" >/dev/null 2>&1 || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing from PyPI: ${missing[*]}" >&2
user=""
[ "$(id -u)" -eq 0 ] || user="--user"
python3 -m pip install --quiet --disable-pip-version-check $user "${missing[@]}"
