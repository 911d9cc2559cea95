"""Screenshots of the main pages on desktop and mobile, for the README.

    .venv/bin/python -m tests.browser.screenshots            # into docs/screenshots/
    .venv/bin/python -m tests.browser.screenshots --out /tmp/shots

Runs its own demo server and the system Chromium, like the browser tests. Add a page to
``PAGES`` when a feature lands, run the command, commit the images.
"""

from __future__ import annotations

import argparse
import tempfile
from datetime import timedelta
from pathlib import Path

from app.timeutil import local_today
from tests.browser import harness

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots"

NEXT_WEEK = (local_today() + timedelta(days=7)).isoformat()
# file name, path, role (None: anonymous)
PAGES = [
    ("home", "/", None),
    ("volunteering", "/wolontariat/", None),
    ("organisations", "/organizacje/", None),
    ("spaces", "/przestrzenie/", None),
    # Next week: this week is partly past; the demo's weekly workshop shows its break.
    ("space-week", f"/przestrzenie/sala/cal-sala-warsztatowa?tydzien={NEXT_WEEK}", None),
    ("organisation-profile", "/organizacje/fundacja-razem-dla-seniora", None),
    ("search", "/szukaj/?q=fundacja", None),
    ("login-errors", "/konto/logowanie", None),
    ("account", "/konto", "volunteer"),
    ("staff-home", "/urzad/", "staff"),
    ("staff-report", "/urzad/sprawozdanie", "staff"),
    ("staff-verification", "/urzad/weryfikacja", "staff"),
    ("staff-reports", "/zgloszenia/", "staff"),
    ("staff-hidden", "/zgloszenia/ukryte", "staff"),
    ("staff-vocabularies", "/urzad/slowniki", "staff"),
    ("open-data", "/otwarte-dane/", None),
]
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "mobile": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
}


def take_screenshots(browser, base_url: str, out: Path, pages=PAGES) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for device, options in VIEWPORTS.items():
        contexts = {}
        for name, path, role in pages:
            if role not in contexts:
                contexts[role] = harness.new_context(browser, base_url, **options)
                if role:
                    page = contexts[role].new_page()
                    harness.log_in(page, role)
                    page.close()
            page = contexts[role].new_page()
            page.goto(path)
            if name == "login-errors":  # the error state is worth showing
                page.locator("main form button[type=submit]").click()
                page.wait_for_load_state("load")
            page.evaluate("document.activeElement && document.activeElement.blur()")
            target = out / f"{name}-{device}.png"
            page.screenshot(path=str(target), full_page=device == "desktop")
            page.close()
            written.append(target)
        for context in contexts.values():
            context.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--only", nargs="*", help="names of the pages to take (default: all)")
    args = parser.parse_args()
    pages = [p for p in PAGES if not args.only or p[0] in args.only]
    with (
        tempfile.TemporaryDirectory() as tmp,
        harness.demo_server(Path(tmp) / "demo.sqlite") as server,
        harness.chromium() as browser,
    ):
        for path in take_screenshots(browser, server.url, args.out, pages=pages):
            print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


if __name__ == "__main__":
    main()
