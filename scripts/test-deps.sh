# Sourced by scripts/test.sh: installs the real components the tests run against, from
# Debian's packages, when they are missing: Chromium's headless shell for the browser tests
# (and full Chromium for the bench), PostgreSQL 15 and MariaDB 10.11 for the playbooks, the
# CNCF distribution registry and skopeo, and openssl (the test token service signs with a self-signed certificate); Go (to build
# Harbor 1.10 from source) and Redis for the real-Harbor tests.
TEST_PACKAGES="chromium chromium-headless-shell postgresql mariadb-server docker-registry skopeo openssl golang-go redis-server"
missing=""
for package in $TEST_PACKAGES; do
  dpkg -s "$package" >/dev/null 2>&1 || missing="$missing $package"
done
if [ -n "$missing" ]; then
  echo "harbor-kb: installing test dependencies:$missing" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends $missing >&2
fi
# Package installs start the system database services; the tests start their own
# servers on random ports and need none running.
for service in postgresql mariadb redis-server; do
  service "$service" stop >/dev/null 2>&1 || true
done
