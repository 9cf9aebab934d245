# shellcheck shell=bash
# Sourced by github-action/container-test.sh and deb/install-test.sh (both as root): installs podman, debootstrap
# and runc when missing, and makes the clean Debian root both tests run in, without pulling any image:
# `debootstrap --variant=minbase --include=openjdk-17-jre-headless,git,ca-certificates bookworm` from the mirror apt
# uses here, kept as a tar under $GATEKEEPER_CI_CACHE (default /var/cache/gatekeeper-ci) and imported into podman's
# store as localhost/gatekeeper-action-base:bookworm-<key> (the key hashes suite, variant, architecture and
# packages). Only the first run on a machine runs debootstrap.
#
# Needs from the caller: say MESSAGE, die MESSAGE. Sets: podman (an array: podman with the flags that work on
# these machines) and base (the image name).

# --- tools ---------------------------------------------------------------------------------------------------------
need=()
command -v podman >/dev/null 2>&1 || need+=(podman)
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
# runc: Debian's (/usr/sbin/runc) or another one on the PATH (Docker's containerd.io ships /usr/bin/runc and
# conflicts with Debian's package, as on GitHub's Ubuntu runners)
runc_bin="$(command -v runc || true)"
[ -n "$runc_bin" ] || [ -x /usr/sbin/runc ] || need+=(runc)
if [ ${#need[@]} -gt 0 ]; then
  command -v apt-get >/dev/null 2>&1 || die "missing ${need[*]} and no apt-get to install them"
  say "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi

# crun and podman's default rlimits fail on these machines: runc, cgroupfs, vfs, explicit ulimits.
[ -n "$runc_bin" ] || runc_bin=/usr/sbin/runc
podman=(podman --storage-driver vfs --cgroup-manager cgroupfs --runtime "$runc_bin")
"${podman[@]}" version --format 'podman {{.Client.Version}}' || die "podman does not work here"

# --- base image (cached) -------------------------------------------------------------------------------------------
suite=bookworm
packages=openjdk-17-jre-headless,git,ca-certificates
arch="$(dpkg --print-architecture)"
mirror="${GATEKEEPER_DEBIAN_MIRROR:-}"
if [ -z "$mirror" ]; then
  # the mirror apt uses here (deb822 "URIs:" or one-line "deb URL suite")
  mirror="$(grep -hsE '^(URIs:|deb )' /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list 2>/dev/null \
    | grep -oE 'https?://[^ ]*/debian/?' | grep -v security | head -n 1 || true)"
  mirror="${mirror:-http://deb.debian.org/debian}"
fi
# layout 2: the root folder is 0755 (layout 1 kept mktemp's 0700, so no user but root could run anything)
key="$(printf '%s\n' "$suite" minbase "$arch" "$packages" layout-2 | sha256sum | cut -c1-12)"
base="localhost/gatekeeper-action-base:$suite-$key"
cache="${GATEKEEPER_CI_CACHE:-/var/cache/gatekeeper-ci}/action-base"
rootfs_tar="$cache/$suite-$key.rootfs.tar"
mkdir -p "$cache"

exec 9>"$cache/lock"
flock 9   # concurrent CI runs on this machine share the cache and the podman store
if "${podman[@]}" image exists "$base"; then
  say "base image $base: cached in the podman store"
else
  if [ -s "$rootfs_tar" ]; then
    say "base root file system: cached ($rootfs_tar)"
  else
    say "base root file system: debootstrap $suite ($packages) from $mirror (first run on this machine only)"
    tmp_rootfs="$(mktemp -d "$cache/rootfs.XXXXXX")"
    started=$SECONDS
    if ! debootstrap --variant=minbase --include="$packages" "$suite" "$tmp_rootfs" "$mirror" \
        >"$cache/debootstrap.log" 2>&1; then
      tail -n 20 "$cache/debootstrap.log" >&2
      rm -rf "$tmp_rootfs"
      die "debootstrap failed (log: $cache/debootstrap.log)"
    fi
    rm -rf "$tmp_rootfs"/var/cache/apt/archives/*.deb "$tmp_rootfs"/var/lib/apt/lists/*
    chmod 0755 "$tmp_rootfs"   # "/" of the image: mktemp made it 0700
    tar -C "$tmp_rootfs" -cf "$rootfs_tar.tmp" .
    mv "$rootfs_tar.tmp" "$rootfs_tar"
    rm -rf "$tmp_rootfs"
    say "debootstrap took $((SECONDS - started)) s"
  fi
  "${podman[@]}" import --quiet "$rootfs_tar" "$base" >/dev/null
  say "base image $base: imported"
fi
flock -u 9
