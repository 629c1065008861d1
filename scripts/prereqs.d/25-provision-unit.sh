# Provisioning unit tests: systemd-analyze verifies the rendered unit, ssh-keygen makes real
# host keys for the known_hosts tests, curl/tar/sha256sum run the download scripts locally.
apt_install systemd openssh-client curl tar coreutils
