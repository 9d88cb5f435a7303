#!/bin/sh
# Installs the Debian packages the test suite uses for real (and the venv module the Makefile
# needs), when they are missing.
set -eu
# PYTHON is the interpreter the Makefile builds the virtualenv with.
PYTHON="${PYTHON:-python3}"
missing=""
"$PYTHON" -c "import ensurepip" >/dev/null 2>&1 || missing="$missing python3-venv"
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
[ -x /usr/sbin/dovecot ] || missing="$missing dovecot-imapd dovecot-lmtpd"
command -v msgfmt >/dev/null 2>&1 || missing="$missing gettext"
# The Unicode font of PDF transcripts (evidence bundles): Turkish letters need it.
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$missing fonts-dejavu-core"
# The HTTP load generator of bench/load.py.
command -v wrk >/dev/null 2>&1 || missing="$missing wrk"
[ -z "$missing" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "Missing packages:$missing — this script knows Debian's apt-get only; install them by" \
    "hand, or the tests that need them skip." >&2
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
else
  echo "Missing Debian packages:$missing — install them as root; the tests that need them skip." >&2
  exit 0
fi
echo "Installing Debian packages:$missing"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
