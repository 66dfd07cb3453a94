#!/usr/bin/env bash
# Debian packages that some tests and benchmarks use. Tests that need a missing one are
# reported as skipped with this command; nothing else needs root.
#   ceph-mon ceph-osd radosgw ceph-common: a real S3 server with access control (Ceph RGW)
#   ripgrep: the speed baseline of `npm run bench`
#   chromium: the headless browser test of the HTML report (driven by playwright-core)
#   curl: readiness checks of scripts/ceph-rgw.sh
#   bzip2: writes the bz2 test fixtures; unzip, gzip: baselines of the extraction benchmark
#   postgresql-15: pg_dump writes the database-backup test fixtures (a throwaway cluster run as nobody)
set -euo pipefail
SUDO=""
[[ $(id -u) -eq 0 ]] || SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
  ceph-mon ceph-osd radosgw ceph-common ripgrep curl procps chromium bzip2 unzip gzip \
  postgresql-15 >/dev/null
echo "system packages installed: ceph (radosgw), ripgrep, chromium, curl, bzip2, unzip, postgresql-15"
