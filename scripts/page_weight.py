"""Page weight: what a reader's browser downloads to read a page of the built site, in chromium.

    python scripts/page_weight.py                    # the lesson (lesson/)
    python scripts/page_weight.py examples/grpo/ ""  # other pages: paths below the site's root
    python scripts/page_weight.py --site /tmp/site   # an already built site instead of a fresh build

The page is loaded and scrolled to its end, so that lazily loaded images count too. Every response
is listed with its bytes on the wire (Chrome's encodedDataLength, headers included), served
gzip-compressed as GitHub Pages serves text, and its size unpacked. The total leaves out the
search index (fetched in the background by the search box); the target is 200 KB. This reports;
it does not enforce. scripts/lighthouse.py serves the site the same way, with this module's
handler, to score every page.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlsplit

import command_line

ROOT = Path(__file__).resolve().parent.parent

TARGET = 200 * 1024
EXCLUDED = {"search/search_index.json": "search index"}
GZIP_LEVEL = 6
COMPRESSED_TYPES = ("text/", "application/javascript", "application/json", "image/svg")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serve files gzip-compressed when the browser accepts it, as GitHub Pages does for text."""

    def log_message(self, format, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        kind = self.guess_type(str(path))
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        redirect = path.name == "index.html" and not urlsplit(self.path).path.endswith(
            "/"
        )
        compress = path.is_file() and accepts and kind.startswith(COMPRESSED_TYPES)
        if redirect or not compress:  # the parent class redirects /page to /page/
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=GZIP_LEVEL)
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(GzipHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/"


def build(scratch: Path) -> Path:
    """Build the site strictly into ``scratch/site`` (notebooks not executed); exit if it fails."""
    site = scratch / "site"
    print("building the site (strict, notebooks not executed)...", file=sys.stderr)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"]
        + ["-f", str(ROOT / "mkdocs.yml"), "-d", str(site)],
        cwd=scratch,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    if result.returncode != 0:
        sys.exit(f"the build failed:\n{result.stdout}{result.stderr}")
    return site


def measure(browser, base: str, page_path: str) -> list[dict]:
    """Load a page, scroll to its end; return one row per response (the search worker's too)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    rows: list[dict] = []

    def finished(request):
        if request.url.startswith("data:"):
            return
        response = request.response()
        body = response.body() if response else b""
        # Bytes on the wire: headers and the body as sent. Chrome reports no body size for the
        # search worker's script, so the compressed length is recomputed (the same gzip level).
        sent = body
        if response and response.headers.get("content-encoding") == "gzip":
            sent = gzip.compress(body, compresslevel=GZIP_LEVEL)
        rows.append(
            {
                "url": request.url,
                "type": request.resource_type,
                "wire": request.sizes()["responseHeadersSize"] + len(sent),
                "size": len(body),
            }
        )

    context.on("requestfinished", finished)
    # Nothing from another host, as in the browser tests.
    context.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(base) else route.abort()
        ),
    )
    page = context.new_page()
    page.goto(base + page_path, wait_until="networkidle")
    page.evaluate(
        """async () => {
            for (let y = 0; y < document.body.scrollHeight; y += innerHeight) {
                scrollTo(0, y);
                await new Promise(done => setTimeout(done, 50));
            }
        }"""
    )
    page.wait_for_load_state("networkidle")
    context.close()
    return rows


def report(page_path: str, rows: list[dict], base: str) -> int:
    print(f"\n/{page_path}")
    print(f"{'bytes on wire':>14} {'unpacked':>10}  {'type':<11} resource")
    total = unpacked = 0
    for row in sorted(rows, key=lambda r: -r["wire"]):
        path = urlsplit(row["url"]).path.lstrip("/")
        why = EXCLUDED.get(path)
        if not why:
            total += row["wire"]
            unpacked += row["size"]
        note = f"  (left out: {why})" if why else ""
        shown = row["url"].removeprefix(base) or "/"
        print(f"{row['wire']:>14,} {row['size']:>10,}  {row['type']:<11} {shown}{note}")
    verdict = "within" if total <= TARGET else "OVER"
    print(
        f"{total:>14,} {unpacked:>10,}  total: {total / 1024:.0f} KB on the wire, {verdict} the "
        f"{TARGET // 1024} KB target ({unpacked / 1024:.0f} KB unpacked; search index left"
        " out)"
    )
    return total


def main() -> None:
    parser = command_line.parser_for(__doc__)
    parser.add_argument(
        "pages", nargs="*", default=["lesson/"], help="default: lesson/"
    )
    parser.add_argument("--site", type=Path, help="a built site (default: build one)")
    parser.add_argument(
        "--chromium", default=os.environ.get("COURSE_CHROMIUM") or "/usr/bin/chromium"
    )
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as scratch:
        site = args.site or build(Path(scratch))
        server, base = serve(site)
        with sync_playwright() as driver:
            browser = driver.chromium.launch(
                executable_path=args.chromium, headless=True, args=["--no-sandbox"]
            )
            for page_path in args.pages:
                if not (site / page_path / "index.html").is_file():
                    sys.exit(f"no page /{page_path} in {site}")
                report(page_path, measure(browser, base, page_path), base)
            browser.close()
        server.shutdown()


if __name__ == "__main__":
    main()
