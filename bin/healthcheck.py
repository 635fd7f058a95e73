#!/usr/bin/env python3
"""The web container's health check: ask /healthz the way the reverse proxy does.

With production settings a bare ``http://localhost:8000/healthz`` never reaches the
view: the host check answers 400 (localhost is not in ALLOWED_HOSTS) and, for an
allowed host, SecurityMiddleware redirects plain HTTP to HTTPS (301). So the check
names the first allowed host and says the request arrived over HTTPS through
``X-Forwarded-Proto`` (production's SECURE_PROXY_SSL_HEADER), as the TLS-terminating
proxy in front of gunicorn does. Standard library only: it runs every 15 seconds.
Exit 0 when /healthz answers 200, 1 otherwise.
"""

import os
import sys
import urllib.error
import urllib.request


def allowed_host() -> str:
    """The first host of ALLOWED_HOSTS as a Host header ('.example.org' allows the
    domain itself; '*' allows anything, so localhost will do)."""
    hosts = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
    host = hosts[0].lstrip(".") if hosts else "localhost"
    return "localhost" if host == "*" else host


def main() -> int:
    port = os.environ.get("PORT", "8000")
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/healthz",
        headers={"Host": allowed_host(), "X-Forwarded-Proto": "https"},
    )
    try:
        with urllib.request.urlopen(request, timeout=4) as response:  # noqa: S310 - fixed URL
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as error:
        print(f"healthcheck: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
