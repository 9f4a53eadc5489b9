"""The static site: the table logic, a real build, and the pages in headless Chromium.

The browser test drives Debian's ``chromium`` over the DevTools protocol on a pipe
(``--remote-debugging-pipe``: no port, no extra package). Without Chromium it is skipped
with the install command, unless ``DLCONCEPTS_REQUIRE_BROWSER=1`` (set by ``.ci/run``),
which turns a missing browser into a failure.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from dlconcepts import catalog, site, student

ROOT = Path(__file__).resolve().parents[1]
REQUIRE_BROWSER_ENV = "DLCONCEPTS_REQUIRE_BROWSER"
CHROMIUM_ENV = "DLCONCEPTS_CHROMIUM"
INSTALL_HINT = (
    "install Chromium to run the browser test: `sudo apt-get install -y chromium` "
    "(Debian/Ubuntu), or point $DLCONCEPTS_CHROMIUM at a Chromium or Chrome binary"
)
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:", "chrome-error:")


# -- Fixtures: tiny notebooks in a temporary folder -------------------------------------


def make_notebook(cells, metadata=None):
    return {
        "cells": cells,
        "metadata": {"kernelspec": {"name": "python3"}, **(metadata or {})},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def md(source):
    return {"cell_type": "markdown", "metadata": {}, "source": source}


def code(*outputs):
    return {
        "cell_type": "code",
        "execution_count": 1,
        "metadata": {},
        "outputs": list(outputs),
        "source": "pass",
    }


def stream(text):
    return {"output_type": "stream", "name": "stdout", "text": text}


STAMP = {
    "verified": "2026-11-20",
    "seed": 0,
    "seconds": 4.25,
    "claims_held": 3,
    "claims_checked": 3,
    "python": "3.11.7",
    "torch": "2.14.1",
}


@pytest.fixture
def notebooks(tmp_path, monkeypatch):
    """Notebooks 03 (stamped), 04 (not stamped, verdict lines only) and 06 (stamped)."""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    monkeypatch.setenv(catalog.NOTEBOOKS_ENV, str(folder))
    stamped = make_notebook(
        [md("# 03 · What is backpropagation?\n\nThe chain rule, run backwards."), code()],
        {"dlconcepts": STAMP},
    )
    bare = make_notebook(
        [
            md("# 04 · Why do networks need activation functions?"),
            code(stream(["✓ HOLDS  one\n", "✓ HOLDS  two  [measured: 3]\n"])),
            code(stream("✗ FAILS  three\nnot a verdict ✓ HOLDS\n")),
        ]
    )
    for number, nb in ((3, stamped), (4, bare), (6, stamped)):
        (folder / catalog.get(number).filename).write_text(json.dumps(nb), "utf-8")
    return folder


REPORT = {
    "generated": "2026-11-24T10:00:00+00:00",
    "seed": 7,
    "versions": {"python": "3.11.9", "torch": "2.14.1+cpu"},
    "notebooks": [
        {
            "number": 3,
            "status": "passed",
            "seconds": 2.5,
            "claims": [{"holds": True}, {"holds": True}],
        }
    ],
}


# -- The table logic --------------------------------------------------------------------


def test_report_record_wins_over_the_notebook_metadata(notebooks):
    rows = {r.entry.number: r for r in site.collect(REPORT)}
    v = rows[3].verification
    assert (v.source, v.claims_held, v.claims_checked, v.seconds) == ("report", 2, 2, 2.5)
    assert (v.date, v.seed, v.python, v.torch) == ("2026-11-24", 7, "3.11.9", "2.14.1+cpu")
    assert rows[6].verification.source == "notebook"  # not in the report
    assert rows[6].verification.date == "2026-11-20"


def test_without_a_report_the_stamp_is_used_then_the_verdict_lines(notebooks):
    rows = site.collect(None)
    assert [r.entry.number for r in rows] == catalog.numbers()
    assert [r.entry.number for r in rows if r.written] == [3, 4, 6]
    stamped, bare = rows[2].verification, rows[3].verification
    assert (stamped.source, stamped.claims_held, stamped.seconds) == ("notebook", 3, 4.25)
    assert (bare.source, bare.claims_held, bare.claims_checked) == ("outputs", 2, 3)
    assert not bare.passed and bare.date is None and bare.seconds is None


def test_a_failed_report_row_shows_as_failed(notebooks):
    report = json.loads(json.dumps(REPORT))
    report["notebooks"][0].update(status="failed", claims=[{"holds": True}, {"holds": False}])
    v = site.collect(report)[2].verification
    assert site.claims_text(v) == "1 / 2 ✗"
    assert "FAILED" in site.verified_text(v)


def test_cell_texts():
    v = site.Verification("notebook", 3, 3, True, "2026-11-20", 4.25, 0, "3.11.7", "2.14.1")
    assert site.claims_text(v) == "3 / 3 ✓"
    assert site.claims_text(None) == "planned"
    assert site.seconds_text(v) == "4.2" or site.seconds_text(v) == "4.3"
    assert site.seconds_text(None) == "–"
    line = site.verified_text(v)
    assert "2026-11-20" in line and "torch 2.14.1" in line and "Python 3.11.7" in line
    assert "3 of 3 claims held" in line and "seed 0" in line
    never_run = site.Verification("outputs", 0, 0, False)
    assert site.claims_text(never_run) == "not run"
    assert "never" in site.verified_text(never_run)
    unstamped = site.Verification("outputs", 2, 2, True)
    assert "not recorded" in site.verified_text(unstamped)
    assert "make notebooks" in site.verified_text(unstamped)


def test_home_page_lists_the_twenty_questions_then_the_four_beyond(notebooks):
    rows = site.collect(REPORT)
    text = site.home_markdown(rows, REPORT)
    assert "make run" in text and "make test" in text
    head = (
        "| # | Question | Short answer | Claims held | Checks | Exercises | Seeds held "
        "| Worst margin | Seconds |"
    )
    classic, beyond = text.split("## Beyond the twenty")
    assert [line for line in beyond.splitlines() if line.startswith("| ")][0] == head
    assert "| 21 | What is attention? |" in beyond and "| 20 |" not in beyond
    table = [line for line in text.splitlines() if line.startswith("| ") and line != head]
    assert len(table) == len(catalog.CATALOG)
    assert text.count(head) == 2
    for entry, line in zip(catalog.CATALOG, table, strict=True):
        assert line.startswith(f"| {entry.code} | ")
        # nine columns: every '|' inside a cell is escaped
        assert line.replace("\\|", "").count("|") == 10, line
    assert "{doc}`What is backpropagation? </notebooks/03_backpropagation>`" in table[2]
    assert "| 2 / 2 ✓ | – | – | – | – | 2.5 |" in table[2]
    assert "| planned | – | – | – | – | – |" in table[0]
    assert "p(y \\| x)" in table[17]
    assert "3 of 24 notebooks are written" in text
    assert "seed 7" in text


SWEPT = {
    "code_hash": "x",
    "seeds": list(range(10)),
    "date": "2026-11-25",
    "torch": "2.14.1",
    "python": "3.11.7",
    "errors": {},
    "claims": [
        {"kind": "claim", "statement": "Depth | wins", "held": 10, "runs": 10,
         "holds": [True] * 10, "worst": 0.12, "median": 0.5,
         "margins": [0.12, 0.5, 0.6, 0.4, 0.5, 0.7, 1e9, 0.3, 0.5, 0.9]},
        {"kind": "check", "statement": "Identity", "held": 10, "runs": 10,
         "holds": [True] * 10},
        {"kind": "claim", "statement": "Fragile", "held": 9, "runs": 10,
         "holds": [True] * 9 + [False], "worst": "-inf", "median": 0.2,
         "margins": [0.2] * 9 + ["-inf"]},
    ],
}  # fmt: skip


def test_claims_and_checks_are_counted_apart(notebooks):
    report = json.loads(json.dumps(REPORT))
    report["notebooks"][0]["claims"] = [
        {"holds": True, "kind": "claim"},
        {"holds": True, "kind": "check"},
        {"holds": False, "kind": "check"},
    ]
    v = site.collect(report)[2].verification
    assert (v.claims_held, v.claims_checked, v.checks_held, v.checks_checked) == (1, 1, 1, 2)
    assert site.checks_text(v) == "1 / 2 ✗"
    nb = make_notebook(
        [code(stream("✓ HOLDS [claim]  a\n✓ HOLDS [check]  b\n✗ FAILS [check]  c\n"))]
    )
    assert site.count_verdicts(nb, "claim") == (1, 1)
    assert site.count_verdicts(nb, "check") == (1, 2)


def test_home_page_shows_the_sweep_and_says_when_all_are_written(notebooks, monkeypatch):
    rows = site.collect(REPORT, {"notebooks": {"03": SWEPT}})
    assert site.sweep_texts(rows[2].robustness) == ("9 / 10", "-inf")
    monkeypatch.setattr(site.Row, "written", property(lambda self: True))
    rows = [site.Row(r.entry, site.Verification("outputs", 2, 2, True), r.robustness)
            for r in rows]  # fmt: skip
    text = site.home_markdown(rows)
    assert "All 24 notebooks are written" in text and "planned" not in text
    assert "| 9 / 10 | -inf |" in text


def test_robustness_section_and_its_picture(tmp_path):
    text = site.robustness_markdown(SWEPT, "03_backpropagation_robustness.png")
    assert "## Robustness across seeds" in text and "seeds 0-9" in text
    assert "| claim | Depth \\| wins | 10 / 10 | +12% | +50% |" in text
    assert "| check | Identity | 10 / 10 | – | – |" in text
    assert "| claim | Fragile | 9 / 10 | -inf | +20% |" in text
    assert "](03_backpropagation_robustness.png)" in text
    assert "not been swept" in site.robustness_markdown(None, None)
    path = site.robustness_figure(SWEPT, tmp_path / "r.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 5000


def test_topic_pages_list_their_questions(notebooks):
    rows = site.collect(None)
    text = site.topic_markdown("foundations", rows)
    members = [e for e in catalog.CATALOG if e.topic == "foundations"]
    assert all(e.question in text for e in members)
    assert "/notebooks/03_backpropagation\n" in text and "/notebooks/04_" in text
    assert "06_dropout" not in text  # generalization
    with pytest.raises(ValueError, match="topic"):
        site.topic_markdown("poetry", rows)


def test_header_links_neighbours_topic_and_the_notebook_file(notebooks):
    rows = site.collect(None)
    header = site.header_markdown(rows[3], rows)  # question 04
    assert "previous: {doc}`03 · What is backpropagation? </notebooks/03_backpropagation>`" in (
        header
    )
    assert "next: {doc}`06 · What is dropout? </notebooks/06_dropout>` →" in header  # 05 skipped
    assert "{download}`04_activation_functions.ipynb </_files/04_activation_functions.ipynb>`" in (
        header
    )
    assert "Topic: {doc}`foundations </topics/foundations>`" in header
    assert "**04**" in header and "01 02 {doc}`03" in header
    with pytest.raises(ValueError, match="no notebook"):
        site.header_markdown(rows[0], rows)


def test_page_notebook_puts_the_header_under_the_title_and_leaves_the_source(notebooks):
    nb = site.read_notebook(catalog.get(3).path)
    before = json.dumps(nb)
    page = site.page_notebook(nb, "HEADER")
    assert json.dumps(nb) == before
    sources = [c["source"] for c in page["cells"]]
    assert sources[:3] == [
        "# 03 · What is backpropagation?",
        "HEADER",
        "\nThe chain rule, run backwards.",
    ]
    untitled = site.page_notebook(make_notebook([code()]), "HEADER")
    assert untitled["cells"][0]["source"] == "HEADER"


def test_a_broken_notebook_is_named(notebooks):
    catalog.get(5).path.write_text('{"cells": [', "utf-8")
    with pytest.raises(ValueError, match="05_vanishing_gradients.ipynb: not a notebook"):
        site.collect(None)


def test_load_report(tmp_path):
    assert site.load_report(tmp_path / "missing.json") is None
    assert site.load_report(None) is None
    bad = tmp_path / "report.json"
    bad.write_text("{not json")
    with pytest.raises(ValueError, match="report.json"):
        site.load_report(bad)
    bad.write_text("[]")
    with pytest.raises(ValueError, match="not a dlconcepts report"):
        site.load_report(bad)
    bad.write_text(json.dumps(REPORT))
    assert site.load_report(bad)["seed"] == 7


def test_build_refuses_to_replace_a_folder_that_is_not_a_site(tmp_path):
    (tmp_path / "precious.txt").write_text("keep me")
    with pytest.raises(ValueError, match="refusing"):
        site.build(tmp_path, report_path=None)
    assert (tmp_path / "precious.txt").read_text() == "keep me"


# -- A real build ------------------------------------------------------------------------


class Tags(HTMLParser):
    """Every start tag's name and attributes."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(path: Path) -> list[tuple[str, dict]]:
    parser = Tags()
    parser.feed(path.read_text("utf-8"))
    return parser.tags


