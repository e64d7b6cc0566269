# shellcheck shell=bash
# scripts/lib/packages.sh: install Debian packages the test scripts need. Sourced, not run.

# Install the Debian packages named in "$@" with apt-get (through `sudo -n` when not root).
# Logs to stderr; returns non-zero when they cannot be installed.
sr_apt_install() {
    local -a sudo=()
    if [[ $(id -u) -ne 0 ]]; then
        if ! command -v sudo >/dev/null 2>&1; then
            printf 'packages: installing %s needs root (no sudo found)\n' "$*" >&2
            return 1
        fi
        sudo=(sudo -n)
    fi
    printf 'packages: installing %s from Debian packages\n' "$*" >&2
    "${sudo[@]}" apt-get update -q >&2 || { printf 'packages: apt-get update failed\n' >&2; return 1; }
    # `env` so that the setting survives sudo, which resets the environment.
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >&2 \
        || { printf 'packages: apt-get install %s failed\n' "$*" >&2; return 1; }
}
