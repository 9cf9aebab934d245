#!/usr/bin/env bash
# Run by deb/install-test.sh inside a clean Debian root (bookworm, no network, no systemd running), with /t holding
# old.deb, new.deb (the same tree, packaged a second later) and gatekeeper.tar.gz (the distribution). Exits with
# the number of failed checks.
set -uo pipefail
export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8

failures=0
step() { echo "--- $*"; }
check() {   # check DESCRIPTION COMMAND...
  local what=$1; shift
  if "$@" >/tmp/check.out 2>&1; then
    echo "  ok: $what"
  else
    echo "  FAIL: $what" >&2
    sed 's/^/      /' /tmp/check.out >&2
    failures=$((failures + 1))
  fi
}
is() {   # is ACTUAL EXPECTED: equal, and not both empty (a failed read is never a match)
  [ -n "$2" ] || { echo "nothing to compare with (expected value is empty)"; return 1; }
  [ "$1" = "$2" ] || { echo "got '$1', expected '$2'"; return 1; }
}
has() { grep -qF -- "$2" "$1" || { echo "'$2' not in $1:"; sed 's/^/  | /' "$1"; return 1; }; }
hasnt() { ! grep -qiE -- "$2" "$1" || { echo "'$2' found in $1:"; sed 's/^/  | /' "$1"; return 1; }; }
as_git() { runuser -u git -- "$@"; }
g() { as_git git -c user.name=Dev -c user.email=dev@example.com "$@"; }
status() { dpkg-query -W -f='${Status}' gatekeeper 2>/dev/null; }
remote_main() { git --git-dir="/srv/git/$1.git" rev-parse -q --verify refs/heads/main; }

# --- 1. install ----------------------------------------------------------------------------------------------------
step "dpkg -i gatekeeper $(dpkg-deb -f /t/old.deb Version)"
dpkg -i /t/old.deb </dev/null >/tmp/install.log 2>&1
check "dpkg -i exits 0" is "$?" 0
sed 's/^/    /' /tmp/install.log
check "the package is installed" is "$(status)" "install ok installed"
check "postinst proved the install works (java, jars, the policy loader)" \
  has /tmp/install.log "/usr/share/gatekeeper/policies/example.policy.yaml is valid"
check "/usr/bin/gatekeeper runs" gatekeeper --version
check "the gatekeeper system user and group exist, without a login shell" \
  bash -c 'getent passwd gatekeeper | grep -qE ":/usr/sbin/nologin$|:/bin/false$" && getent group gatekeeper'
check "/var/lib/gatekeeper belongs to it" is "$(stat -c %U:%G:%a /var/lib/gatekeeper)" "gatekeeper:gatekeeper:750"
check "the hook registry is sticky and unlistable by others" is "$(stat -c %a /var/lib/gatekeeper-hooks)" 1733
check "/etc/gatekeeper/example.policy.yaml is a conffile" \
  bash -c "dpkg-query -W -f='\${Conffiles}' gatekeeper | grep -q ' /etc/gatekeeper/example.policy.yaml '"
check "the drift units are installed with the package's path" \
  grep -q '^ExecStart=/usr/bin/gatekeeper drift scan' /lib/systemd/system/gatekeeper-drift.service
for unit in /lib/systemd/system/gatekeeper-*.service; do
  check "$(basename "$unit") runs /usr/bin/gatekeeper as the gatekeeper user" \
    bash -c "grep -q '^ExecStart=/usr/bin/gatekeeper ' $unit && grep -q '^User=gatekeeper$' $unit"
done
check "no unit is enabled (each needs its configuration first)" \
  bash -c '! ls /etc/systemd/system/*/gatekeeper-* 2>/dev/null'

# --- 2. a git server: repositories owned by the git user, one with a hook of its own ---------------------------------
step "repositories owned by git; README's quick start, as root; then a repository installed by git itself"
useradd --system --create-home --home-dir /home/git --shell /usr/bin/git-shell git
install -d -o git -g git /srv/git
as_git git init -q --bare -b main /srv/git/app.git
as_git git init -q --bare -b main /srv/git/web.git
# the server's own pre-receive hook, which Gatekeeper must chain and, on removal, give back byte for byte
printf '#!/bin/sh\n# the site hook\ncat >/dev/null\necho "site hook ran" >&2\n' >/srv/git/app.git/hooks/pre-receive
chown git:git /srv/git/app.git/hooks/pre-receive
chmod 0750 /srv/git/app.git/hooks/pre-receive
site_hook_sha="$(sha256sum </srv/git/app.git/hooks/pre-receive)"

