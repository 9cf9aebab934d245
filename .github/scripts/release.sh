#!/usr/bin/env bash
# The release workflow's steps that change the repository, in a file so they can be run and tested anywhere
# (WorkflowContractTest runs them in a scratch repository).
#
#   release.sh version REQUEST_TAG   version=X.Y.Z for the request tag release-vX.Y.Z (what the maintainer pushes)
#   release.sh poms VERSION          every pom at VERSION: versions:set over the reactor (all modules, the -Pjenkins
#       one included), then jenkins-plugin/hpi/pom.xml's own version and its gatekeeper.version property (that pom's
#       parent is the Jenkins plugin POM, so versions:set does not own it, and no plugin rewrites a property)
#   release.sh hpi-version VERSION [POM]   only the second half, on POM (default jenkins-plugin/hpi/pom.xml)
#   release.sh commit VERSION IMAGE_REF TARBALL
#       in the current checkout: pins github-action/action.yml to IMAGE_REF (ghcr.io/…@sha256:…), writes
#       setup-gatekeeper/release.env (the release's tarball URL and SHA-256: setup-gatekeeper downloads and checks
#       it), commits that with the poms as they are (versions:set by the workflow) and tags the commit vVERSION.
#       The commit is on no branch: only the new tag reaches it. Refuses when vVERSION exists here or on origin:
#       nothing moves an existing tag. Pushing the tag is the workflow's next step.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

die() { echo "release: $*" >&2; exit 2; }
semver='^[0-9]+\.[0-9]+\.[0-9]+([.-][0-9A-Za-z.]+)?$'

case "${1:-}" in
  version)
    tag="${2:-}"
    version="${tag#release-v}"
    [ "$version" != "$tag" ] && [[ "$version" =~ $semver ]] || die "'$tag' is not a release request tag (release-vX.Y.Z)"
    echo "version=$version"
    ;;
  poms)
    version="${2:-}"
    [[ "$version" =~ $semver ]] || die "'$version' is not a version"
    ${MVNW:-./mvnw} -B -q org.codehaus.mojo:versions-maven-plugin:2.18.0:set -DnewVersion="$version" \
      -DgenerateBackupPoms=false -DprocessAllModules=true
    "$0" hpi-version "$version"
    ;;
  hpi-version)
    version="${2:-}" pom="${3:-jenkins-plugin/hpi/pom.xml}"
    [[ "$version" =~ $semver ]] || die "'$version' is not a version"
    [ -f "$pom" ] || die "no $pom"
    # exactly one project version (two-space indent: the parent's is deeper) and one gatekeeper.version, or nothing
    [ "$(grep -c '^  <version>[^<]*</version>$' "$pom")" = 1 ] || die "$pom: not exactly one project <version>"
    [ "$(grep -c '^    <gatekeeper.version>[^<]*</gatekeeper.version>$' "$pom")" = 1 ] \
      || die "$pom: not exactly one gatekeeper.version property"
    sed -i -e "s|^  <version>[^<]*</version>\$|  <version>$version</version>|" \
      -e "s|^    <gatekeeper.version>[^<]*</gatekeeper.version>\$|    <gatekeeper.version>$version</gatekeeper.version>|" \
      "$pom"
    echo "hpi=$version"
    ;;
  commit)
    version="${2:-}" image_ref="${3:-}" tarball="${4:-}"
    [[ "$version" =~ $semver ]] || die "'$version' is not a version"
    [ -s "$tarball" ] || die "no tarball $tarball"
    tag="v$version"
    if git rev-parse -q --verify "refs/tags/$tag" >/dev/null \
        || { git remote get-url origin >/dev/null 2>&1 && [ -n "$(git ls-remote --tags origin "refs/tags/$tag")" ]; }; then
      die "the tag $tag exists already: a release never moves a tag (release a new version)"
    fi
    "$here/action-image.sh" pin "$image_ref" github-action/action.yml
    server="${GITHUB_SERVER_URL:-https://github.com}"
    [ -n "${GITHUB_REPOSITORY:-}" ] || die "GITHUB_REPOSITORY is not set"
    {
      echo "# Written by the release workflow on the release commit of $tag only: setup-gatekeeper installs this"
      echo "# release's distribution (checked against this SHA-256) instead of building from the checkout."
      echo "GATEKEEPER_RELEASE_VERSION=$version"
      echo "GATEKEEPER_RELEASE_URL=$server/$GITHUB_REPOSITORY/releases/download/$tag/$(basename "$tarball")"
      echo "GATEKEEPER_RELEASE_SHA256=$(sha256sum <"$tarball" | cut -d' ' -f1)"
    } >setup-gatekeeper/release.env
    git checkout -q --detach   # the release commit goes on no branch (a tag's checkout is detached already)
    git add -u
    git add -f setup-gatekeeper/release.env
    git -c user.name="github-actions[bot]" -c user.email="41898282+github-actions[bot]@users.noreply.github.com" \
      commit -q -m "release $tag: action.yml pinned to $image_ref; setup-gatekeeper installs the release's distribution"
    git -c user.name="github-actions[bot]" -c user.email="41898282+github-actions[bot]@users.noreply.github.com" \
      tag -a "$tag" -m "Gatekeeper $version"
    echo "tag=$tag"
    echo "commit=$(git rev-parse HEAD)"
    ;;
  *)
    die "usage: release.sh version REQUEST_TAG | poms VERSION | hpi-version VERSION [POM] | commit VERSION IMAGE_REF TARBALL"
    ;;
esac
