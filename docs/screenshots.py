"""Take the screenshots used in the docs from a running demo (`make demo` in another shell).

    .venv/bin/python docs/screenshots.py [--base http://127.0.0.1:8000]
"""

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

SHOTS = [
    ("catalogue.png", "/nl/editions/2024-2028/catalogue/", None),
    ("edition.png", "/nl/editions/2024-2028/", None),
    ("recommendation-fr.png", "/fr/editions/2024-2028/recommendations/R2/", None),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default=str(Path(__file__).parent / "img"))
    args = parser.parse_args()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page(viewport={"width": 1200, "height": 800})
        for name, path, _login in SHOTS:
            page.goto(args.base + path)
            page.screenshot(path=str(Path(args.out) / name))
        browser.close()


if __name__ == "__main__":
    main()
