"""Take the screenshots used in the docs from a running demo (`make demo` in another shell).

    .venv/bin/python docs/screenshots.py [--base http://127.0.0.1:8000]

Each shot is (file, path, who is logged in or None). The first page of the PDF memorandum
is rendered with pdftoppm.
"""

import argparse
import subprocess
import tempfile
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

EDITION = "/nl/editions/2024-2028"
SHOTS = [
    ("catalogue.png", f"{EDITION}/catalogue/", None),
    ("edition.png", f"{EDITION}/", None),
    ("recommendation-fr.png", "/fr/editions/2024-2028/recommendations/R2/", None),
    ("survey-results.png", f"{EDITION}/surveys/1/results/", None),
    ("assembly-meeting.png", f"{EDITION}/assembly/1/", None),
    ("roadmap-dashboard.png", f"{EDITION}/roadmap/", None),
    ("publication-web.png", f"{EDITION}/memorandum/", None),
    ("consultation-proposals.png", f"{EDITION}/proposals/", "secretariat"),
    ("provenance.png", f"{EDITION}/recommendations/R1/provenance/", "secretariat"),
]


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/nl/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login/" not in url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default=str(Path(__file__).parent / "img"))
    args = parser.parse_args()
    out = Path(args.out)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for name, path, username in SHOTS:
            context = browser.new_context(viewport={"width": 1200, "height": 800})
            page = context.new_page()
            if username:
                log_in(page, args.base, username)
            page.goto(args.base + path)
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(out / name))
            context.close()
        browser.close()
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "memorandum.pdf"
        urllib.request.urlretrieve(f"{args.base}{EDITION}/memorandum/nl.pdf", pdf)
        for first, name in ((1, "publication-cover"), (6, "publication-page")):
            subprocess.run(
                [
                    "pdftoppm",
                    "-r",
                    "45",
                    "-png",
                    "-f",
                    str(first),
                    "-l",
                    str(first),
                    "-singlefile",
                    str(pdf),
                    str(out / name),
                ],
                check=True,
            )


if __name__ == "__main__":
    main()
