#!/usr/bin/env bash
# The container action's image: its name and tags, in one place. image.yml publishes with `name`, release.yml pins
# the release commit's action.yml with `pin`, and WorkflowContractTest (github-action) checks that action.yml on
# main names `main-ref` for the owner the examples use.
#
#   action-image.sh name               image=ghcr.io/<owner>/gatekeeper-action and tags=<comma-separated> for
#                                      $GITHUB_REPOSITORY_OWNER: $TAG when given (a release), else :main and
#                                      :sha-<12> on refs/heads/main, else :sha-<12> only (never :main from a branch)
#   action-image.sh main-ref OWNER     docker://ghcr.io/<owner>/gatekeeper-action:main, what action.yml names on main
#   action-image.sh pin REF FILE       rewrites FILE's `image: docker://…` to docker://REF, REF = IMAGE@sha256:<64 hex>
#
# ghcr.io wants lower-case names; GitHub owners may have upper case.
set -euo pipefail

registry=ghcr.io
name=gatekeeper-action

die() { echo "action-image: $*" >&2; exit 2; }
image() { printf '%s/%s/%s' "$registry" "$(printf '%s' "$1" | tr '[:upper:]' '[:lower:]')" "$name"; }

case "${1:-}" in
  name)
    [ -n "${GITHUB_REPOSITORY_OWNER:-}" ] || die "GITHUB_REPOSITORY_OWNER is not set"
    [ -n "${GITHUB_SHA:-}" ] || die "GITHUB_SHA is not set"
    img="$(image "$GITHUB_REPOSITORY_OWNER")"
    short="${GITHUB_SHA:0:12}"
    if [ -n "${TAG:-}" ]; then
      [[ "$TAG" =~ ^v[0-9]+\.[0-9]+\.[0-9]+([.-][0-9A-Za-z.]+)?$ ]] || die "TAG '$TAG' is not a release tag (vX.Y.Z)"
      tags="$img:$TAG"
    elif [ "${GITHUB_REF:-}" = refs/heads/main ]; then
      tags="$img:main,$img:sha-$short"
    else
      tags="$img:sha-$short"
    fi
    echo "image=$img"
    echo "tags=$tags"
    ;;
  main-ref)
    [ -n "${2:-}" ] || die "usage: action-image.sh main-ref OWNER"
    echo "docker://$(image "$2"):main"
    ;;
  pin)
    ref="${2:-}" file="${3:-}"
    [[ "$ref" =~ ^$registry/[a-z0-9._-]+/$name@sha256:[0-9a-f]{64}$ ]] \
      || die "'$ref' is not $registry/<owner>/$name@sha256:<digest>"
    [ -f "$file" ] || die "no file $file"
    count="$(grep -cE '^  image: docker://' "$file" || true)"
    [ "$count" = 1 ] || die "$file has $count 'image: docker://' lines, expected 1"
    pinned="$(sed -E "s|^  image: docker://.*$|  image: docker://$ref|" "$file")"
    printf '%s\n' "$pinned" >"$file"
    grep -qxF "  image: docker://$ref" "$file" || die "$file was not pinned"
    ;;
  *)
    die "usage: action-image.sh name | main-ref OWNER | pin IMAGE@sha256:DIGEST FILE"
    ;;
esac