# README's quick start for a git server admin, as written (root; the default policy; the secret installed)
gatekeeper hooks install --all /srv/git >/tmp/hooks-install.log 2>&1
check "gatekeeper hooks install --all /srv/git (as root) exits 0" is "$?" 0
sed 's/^/    /' /tmp/hooks-install.log
check "each repository got the default policy" has /tmp/hooks-install.log "default policy"
check "each install proved itself" is "$(grep -c 'self-test passed' /tmp/hooks-install.log)" 2
check "the site hook is chained" has /tmp/hooks-install.log "chained"
find /srv/git/app.git /srv/git/web.git ! -user git >/tmp/not-git.txt
check "root gave the repositories' files to their owner" bash -c '! [ -s /tmp/not-git.txt ] || { cat /tmp/not-git.txt; false; }'
secret="$(gatekeeper token new-secret --install /srv/git/app.git 2>/tmp/secret.log)"
check "token new-secret --install prints the pipeline's secret once" bash -c "[[ '$secret' =~ ^[A-Za-z0-9+/]{43}=$ ]]"
gatekeeper hooks status --all /srv/git >/tmp/status.log 2>&1
check "hooks status --all: INSTALLED (exit 0)" is "$?" 0

# "Install as the right user": the owner installs into a new repository, with the package's example policy
as_git git init -q --bare -b main /srv/git/lib.git
sed '/^repository:/d' /etc/gatekeeper/example.policy.yaml >/tmp/policy.yaml
check "the example policy (tokens bound to each repository's name) is valid" gatekeeper policy check /tmp/policy.yaml
as_git gatekeeper hooks install --policy /tmp/policy.yaml /srv/git/lib.git >/tmp/hooks-install-git.log 2>&1
check "gatekeeper hooks install (as git) exits 0" is "$?" 0
sed 's/^/    /' /tmp/hooks-install-git.log
check "the three repositories are recorded in the registry" \
  is "$(cat /var/lib/gatekeeper-hooks/*.repo | sort | tr '\n' ' ')" "/srv/git/app.git /srv/git/lib.git /srv/git/web.git "

# pushes LABEL: the gate judges pushes to app's main (token: accepted; none: refused) and web's main (refused)
pushes() {
  local label=$1 clone=/home/git/app-$1 sha token before
  step "pushes ($label)"
  g clone -q /srv/git/app.git "$clone" 2>/dev/null
  g -C "$clone" commit -q --allow-empty -m "pipeline change ($label)"
  sha="$(g -C "$clone" rev-parse HEAD)"
  # the quick start's pipeline push: the secret in GATEKEEPER_PIPELINE_SECRET, the token for the clone's HEAD
  token="$(cd "$clone" && GATEKEEPER_PIPELINE_SECRET="$secret" gatekeeper token mint --repo app --ref refs/heads/main)"
  g -C "$clone" push -o "gatekeeper-token=$token" origin HEAD:main >/tmp/push-token.log 2>&1
  check "a push to main with a pipeline token is accepted" is "$?" 0
  check "the site hook ran after the gate" has /tmp/push-token.log "remote: site hook ran"
  check "main is the pushed commit" is "$(remote_main app)" "$sha"

  g -C "$clone" commit -q --allow-empty -m "direct change ($label)"
  g -C "$clone" push origin HEAD:main >/tmp/push-direct.log 2>&1
  check "a direct push to main is refused" is "$?" 1
  check "by the gate, saying why" has /tmp/push-direct.log "remote: gatekeeper: REFUSED refs/heads/main"
  check "main did not move" is "$(remote_main app)" "$sha"
  check "the JVM said nothing to the pusher (no CDS or VM warning)" hasnt /tmp/push-direct.log "warning|sharing|openjdk"

  g -C "$clone" push origin "HEAD:refs/heads/feature/$label" >/tmp/push-feature.log 2>&1
  check "a push to an unprotected branch is accepted" is "$?" 0

  for repo in web lib; do
    before="$(remote_main $repo || true)"   # none before the first run
    g clone -q /srv/git/$repo.git "$clone-$repo" 2>/dev/null
    g -C "$clone-$repo" commit -q --allow-empty -m "direct change to $repo ($label)"
    g -C "$clone-$repo" push origin HEAD:main >/tmp/push-$repo.log 2>&1
    check "a direct push to $repo's main is refused too" has /tmp/push-$repo.log "remote: gatekeeper: REFUSED refs/heads/main"
    check "$repo's main did not move" is "$(remote_main $repo || echo none)" "${before:-none}"
  done
}
pushes installed

# --- 3. upgrade -----------------------------------------------------------------------------------------------------
step "upgrade to $(dpkg-deb -f /t/new.deb Version)"
echo "# edited by the admin" >>/etc/gatekeeper/example.policy.yaml
dpkg -i /t/new.deb </dev/null >/tmp/upgrade.log 2>&1
check "dpkg -i of the rebuilt package exits 0 (no conffile prompt)" is "$?" 0
sed 's/^/    /' /tmp/upgrade.log
check "the new version is installed" is "$(dpkg-query -W -f='${Version}' gatekeeper)" "$(dpkg-deb -f /t/new.deb Version)"
check "the admin's edit of a conffile is kept" has /etc/gatekeeper/example.policy.yaml "# edited by the admin"
check "the upgrade did not touch the hooks" bash -c "! grep -q uninstall /tmp/upgrade.log"
check "the three repositories are still recorded" is "$(ls /var/lib/gatekeeper-hooks/*.repo | wc -l)" 3
gatekeeper hooks status --all /srv/git >/tmp/status.log 2>&1
check "hooks status after the upgrade: INSTALLED (exit 0)" is "$?" 0
pushes upgraded

