# Sourced by ci/test.sh and ci/demo.sh: everything a fresh Debian machine with
# Rust and Python >= 3.11 needs to build and run wgarray.
#  - Mesa's lavapipe Vulkan driver through apt, when no Vulkan driver is found
#    and this user may install packages (root, or passwordless sudo);
#  - a virtual environment in .venv with NumPy, pytest, hypothesis, maturin;
#  - the extension, built in release mode and installed into .venv.

have_vulkan_driver() {
    # grep reads all of ldconfig's output (no -q): an early exit would kill
    # ldconfig with SIGPIPE, which pipefail reports as failure.
    ldconfig -p 2>/dev/null | grep 'libvulkan\.so\.1' >/dev/null || return 1
    compgen -G '/usr/share/vulkan/icd.d/*.json' >/dev/null || compgen -G '/etc/vulkan/icd.d/*.json' >/dev/null
}

if ! have_vulkan_driver; then
    if command -v apt-get >/dev/null 2>&1; then
        if [ "$(id -u)" = 0 ]; then SUDO=""; elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; else SUDO=none; fi
        if [ "$SUDO" != none ]; then
            echo "ci/setup: no Vulkan driver found; installing Mesa's lavapipe (mesa-vulkan-drivers)"
            $SUDO apt-get update -qq
            DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq mesa-vulkan-drivers libvulkan1 >/dev/null
        else
            echo "ci/setup: no Vulkan driver found and no permission to install one; GPU tests will not run" >&2
        fi
    else
        echo "ci/setup: no Vulkan driver found and no apt-get; install a Vulkan driver to use a GPU" >&2
    fi
fi
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp}"

command -v cargo >/dev/null 2>&1 || { echo "ci/setup: Rust (cargo) is required: https://rustup.rs" >&2; exit 1; }
PYTHON="${PYTHON:-python3}"
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "ci/setup: Python >= 3.11 is required" >&2; exit 1; }

if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
# shellcheck disable=SC1091
source .venv/bin/activate
python -m pip install -q --disable-pip-version-check "numpy>=2.0" "pytest>=8" "hypothesis>=6" "mpmath>=1.3" "maturin>=1.5,<2"
maturin develop --release -q 2>&1 | grep -v -E '^(Ignoring|Requirement already)' || true
python -c 'import wgarray' || { echo "ci/setup: building wgarray failed" >&2; exit 1; }
