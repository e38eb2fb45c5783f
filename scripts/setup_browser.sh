#!/usr/bin/env bash
# Headless browser for the browser test (tests/browser): Debian's `chromium`
# and `chromium-driver` (selenium drives /usr/bin/chromium through
# /usr/bin/chromedriver and never downloads a browser of its own).
# Installs the two packages with apt-get when they are missing (as root);
# otherwise says what to install. Does nothing when both are there.
source "$(dirname "$0")/lib.sh"

CHROMIUM="${OLETV_CHROMIUM:-/usr/bin/chromium}"
CHROMEDRIVER="${OLETV_CHROMEDRIVER:-/usr/bin/chromedriver}"

have_browser() { [ -x "$CHROMIUM" ] && [ -x "$CHROMEDRIVER" ]; }

main() {
    if have_browser; then return 0; fi
    if ! command -v apt-get >/dev/null 2>&1; then
        die "$CHROMIUM or $CHROMEDRIVER is missing and apt-get was not found.
Install Chromium and its matching ChromeDriver, or point OLETV_CHROMIUM and
OLETV_CHROMEDRIVER at them."
    fi
    if ! is_root; then
        die "$CHROMIUM or $CHROMEDRIVER is missing. Install them as root, then run the command again:
  apt-get update && apt-get install -y chromium chromium-driver"
    fi
    say "Installing chromium and chromium-driver (headless browser for the browser test)"
    DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
    # With recommends: fonts-liberation, without which screenshots show no text.
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver >/dev/null
    have_browser || die "apt-get installed chromium and chromium-driver, but $CHROMIUM or $CHROMEDRIVER is still missing."
}

main "$@"
