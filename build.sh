#!/usr/bin/env bash
# pgdeck developer entry point: installs what is missing (Debian 12), builds, and then
#   ./build.sh run    starts the sandbox cluster and opens the console on it
#   ./build.sh test   runs the whole test suite (what CI runs)
#   ./build.sh build  only builds
# PRESET=release|dev|asan picks the CMake preset (run: release, test: dev).
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES=(
  g++ cmake ninja-build pkgconf git
  qt6-base-dev qt6-base-dev-tools qt6-charts-dev qt6-svg-dev libqt6opengl6-dev libgl-dev libqt6sql6-sqlite
  qt6-qpa-plugins qt6-l10n-tools qt6-tools-dev libyaml-cpp-dev libpq-dev
  postgresql postgresql-contrib
  openssh-server openssh-client
  patroni etcd-server python3-etcd python3-pysyncobj
  qtkeychain-qt6-dev gnome-keyring dbus-daemon
  libcurl4-openssl-dev docker.io docker-compose mmdebstrap busybox-static
  yamllint shellcheck
  fonts-dejavu-core xvfb xauth
  desktop-file-utils appstream dpkg-dev file
  lintian rpm man-db groff-base
)

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

install_deps() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  # Node.js and npm (the pipeline tests run the sample app and an npm validator): Debian's
  # only when the machine has none, since another distribution of node may bring its own npm.
  command -v node >/dev/null || missing+=(nodejs)
  command -v npm >/dev/null || missing+=(npm)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "==> installing: ${missing[*]}"
    as_root apt-get update -qq
    # Debian's postgresql package would start its own cluster: we run ours on loopback.
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

# The Docker tests need a running engine; CI machines have no init system to start it.
start_dockerd() {
  if docker version >/dev/null 2>&1 || [ "$(id -u)" != 0 ] || ! command -v dockerd >/dev/null; then
    return 0
  fi
  echo "==> starting dockerd"
  nohup dockerd >/tmp/pgdeck-dockerd.log 2>&1 &
  for _ in $(seq 60); do docker version >/dev/null 2>&1 && return 0; sleep 1; done
  echo "dockerd did not answer; see /tmp/pgdeck-dockerd.log" >&2
}

# The GitHub workflow validator the pipeline tests run (npm's registry, not Debian's).
install_test_tools() {
  local tools=build/tools
  [ -x "$tools/node_modules/.bin/action-validator" ] && return 0
  echo "==> installing action-validator into $tools"
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-audit --no-fund --loglevel=error \
    @action-validator/cli@0.6.0 @action-validator/core@0.6.0 ||
    echo "action-validator could not be installed: the pipeline tests will say so" >&2
}

build() {
  local preset=$1
  echo "==> configuring and building (preset $preset)"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
}

# The installed-package check (as root: it installs, runs and purges the .deb) on the
# build just tested, so CI compiles once: lintian, the .rpm, pgdeckctl and a sandbox,
# pgdeck --self-test. (Release packages: cmake --preset release, then cpack there.)
check_package() {
  echo "==> checking the package (log: /tmp/pgdeck-check-package.log)"
  as_root packaging/check-package.sh "build/${PRESET:-dev}" 2>&1 | tee /tmp/pgdeck-check-package.log
}

cmd=${1:-run}
case "$cmd" in
  build)
    install_deps; build "${PRESET:-dev}" ;;
  test)
    install_deps
    start_dockerd
    # The Docker end-to-end tests need postgres:15 and node:18, built from Debian packages
    # (no registry here); that is mostly downloading, so it runs beside the compiler.
    images_pid=
    if docker version >/dev/null 2>&1; then
      echo "==> building the test images in the background (log: /tmp/pgdeck-build-images.log)"
      tests/support/docker/build-images.sh >/tmp/pgdeck-build-images.log 2>&1 &
      images_pid=$!
    fi
    build "${PRESET:-dev}"
    install_test_tools
    if [ -n "$images_pid" ]; then
      wait "$images_pid" || echo "test images failed to build: the Docker tests will say why" >&2
      tail -n 4 /tmp/pgdeck-build-images.log
      export PGDECK_TEST_DOCKER_IMAGES=1
    fi
    echo "==> running the test suite"
    tests_status=0
    ctest --preset "${PRESET:-dev}" -j2 --timeout 600 || tests_status=$?
    package_status=0
    # An ASan build is not a package to install system-wide and run as root.
    [ "${PRESET:-dev}" = asan ] || check_package || package_status=$?
    [ "$tests_status" -eq 0 ] || exit "$tests_status"
    exit "$package_status" ;;
  run)
    install_deps; build "${PRESET:-release}"
    exec "build/${PRESET:-release}/app/pgdeck" --sandbox ;;
  *)
    echo "usage: $0 [run|test|build]" >&2; exit 2 ;;
esac
