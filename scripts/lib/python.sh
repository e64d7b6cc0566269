# shellcheck shell=bash disable=SC2034  # SR_PY is set for the sourcing script
#
# scripts/lib/python.sh: a Python virtual environment holding the PyPI tools a suite needs
# (schemathesis, sslyze), pinned. Sourced, not run. The environment lives under
# $STRONGROOM_TOOLS_DIR (default ~/.cache/strongroom-tools), one per Python version, and
# is reused; pip runs only when a pinned package is missing.
#
#     source scripts/lib/python.sh
#     sr_py_tools schemathesis==4.1.4 || exit 1
#     "$SR_PY" -m … ; "$SR_PY_BIN/schemathesis" …

sr_py_log() {
    printf '%s: %s\n' "${SR_SUITE:-python.sh}" "$*" >&2
}

# Make (or reuse) the environment and install the pinned requirements given as arguments.
# Sets SR_PY (its python) and SR_PY_BIN (its bin directory).
sr_py_tools() {
    local base version venv missing=() requirement
    command -v python3 >/dev/null 2>&1 || { sr_py_log "python3 is needed"; return 1; }
    version=$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])') || return 1
    base=${STRONGROOM_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/strongroom-tools}
    venv=$base/venv-$version
    # An environment without a working pip is made again: `python3 -m venv` that failed
    # half-way (as it does on Debian without python3-venv, where ensurepip is missing)
    # leaves a bin/python behind, and reusing it would fail at every later pip install.
    if ! "$venv/bin/python" -m pip --version >/dev/null 2>&1; then
        rm -rf "$venv"
        mkdir -p "$base" || return 1
        if ! python3 -m venv "$venv" >/dev/null 2>&1; then
            # No ensurepip: make the environment without pip, and let the system's pip
            # (22.3 or later, for --python) put pip into it.
            rm -rf "$venv"
            { python3 -m venv --without-pip "$venv" >&2 &&
                python3 -m pip --python "$venv/bin/python" install -q --disable-pip-version-check pip >&2; } ||
                { sr_py_log "cannot make a Python environment at $venv: python3 -m venv needs ensurepip (Debian: python3-venv) or pip 22.3+"; rm -rf "$venv"; return 1; }
        fi
    fi
    SR_PY=$venv/bin/python
    SR_PY_BIN=$venv/bin
    for requirement in "$@"; do
        "$SR_PY" - "$requirement" <<'EOF' 2>/dev/null || missing+=("$requirement")
import sys
from importlib.metadata import version
name, wanted = sys.argv[1].split("==")
sys.exit(0 if version(name) == wanted else 1)
EOF
    done
    ((${#missing[@]} == 0)) && return 0
    sr_py_log "installing ${missing[*]} from PyPI into $venv"
    "$SR_PY" -m pip install -q --disable-pip-version-check "${missing[@]}" >&2 ||
        { sr_py_log "pip install ${missing[*]} failed"; return 1; }
}
