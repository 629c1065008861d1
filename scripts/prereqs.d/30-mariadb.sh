# Posting emulation tests and bench/emulate start their own MariaDB server (mariadb-install-db + mariadbd
# on a private socket and port in a temporary datadir); they only need the binaries.
apt_install mariadb-server mariadb-client
command -v mariadbd >/dev/null && command -v mariadb-install-db >/dev/null || {
  echo "test-prereqs: mariadbd or mariadb-install-db not on PATH after installing mariadb-server (fix: apt-get install -y --reinstall mariadb-server)" >&2
  return 1
}
