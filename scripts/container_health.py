"""Health probe for the web container: GET /health/ from this container's gunicorn.

It asks as the first name in ALLOWED_HOSTS, since Django refuses any other Host, and over plain http,
which the https redirect lets through for /health/ (SECURE_REDIRECT_EXEMPT). Exit 0 when healthy.
"""

import os
import sys
import urllib.error
import urllib.request

PORT = os.environ.get("HEALTH_PORT", "8000")


def host() -> str:
    for name in os.environ.get("ALLOWED_HOSTS", "").split(","):
        name = name.strip().lstrip(".")
        if name and name != "*":
            return name
    return "localhost"


def main() -> int:
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}/health/", headers={"Host": host()})
    try:
        with urllib.request.urlopen(request, timeout=8) as response:
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as error:
        print(f"unhealthy: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
