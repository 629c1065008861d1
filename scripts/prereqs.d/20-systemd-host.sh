# The systemd test host of the provisioning integration tests (__tests__/support/systemd-host.ts):
# a Debian bookworm root filesystem built once with debootstrap and cached OUTSIDE the repository,
# booted fresh per test run with systemd-nspawn --volatile=overlay (the cache itself is never modified).
#
# Cache layout: $test_host_cache/bookworm-v<N>/ (a finished rootfs, stamped), $test_host_cache/current -> bookworm-v<N>.
# Bump test_host_recipe when the recipe below changes: the next run builds the new version beside the old one.
# Rebuild by hand: rm -rf /var/cache/pipeline-test-host && bash scripts/test-prereqs.sh
# Sourced by scripts/test-prereqs.sh (set -euo pipefail, apt_install available).

# iproute2: each test host gets a network namespace and a veth pair (ip netns, ip link)
apt_install systemd-container debootstrap openssh-client iproute2

test_host_cache=/var/cache/pipeline-test-host
test_host_recipe=bookworm-v2
test_host_rootfs=$test_host_cache/$test_host_recipe
# Stand-in "MSK" topic state lives here on the test host; writable by the SSH users (see __tests__/support/stand-ins/).
test_host_fake_msk_dir=/var/lib/fake-msk
# Debian packages the play installs; pre-downloaded into the rootfs so its apt-get install works offline and quickly.
test_host_play_packages="openjdk-17-jre-headless tar gzip curl ca-certificates"

# Prints the machine's Debian mirror for bookworm (deb822 .sources first, then one-line sources.list).
test_host_debian_mirror() {
  local file found
  # collected, not piped to head: with pipefail an early-closed pipe fails the whole pipeline
  found=$(for file in /etc/apt/sources.list.d/*.sources; do
    [ -f "$file" ] || continue
    # deb822 stanzas: the URIs of a stanza whose Suites contain "bookworm" exactly.
    awk 'BEGIN { RS = ""; FS = "\n" }
      { uris = ""; ok = 0
        for (i = 1; i <= NF; i++) {
          if ($i ~ /^URIs:/) { uris = $i; sub(/^URIs:[ \t]*/, "", uris); sub(/[ \t].*/, "", uris) }
          if ($i ~ /^Suites:/ && $i ~ /[ \t]bookworm([ \t]|$)/) ok = 1
        }
        if (ok && uris != "") { print uris; exit }
      }' "$file"
  done)
  if [ -n "$found" ]; then
    echo "${found%%$'\n'*}"
    return 0
  fi
  if [ -f /etc/apt/sources.list ]; then
    awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' /etc/apt/sources.list | grep . && return 0
  fi
  return 1
}