def image_outputs(nb: dict) -> int:
    kinds = ("image/png", "image/jpeg", "image/svg+xml")
    return sum(
        1
        for cell in nb["cells"]
        for out in cell.get("outputs", [])
        if any(k in out.get("data", {}) for k in kinds)
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The site, built once for this module into a temporary folder."""
    if not catalog.available():
        pytest.skip("no notebooks written yet")
    out = tmp_path_factory.mktemp("site") / "site"
    result = site.build(out, report_path=site.DEFAULT_REPORT)
    for warning in result.warnings:
        print("sphinx warning:", warning)
    print(f"site built in {result.seconds:.1f} s")
    return result


def test_every_written_notebook_has_a_page_with_its_figures(built):
    out = built.out_dir
    assert built.index.is_file()
    for entry in catalog.available():
        page = out / "notebooks" / entry.filename.replace(".ipynb", ".html")
        assert page.is_file(), f"no page for {entry.filename}"
        images = [a["src"] for t, a in tags(page) if t == "img" and "src" in a]
        expected = image_outputs(site.read_notebook(entry.path))
        assert len(images) >= expected, f"{page.name}: {len(images)} images, {expected} plots"
        for src in images:
            assert not src.startswith(("http:", "https:", "//")), src
            if not src.startswith("data:"):
                file = (page.parent / src).resolve()
                assert file.is_file() and file.stat().st_size > 0, f"{page.name}: {src}"
        text = page.read_text("utf-8")
        assert "Last verified" in text and entry.question in text
        downloads = [
            a["href"] for t, a in tags(page) if t == "a" and "download" in a.get("class", "")
        ]
        assert any(h.endswith(entry.filename) for h in downloads), f"{page.name}: no notebook link"
        assert all((page.parent / h).resolve().is_file() for h in downloads)
    home = built.index.read_text("utf-8")
    for entry in catalog.CATALOG:
        assert entry.question in home
    for topic in catalog.TOPICS:
        assert (out / "topics" / f"{topic}.html").is_file()


def test_no_page_loads_anything_from_the_internet(built):
    remote = ("http:", "https:", "//")
    for page in built.out_dir.rglob("*.html"):
        for tag, attrs in tags(page):
            loads = attrs.get("src") or (attrs.get("href") if tag == "link" else None)
            assert not (loads and loads.startswith(remote)), f"{page}: <{tag}> loads {loads}"
    assert (built.out_dir / "_static" / "mathjax" / "tex-chtml.js").is_file()


# -- In a real browser ---------------------------------------------------------------------


def find_chromium() -> str | None:
    override = os.environ.get(CHROMIUM_ENV)
    if override:
        return override if os.access(override, os.X_OK) else None
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


class Chromium:
    """Headless Chromium driven over the DevTools protocol on a pipe (fds 3 and 4)."""

    FLAGS = (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-sync",
        "--disable-extensions",
        "--hide-scrollbars",
        "--mute-audio",
        "--no-pings",
        "--disable-domain-reliability",
        "--disable-client-side-phishing-detection",
        "--disable-default-apps",
        "--disable-breakpad",
        "--no-proxy-server",
        # No host name resolves, so even the browser's own background requests (sign-in,
        # update and time checks) cannot leave the machine; the netlog shows they failed.
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--disable-dev-shm-usage",  # containers often have a tiny /dev/shm
        "--remote-debugging-pipe",
    )

    def __init__(self, executable: str, user_data_dir: Path, net_log: Path):
        self.net_log = net_log
        self.log = net_log.with_name("chromium.log")  # a file: a full pipe would block it
        self.stderr: str | None = None
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def wire_fds():  # runs in the child before exec: the protocol's fds are 3 and 4
            r = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD, 10)
            w = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD, 10)
            os.dup2(r, 3)
            os.dup2(w, 4)

        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    executable,
                    *self.FLAGS,
                    f"--user-data-dir={user_data_dir}",
                    f"--log-net-log={net_log}",
                    "about:blank",
                ],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                pass_fds=(3, 4),
                preexec_fn=wire_fds,
            )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._next_id = 0
        self._responses: dict[int, dict] = {}
        self.events: list[dict] = []
        self._inbox: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        deadline = time.monotonic() + 30
        while True:  # the first tab can appear a moment after the browser answers
            targets = self.call("Target.getTargets")["targetInfos"]
            page = next((t for t in targets if t["type"] == "page"), None)
            if page is not None:
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"Chromium opened no page; its log: {self.log}")
            time.sleep(0.2)
        self.session = self.call("Target.attachToTarget", targetId=page["targetId"], flatten=True)[
            "sessionId"
        ]

    def _read(self):
        buffer = b""
        while True:
            chunk = os.read(self._from_browser, 1 << 16)
            if not chunk:
                self._inbox.put(None)
                return
            buffer += chunk
            *messages, buffer = buffer.split(b"\0")
            for message in messages:
                self._inbox.put(json.loads(message))

    def _pump(self, deadline: float) -> None:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("Chromium did not answer in time")
        try:
            message = self._inbox.get(timeout=remaining)
        except queue.Empty:
            raise TimeoutError("Chromium did not answer in time") from None
        if message is None:
            raise RuntimeError("Chromium closed the DevTools pipe (did it crash?)")
        if "id" in message:
            self._responses[message["id"]] = message
        else:
            self.events.append(message)

    def call(self, method: str, session: bool = False, timeout: float = 30, **params) -> dict:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while self._next_id not in self._responses:
            self._pump(deadline)
        answer = self._responses.pop(self._next_id)
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        return answer["result"]

    def page(self, method: str, **params) -> dict:
        return self.call(method, session=True, **params)

    def wait_for(self, method: str, since: int, timeout: float = 30) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            for event in self.events[since:]:
                if event.get("method") == method:
                    return event
            self._pump(deadline)

    def evaluate(self, expression: str):
        result = self.page(
            "Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"page script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def open(self, url: str) -> None:
        since = len(self.events)
        self.page("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired", since)
        # Images load eagerly, math is typeset and fonts are ready before anything is read.
        self.evaluate(
            """(async () => {
                const images = Array.from(document.images);
                images.forEach(img => { img.loading = "eager"; });
                await Promise.all(images.map(img => img.decode().catch(() => null)));
                if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
                    await MathJax.startup.promise;
                }
                await document.fonts.ready;
                return true;
            })()"""
        )

    def screenshot(self, path: Path) -> None:
        size = self.page("Page.getLayoutMetrics")["cssContentSize"]
        clip = {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], 12000)}
        shot = self.page(
            "Page.captureScreenshot",
            format="png",
            captureBeyondViewport=True,
            clip={**clip, "scale": 1},
        )
        path.write_bytes(base64.b64decode(shot["data"]))

    def close(self) -> str:
        """Quit (once); return Chromium's own log. The netlog is complete after this."""
        if self.stderr is not None:
            return self.stderr
        try:
            self.call("Browser.close", timeout=10)
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_browser)
        self.stderr = self.log.read_text("utf-8", errors="replace")
        return self.stderr


