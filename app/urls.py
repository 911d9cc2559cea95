from urllib.parse import urlsplit


def safe_local_url(target: str | None, default: str) -> str:
    """``target`` if it is a same-site path (no open redirects), else ``default``."""
    target = target or ""
    # Backslashes count as slashes in browsers ("/\\evil.example"); CR/LF would split headers.
    if any(char in target for char in "\\\r\n") or any(ord(char) < 32 for char in target):
        return default
    if target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return default
