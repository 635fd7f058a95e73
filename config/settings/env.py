"""Read the environment in one place.

Every setting that differs between a laptop, CI and production comes from an
environment variable read here; the settings modules only decide defaults.
"""

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("LEERBRUG_VAR_DIR", BASE_DIR / "var"))
# The SQLite file, mail files and the filesystem broker live here; a fresh clone
# has no var/ yet, and every entry point (manage.py, celery, `make check-deploy`)
# must work there.
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def mailers_setting(url: str) -> dict:
    """Turn EMAIL_URL (smtp://user:pass@host:587?tls=1, smtps://..., file:///path,
    console://) into Django's MAILERS setting."""
    parsed = urlparse(url)
    scheme = parsed.scheme
    if scheme in {"smtp", "smtps", "submission"}:
        query = parse_qs(parsed.query)
        backend = "django.core.mail.backends.smtp.EmailBackend"
        options = {
            "host": parsed.hostname or "localhost",
            "port": parsed.port or (465 if scheme == "smtps" else 587),
            "username": unquote(parsed.username or ""),
            "password": unquote(parsed.password or ""),
            "use_ssl": scheme == "smtps",
            "use_tls": scheme == "submission" or query.get("tls", ["0"])[0] == "1",
            "timeout": 10,
        }
    elif scheme == "console":
        backend, options = "django.core.mail.backends.console.EmailBackend", {}
    elif scheme == "file":
        backend = "django.core.mail.backends.filebased.EmailBackend"
        options = {"file_path": parsed.path or str(VAR_DIR / "mail")}
    elif scheme == "locmem":
        backend, options = "django.core.mail.backends.locmem.EmailBackend", {}
    else:
        raise ValueError(f"Unsupported EMAIL_URL scheme: {scheme!r}")
    return {"default": {"BACKEND": backend, "OPTIONS": options}}


def env_int_default(name: str, default: int) -> int:
    return int(os.environ.get(name, default))