# --- 4. a removal that cannot uninstall a repository's hooks stops --------------------------------------------------
step "dpkg --purge while web.git's hooks folder is read-only to its owner"
chmod a-w /srv/git/web.git/hooks
dpkg --purge gatekeeper </dev/null >/tmp/purge-stopped.log 2>&1
code=$?
sed 's/^/    /' /tmp/purge-stopped.log
check "dpkg --purge fails" bash -c "[ $code != 0 ]"
check "naming the repository" has /tmp/purge-stopped.log "could not be uninstalled: /srv/git/web.git"
check "the package stays installed" is "$(status | cut -d' ' -f2-)" "ok installed"
check "app.git, uninstalled before web.git failed, got its hooks back" has /tmp/purge-stopped.log \
  "reinstalling the hooks of /srv/git/app.git"
gatekeeper hooks status --all /srv/git >/tmp/status.log 2>&1
check "hooks status: all INSTALLED again (exit 0)" is "$?" 0
for repo in app web; do
  g -C "/home/git/app-upgraded$([ $repo = web ] && echo -web)" push origin HEAD:main >/tmp/push-stopped.log 2>&1
  check "$repo.git keeps a working gate: a direct push is still refused" \
    has /tmp/push-stopped.log "remote: gatekeeper: REFUSED refs/heads/main"
done
check "all three are still recorded" is "$(ls /var/lib/gatekeeper-hooks/*.repo | wc -l)" 3
chmod u+w /srv/git/web.git/hooks

# --- 5. purge -------------------------------------------------------------------------------------------------------
step "dpkg --purge gatekeeper"
dpkg --purge gatekeeper </dev/null >/tmp/purge.log 2>&1
check "dpkg --purge exits 0" is "$?" 0
sed 's/^/    /' /tmp/purge.log
check "the package is gone" bash -c "[ -z \"\$(dpkg-query -W -f='\${Status}' gatekeeper 2>/dev/null | grep installed)\" ]"
for gone in /usr/share/gatekeeper /usr/bin/gatekeeper /etc/gatekeeper /lib/systemd/system/gatekeeper-drift.timer \
    /var/lib/gatekeeper-hooks; do
  check "$gone is gone" bash -c "! ls -d $gone"
done
check "each repository keeps its secret and audit log, and an edited or given policy" \
  bash -c 'test -s /srv/git/app.git/gatekeeper/pipeline.secret && test -s /srv/git/app.git/gatekeeper/events.jsonl \
    && test -s /srv/git/lib.git/gatekeeper/policy.yaml'
check "/var/lib/gatekeeper and the gatekeeper user are kept" bash -c 'test -d /var/lib/gatekeeper && getent passwd gatekeeper'
check "app.git's own hook is back, byte for byte" is "$(sha256sum </srv/git/app.git/hooks/pre-receive)" "$site_hook_sha"
check "with its mode" is "$(stat -c %a /srv/git/app.git/hooks/pre-receive)" 750
check "web.git has no pre-receive hook, as before" bash -c '! test -e /srv/git/web.git/hooks/pre-receive'
g -C /home/git/app-upgraded push origin HEAD:main >/tmp/push-after.log 2>&1
check "the repositories are ungated: a direct push is accepted, not refused by a broken hook" is "$?" 0
check "and the site hook still runs" has /tmp/push-after.log "remote: site hook ran"

mkdir -p /opt/gatekeeper-tarball
tar xzf /t/gatekeeper.tar.gz -C /opt/gatekeeper-tarball --strip-components=1
/opt/gatekeeper-tarball/bin/gatekeeper hooks status --all /srv/git >/tmp/status-after.log 2>&1
code=$?
sed 's/^/    /' /tmp/status-after.log
check "hooks status (from the tarball) exits 3" is "$code" 3
check "app.git is MISSING" grep -q '^MISSING  /srv/git/app.git$' /tmp/status-after.log
check "web.git is MISSING" grep -q '^MISSING  /srv/git/web.git$' /tmp/status-after.log
check "lib.git is MISSING" grep -q '^MISSING  /srv/git/lib.git$' /tmp/status-after.log
check "not a broken hook (no runtime missing, nothing tampered)" hasnt /tmp/status-after.log "class path entry|TAMPERED"

echo "--- $failures check(s) failed"
exit "$failures"