def network_activity(net_log: str) -> tuple[list[str], list[str]]:
    """From a Chromium netlog: ``(sent, attempted)``.

    ``sent`` lists what could have put a packet on the network: DNS lookups (by Chromium's
    resolver or the system's) and TCP or DNS connections to non-loopback addresses.
    ``attempted`` lists the URLs of network requests Chromium started (they fail when no
    host resolves); file: URLs never appear in a netlog.
    """
    try:
        log = json.loads(net_log)
    except json.JSONDecodeError:  # cut short: Chromium did not close it
        log = json.loads(net_log.rstrip().rstrip(",") + "]}")
    names = {number: name for name, number in log["constants"]["logEventTypes"].items()}
    sent, attempted = [], []
    for event in log.get("events", []):
        name = names.get(event.get("type"), "")
        params = event.get("params") or {}
        address = str(params.get("address", ""))
        loopback = address.startswith(("127.", "[::1]", "localhost"))
        if name in ("HOST_RESOLVER_DNS_TASK", "HOST_RESOLVER_SYSTEM_TASK") or name.startswith(
            "DNS_TRANSACTION"
        ):
            sent.append(f"{name} {json.dumps(params)}")
        elif name.startswith("TCP_CONNECT") and address and not loopback:
            sent.append(f"{name} {address}")
        elif name == "UDP_CONNECT" and address.endswith(":53") and not loopback:
            sent.append(f"{name} {address}")
        elif name == "URL_REQUEST_START_JOB" and "url" in params:
            attempted.append(params["url"])
    return sent, attempted


