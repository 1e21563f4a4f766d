#!/usr/bin/env bash
# Installs the named PyPI packages whose command is not on PATH yet (pip, for the current user
# when not root): tools the integration tests run, such as schemathesis.
set -euo pipefail
missing=()
for package in "$@"; do
    command -v "$package" >/dev/null 2>&1 || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing from PyPI: ${missing[*]}" >&2
user=""
[ "$(id -u)" -eq 0 ] || user="--user"
python3 -m pip install --quiet --disable-pip-version-check $user "${missing[@]}"
