#!/usr/bin/env bash
# A disposable single-node Ceph cluster with the RADOS Gateway (S3 API with real ACLs, bucket
# policies, public access blocks, versioning) on loopback, for Reliquat's access-control tests.
# Everything lives in DIR: one monitor, one in-memory OSD (memstore), one radosgw. No auth
# between daemons (cephx off); S3 requests are still signature-checked by radosgw.
#
# Needs Debian packages: ceph-mon ceph-osd radosgw ceph-common (npm run setup:system).
# usage: scripts/ceph-rgw.sh start DIR PORT   prints "ENDPOINT ACCESS_KEY SECRET_KEY"
#        scripts/ceph-rgw.sh stop DIR
set -euo pipefail
action=${1:?usage: ceph-rgw.sh start|stop DIR [PORT]}
dir=${2:?DIR required}
port=${3:-7480}
mon_port=$((port + 1000))
access_key=RELIQUATTESTKEY
secret_key=reliquat-test-secret-key

stop_all() {
  local pids=() f p
  for f in "$dir"/run/*.pid; do [[ -f $f ]] && pids+=("$(cat "$f")"); done
  ((${#pids[@]})) || return 0
  kill "${pids[@]}" 2>/dev/null || true
  for _ in $(seq 20); do
    local running=0
    for p in "${pids[@]}"; do
      if kill -0 "$p" 2>/dev/null && [[ $(ps -o stat= -p "$p" 2>/dev/null) != Z* ]]; then running=1; fi
    done
    ((running)) || return 0
    sleep 0.5
  done
  # radosgw can ignore SIGTERM for a long while.
  kill -9 "${pids[@]}" 2>/dev/null || true
}

case $action in
  stop) stop_all; exit 0 ;;
  start) ;;
  *) echo "usage: ceph-rgw.sh start|stop DIR [PORT]" >&2; exit 2 ;;
esac

for bin in monmaptool ceph-mon ceph-osd radosgw radosgw-admin ceph; do
  command -v "$bin" >/dev/null || { echo "missing $bin: run 'npm run setup:system'" >&2; exit 3; }
done
stop_all
rm -rf "$dir"
mkdir -p "$dir"/{mon,osd,run,log,rgw}
fsid=$(cat /proc/sys/kernel/random/uuid)
conf=$dir/ceph.conf
cat >"$conf" <<CONF
[global]
fsid = $fsid
mon host = v2:127.0.0.1:$mon_port
mon initial members = a
public network = 127.0.0.0/8
ms bind ipv4 = true
auth cluster required = none
auth service required = none
auth client required = none
ms mon client mode = crc
keyring = /dev/null
run dir = $dir/run
pid file = $dir/run/\$name.pid
admin socket = $dir/run/\$name.asok
log file = $dir/log/\$name.log
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon warn on pool no redundancy = false
mon max pg per osd = 1000
mon data avail warn = 1
mon data avail crit = 0
[mon]
mon data = $dir/mon
[osd]
osd data = $dir/osd
osd objectstore = memstore
memstore device bytes = 1073741824
[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:$port
rgw data = $dir/rgw
rgw dns name = localhost
rgw enable usage log = false
CONF
c=(-c "$conf")
monmaptool --create --add a "v2:127.0.0.1:$mon_port" --fsid "$fsid" "$dir/monmap" >/dev/null
ceph-mon "${c[@]}" --mkfs -i a --monmap "$dir/monmap"
ceph-mon "${c[@]}" -i a
osd_uuid=$(cat /proc/sys/kernel/random/uuid)
osd_id=$(ceph "${c[@]}" osd new "$osd_uuid")
ceph-osd "${c[@]}" -i "$osd_id" --mkfs --osd-uuid "$osd_uuid" >/dev/null 2>&1
ceph-osd "${c[@]}" -i "$osd_id"
radosgw "${c[@]}" -n client.rgw.a -f >"$dir/log/rgw.out" 2>&1 &
echo $! >"$dir/run/rgw.pid"
for _ in $(seq 120); do
  curl -s -o /dev/null "http://127.0.0.1:$port/" && break
  sleep 0.5
done
curl -s -o /dev/null "http://127.0.0.1:$port/" || { echo "radosgw did not answer on port $port; logs in $dir/log" >&2; exit 1; }
radosgw-admin "${c[@]}" user create --uid=reliquat-tester --display-name="Reliquat tester" \
  --access-key="$access_key" --secret-key="$secret_key" >/dev/null 2>&1
echo "http://127.0.0.1:$port $access_key $secret_key"