@pytest.fixture
def chromium():
    executable = find_chromium()
    if executable is None:
        where = os.environ.get(CHROMIUM_ENV) or "PATH"
        if os.environ.get(REQUIRE_BROWSER_ENV) == "1":
            pytest.fail(
                f"Chromium is required here (${REQUIRE_BROWSER_ENV}=1) but none was found "
                f"in {where}; {INSTALL_HINT}"
            )
        pytest.skip(f"no Chromium found in {where}; {INSTALL_HINT}")
    with tempfile.TemporaryDirectory(prefix="dlconcepts-chromium-") as profile:
        net_log = Path(profile) / "netlog.json"
        browser = Chromium(executable, Path(profile) / "profile", net_log)
        try:
            yield browser
        finally:
            browser.close()


def test_site_in_headless_chromium(built, chromium):
    screenshots = ROOT / "build" / "screenshots"
    screenshots.mkdir(parents=True, exist_ok=True)
    browser = chromium
    browser.page("Page.enable")
    browser.page("Network.enable")
    browser.page("Runtime.enable")
    browser.page(
        "Emulation.setDeviceMetricsOverride",
        width=1280,
        height=900,
        deviceScaleFactor=1,
        mobile=False,
    )
    written = catalog.available()
    entry = next((e for e in written if e.number == 5), written[0])
    notebook_page = built.out_dir / "notebooks" / entry.filename.replace(".ipynb", ".html")
    pages = [(built.index, "home"), (notebook_page, entry.filename.removesuffix(".ipynb"))]

    for path, name in pages:
        browser.open(path.as_uri())
        text = browser.evaluate("document.body.innerText")
        images = browser.evaluate(
            "Array.from(document.images).map(i => [i.currentSrc || i.src, i.naturalWidth])"
        )
        broken = [src for src, width in images if width == 0]
        assert not broken, f"{name}: images that did not load: {broken}"
        browser.screenshot(screenshots / f"{name}.png")
        if name == "home":
            for needed in ("make run", "make test", "The twenty questions"):
                assert needed in text, f"home page lacks {needed!r}"
            for e in catalog.CATALOG:
                assert e.question in text, f"home page lacks question {e.code}"
            if len(written) < len(catalog.CATALOG):
                assert "planned" in text
        else:
            assert entry.title in text
            assert "Last verified" in text and "✓ HOLDS" in text
            assert len(images) >= image_outputs(site.read_notebook(entry.path)) > 0
            # the robustness section, with its picture loaded
            assert "Robustness across seeds" in text and "Worst margin" in text
            pictures = [(s, w) for s, w in images if "_robustness" in s]
            assert pictures and all(w > 300 for _, w in pictures), images
            # code formatted to 100 columns fits the code column without scrolling sideways
            widths = browser.evaluate(
                "Array.from(document.querySelectorAll('div.cell_input pre')).map(p => "
                "[p.scrollWidth - p.clientWidth, Math.max(...p.innerText.split('\\n')"
                ".map(l => l.length))])"
            )
            assert widths, "no code cells found"
            scrolling = [longest for extra, longest in widths if extra > 0 and longest <= 100]
            assert not scrolling, f"code lines of <= 100 columns scroll sideways: {scrolling}"
            if browser.evaluate("document.querySelectorAll('.math').length") > 0:
                typeset = browser.evaluate("document.querySelectorAll('mjx-container').length")
                assert typeset > 0, "the page has math but MathJax typeset none of it"

    # an exercise's solution is folded away, and one click on its toggle shows it
    with_exercises = [e for e in written if student.exercises(site.read_notebook(e.path))]
    assert with_exercises, "no notebook has exercises with solutions"
    page = built.out_dir / "notebooks" / with_exercises[0].filename.replace(".ipynb", ".html")
    browser.open(page.as_uri())
    state = (
        "Array.from(document.querySelectorAll('details.hide')).filter(d => "
        "d.textContent.includes('BEGIN SOLUTION'))"
        ".map(d => [d.open, d.querySelector('pre') && d.querySelector('pre').checkVisibility(), "
        "d.querySelector('summary').innerText.trim()])"
    )
    folded = browser.evaluate(state)
    assert folded, f"{page.name}: no solution behind a toggle"
    assert all(not is_open and seen is False for is_open, seen, _ in folded), folded
    assert all(label == "Show the solution" for _, _, label in folded), folded
    browser.evaluate(
        "document.querySelectorAll('details.hide')"
        ".forEach(d => { if (d.textContent.includes('BEGIN SOLUTION')) "
        "d.querySelector('summary').click(); })"
    )
    shown = browser.evaluate(state)
    assert all(is_open and seen is True for is_open, seen, _ in shown), shown
    assert all(label == "Hide the solution" for _, _, label in shown), shown
    browser.screenshot(screenshots / "solution-shown.png")

    requests = [
        e["params"]["request"]["url"]
        for e in browser.events
        if e.get("method") == "Network.requestWillBeSent"
    ]
    assert any(u.startswith("file:") for u in requests)
    remote = [u for u in requests if not u.startswith(LOCAL_SCHEMES)]
    assert not remote, f"requests left the machine: {remote}"
    failed = [
        e["params"].get("errorText")
        for e in browser.events
        if e.get("method") == "Network.loadingFailed"
    ]
    assert not failed, f"resources failed to load: {failed}"
    errors = [
        e["params"]["exceptionDetails"].get("text")
        for e in browser.events
        if e.get("method") == "Runtime.exceptionThrown"
    ]
    assert not errors, f"script errors: {errors}"

    browser.close()
    sent, attempted = network_activity(browser.net_log.read_text("utf-8", errors="replace"))
    if attempted:
        print("Chromium's own background requests, blocked (no host resolves):", attempted)
    assert not sent, f"network traffic left the machine: {sent}"