test_host_build() {
  local mirror work started
  if ! mirror=$(test_host_debian_mirror); then
    echo "test-prereqs: no Debian bookworm mirror found in /etc/apt/sources.list or /etc/apt/sources.list.d/*.sources (add one, e.g. 'deb http://deb.debian.org/debian bookworm main')" >&2
    return 1
  fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "test-prereqs: the systemd test host rootfs $test_host_rootfs is missing; build it as root: sudo bash scripts/test-prereqs.sh" >&2
    return 1
  fi
  started=$(date +%s)
  mkdir -p "$test_host_cache"
  # Build beside the final name and rename at the end: an interrupted build never looks finished.
  rm -rf "$test_host_cache"/.building-*
  work=$(mktemp -d "$test_host_cache/.building-$test_host_recipe.XXXXXX")
  chmod 0755 "$work" # it becomes the container's /
  echo "test-prereqs: building the systemd test host rootfs in $test_host_rootfs from $mirror (about 2 minutes, once)" >&2
  debootstrap --variant=minbase \
    --include=systemd,systemd-sysv,dbus,openssh-server,sudo,iproute2,curl,ca-certificates,python3,procps \
    bookworm "$work" "$mirror" >"$work.log" 2>&1 || {
      echo "test-prereqs: debootstrap failed (log: $work.log); check the mirror $mirror is reachable, then re-run" >&2
      return 1
    }
  local security=${mirror%/debian}/debian-security
  cat >"$work/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb $security bookworm-security main
EOF
  echo "pipeline-test-host" >"$work/etc/hostname"
  # sudo warns on every call when the hostname does not resolve
  printf '127.0.0.1\tlocalhost\n127.0.1.1\tpipeline-test-host\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$work/etc/hosts"
  # the container is thrown away after each run: skip dpkg's fsyncs (the play's apt-get install is 2-3x faster)
  echo force-unsafe-io >"$work/etc/dpkg/dpkg.cfg.d/pipeline-test-host-unsafe-io"
  chroot "$work" /bin/sh -euc "
    useradd --create-home --shell /bin/bash ec2-user
    useradd --create-home --shell /bin/bash nosudo
    # key-only accounts: '*' is a password that never matches but does not lock the account for sshd
    usermod -p '*' ec2-user
    usermod -p '*' nosudo
    echo 'ec2-user ALL=(ALL) NOPASSWD:ALL' >/etc/sudoers.d/90-ec2-user
    chmod 0440 /etc/sudoers.d/90-ec2-user
    mkdir -p $test_host_fake_msk_dir
    chmod 1777 $test_host_fake_msk_dir
    # units that cannot work in a container and would only mark the system degraded
    systemctl mask systemd-networkd-wait-online.service getty@tty1.service serial-getty@.service console-getty.service >/dev/null 2>&1 || true
  "
  cat >"$work/etc/ssh/sshd_config.d/05-pipeline-test-host.conf" <<'EOF'
PasswordAuthentication no
KbdInteractiveAuthentication no
EOF
  # Bring the rootfs up to date with its lists (an upgrade of ca-certificates at test time costs 45 s), drop
  # debootstrap's own .debs, then pre-download (not install) the play's packages with their recommends and keep the lists.
  {
    DEBIAN_FRONTEND=noninteractive chroot "$work" apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive chroot "$work" apt-get upgrade -y -qq &&
      chroot "$work" apt-get clean &&
      DEBIAN_FRONTEND=noninteractive chroot "$work" apt-get install -y -qq --download-only $test_host_play_packages
  } >>"$work.log" 2>&1 || {
      echo "test-prereqs: downloading the play's packages into the test host rootfs failed (log: $work.log)" >&2
      return 1
    }
  echo "$test_host_recipe built $(date -u +%Y-%m-%dT%H:%M:%SZ) from $mirror" >"$work/.pipeline-test-host-ready"
  mv -T "$work" "$test_host_rootfs"
  rm -f "$work.log"
  ln -sfn "$test_host_recipe" "$test_host_cache/.current.tmp" && mv -T "$test_host_cache/.current.tmp" "$test_host_cache/current"
  # Older recipes' builds go once no test host (which may boot from them) is registered as running.
  if [ -z "$(ls -A /run/pipeline-test-hosts 2>/dev/null)" ]; then
    find "$test_host_cache" -mindepth 1 -maxdepth 1 -name 'bookworm-v*' ! -name "$test_host_recipe" -exec rm -rf {} +
  fi
  echo "test-prereqs: systemd test host rootfs ready in $(($(date +%s) - started)) s ($(du -sh "$test_host_rootfs" | cut -f1))" >&2
}

if [ ! -f "$test_host_rootfs/.pipeline-test-host-ready" ]; then
  test_host_build
elif [ "$(readlink "$test_host_cache/current" 2>/dev/null)" != "$test_host_recipe" ]; then
  ln -sfn "$test_host_recipe" "$test_host_cache/.current.tmp" && mv -T "$test_host_cache/.current.tmp" "$test_host_cache/current"
fi
