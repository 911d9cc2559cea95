from urllib.parse import urlsplit


def safe_local_url(target: str | None, default: str) -> str:
    """``target`` if it is a same-site path (no open redirects), else ``default``."""
    target = target or ""
    if target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return default
