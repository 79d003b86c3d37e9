"""The browser tests' harness: a complaintsd with its workbench on 127.0.0.1, in a temporary
folder, with the demo's mail (and the tests' own) already processed and four staff accounts; a
recording HTTP listener that no page may ever reach; headless Chromium through chromedriver.

Where things are, from the environment (ctest sets them; by hand the defaults fit a checkout
built in build/):
  COMPLAINTSD_SOURCE_DIR   the source tree (default: two folders up from this file)
  COMPLAINTSD_BINARY_DIR   the build tree (default: SOURCE/build); its daemon/complaintsd and
                           daemon/complaintsctl are used unless COMPLAINTSD / COMPLAINTSCTL name them
  CHROMIUM, CHROMEDRIVER   the browser and its driver (default: found on PATH)
  COMPLAINTSD_BROWSER_KEEP=1  keep the temporary folder (daemon log, store, mail) for a look
"""

import http.client
import http.server
import json
import os
import pathlib
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

import mail_samples

HERE = pathlib.Path(__file__).resolve().parent
SOURCE_DIR = pathlib.Path(os.environ.get("COMPLAINTSD_SOURCE_DIR") or HERE.parent.parent).resolve()
BINARY_DIR = pathlib.Path(os.environ.get("COMPLAINTSD_BINARY_DIR") or SOURCE_DIR / "build").resolve()
COMPLAINTSD = pathlib.Path(os.environ.get("COMPLAINTSD") or BINARY_DIR / "daemon" / "complaintsd")
COMPLAINTSCTL = pathlib.Path(os.environ.get("COMPLAINTSCTL") or BINARY_DIR / "daemon" / "complaintsctl")
AXE_JS = SOURCE_DIR / "web" / "node_modules" / "axe-core" / "axe.min.js"

# The staff accounts every test may sign in as: username -> (full name, role, password).
STAFF = {
    "alice": ("Alice Officer", "officer", "alice-password-12345"),
    "bob": ("Bob Officer", "officer", "bob-password-123456"),
    "mina": ("Mina Manager", "manager", "mina-password-123456"),
    "adam": ("Adam Admin", "admin", "adam-password-123456"),
}

WINDOW = (1280, 900)


class SetupError(AssertionError):
    """Something the tests need is missing or would not start: a failure, never a skip."""


def reexec_with_selenium(script):
    """Debian's python3-selenium is for /usr/bin/python3; another python3 first on PATH (pyenv,
    a venv) lacks it. Runs `script` again under one that has it, when there is one; otherwise
    returns and browser_tools() reports what is missing."""
    try:
        import selenium  # noqa: F401

        return
    except ImportError:
        pass
    if os.environ.get("COMPLAINTSD_BROWSER_REEXEC"):
        return
    for candidate in ("/usr/bin/python3", "/usr/local/bin/python3"):
        if not os.access(candidate, os.X_OK) or os.path.realpath(candidate) == os.path.realpath(sys.executable):
            continue
        if subprocess.run([candidate, "-c", "import selenium"], capture_output=True).returncode == 0:
            os.environ["COMPLAINTSD_BROWSER_REEXEC"] = "1"
            sys.stdout.flush()
            sys.stderr.flush()
            os.execv(candidate, [candidate, os.path.abspath(script)] + sys.argv[1:])


def browser_tools():
    """(chromium, chromedriver) paths, or SetupError saying what is missing and how to get it."""
    problems = []
    try:
        import selenium  # noqa: F401
    except ImportError:
        problems.append(
            "the Python module selenium is missing for %s (apt-get install python3-selenium, "
            "or run the tests with /usr/bin/python3)" % sys.executable
        )
    chromium = os.environ.get("CHROMIUM") or next(
        (p for p in map(shutil.which, ["chromium", "chromium-browser", "google-chrome"]) if p), None
    )
    driver = os.environ.get("CHROMEDRIVER") or shutil.which("chromedriver")
    if not chromium or not os.access(chromium, os.X_OK):
        problems.append("no Chromium (apt-get install chromium, or set CHROMIUM)")
    if not driver or not os.access(driver, os.X_OK):
        problems.append("no chromedriver (apt-get install chromium-driver, or set CHROMEDRIVER)")
    if problems:
        raise SetupError(
            "the browser tests cannot run: " + "; ".join(problems) + ". scripts/bootstrap installs them."
        )
    return chromium, driver


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Listener:
    """An HTTP server on 127.0.0.1 that records every request made to it. The tests' hostile mail
    points at it: any request here means a page loaded something it must not."""

    def __init__(self):
        self.requests = []
        lock = threading.Lock()
        listener = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _record(self):
                with lock:
                    listener.requests.append((self.command, self.path, self.headers.get("Referer", "")))
                body = b"GIF89a" if self.path.endswith(".gif") else b"/* recorded */"
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Access-Control-Allow-Origin", "*")
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_HEAD = do_OPTIONS = _record

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.address = "127.0.0.1:%d" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class Workbench:
    """A running complaintsd on the demo's mail plus the tests' own, in a temporary folder."""

    def __init__(self):
        self.tmp = pathlib.Path(tempfile.mkdtemp(prefix="complaintsd-browser-"))
        self.maildir = self.tmp / "Maildir"
        self.config = self.tmp / "complaintsd.properties"
        self.store = self.tmp / "complaints.db"
        self.log_path = self.tmp / "complaintsd.log"
        self.process = None
        self.listener = None
        self.port = None
        self.year = None
        self.keyboard_case = None  # a phone complaint opened for the keyboard test, not acknowledged
        self.hostile = []  # (label, expectations) of the hostile messages delivered
        self.once_output = ""

    # --- start and stop ------------------------------------------------------------------------

    def start(self, demo_only=False):
        """Lays out the mail, runs complaintsd --once on it, adds the staff accounts and starts the
        daemon. demo_only: the demo's mail alone (for screenshots), without the tests' own."""
        for binary in (COMPLAINTSD, COMPLAINTSCTL):
            _ready(binary)
        if not AXE_JS.exists():
            raise SetupError("%s is missing: run npm ci in %s/web (scripts/bootstrap)" % (AXE_JS, SOURCE_DIR))
        self.listener = Listener()
        for sub in ("new", "cur", "tmp"):
            (self.maildir / sub).mkdir(parents=True)
        (self.tmp / "outbox").mkdir()
        count, self.year = mail_samples.copy_demo_mail(SOURCE_DIR, self.maildir)
        i = count
        if not demo_only:
            for label, raw in mail_samples.triage_messages():
                i += 1
                mail_samples.deliver(self.maildir, "%010d.browser.%s" % (i, label), raw)
            for label, raw, expect in mail_samples.hostile_messages(self.listener.address):
                i += 1
                mail_samples.deliver(self.maildir, "%010d.browser.%s" % (i, label), raw)
                self.hostile.append((label, expect))
        key = self.tmp / "signing.key"
        key.write_text(os.urandom(32).hex())
        key.chmod(0o600)
        self._write_config(web_port=free_port(), http_port=free_port())
        once = _spawn(subprocess.run, [str(COMPLAINTSD), "--config", str(self.config), "--once"],
                      capture_output=True, text=True, timeout=300)
        self.once_output = once.stdout + once.stderr
        if once.returncode != 0:
            raise SetupError("complaintsd --once failed (%d):\n%s" % (once.returncode, self.once_output))
        if not demo_only:
            self._open_keyboard_case()
        for user, (name, role, password) in STAFF.items():
            self.ctl("staff", "add", user, "--name", name, "--role", role, stdin=password + "\n")
        self._start_daemon()
        return self

    def _open_keyboard_case(self):
        self.keyboard_case = self.ctl(
            "cases", "open", "--type", "complaint", "--channel", "phone", "--name", "Kay Board",
            "--phone", "01632 960001", "--summary", "Keyboard test: the lift is broken again",
        ).strip()
        if not re.fullmatch(r"WW-\d{4}-\d{5}", self.keyboard_case):
            raise SetupError("complaintsctl cases open printed %r, not a reference" % self.keyboard_case)

    def _write_config(self, web_port, http_port):
        self.port = web_port
        self.config.write_text(
            "# Written by tests/browser/workbench.py, like config/demo/complaintsd.properties.\n"
            "store.path = %(tmp)s/complaints.db\n"
            "policy.file = %(src)s/config/policies/westway.json\n"
            "mailbox.kind = maildir\n"
            "mailbox.maildir = %(tmp)s/Maildir\n"
            "mailbox.poll-seconds = 1\n"
            "outbox.kind = pickup\n"
            "outbox.pickup-dir = %(tmp)s/outbox\n"
            "mail.from = customer.services@westway.example\n"
            "mail.from-name = Westway Customer Services\n"
            "mail.signing-key-file = %(tmp)s/signing.key\n"
            "mail.staff-domains = westway.example\n"
            "mail.admin = it.support@westway.example\n"
            "mail.manager = complaints.manager@westway.example\n"
            "http.listen = 127.0.0.1:%(http)d\n"
            "web.listen = 127.0.0.1:%(web)d\n"
            "web.assets-dir = %(src)s/web\n"
            "landlord.homes = 2019-04-01:1200\n"
            "reports.evidence-file = %(src)s/config/self-assessment-evidence.txt\n"
            % {"tmp": self.tmp, "src": SOURCE_DIR, "web": web_port, "http": http_port}
        )

    def _start_daemon(self):
        for attempt in range(4):
            if attempt:  # a port taken between choosing and binding: choose again
                self._write_config(web_port=free_port(), http_port=free_port())
            log = open(self.log_path, "ab")
            try:
                self.process = _spawn(subprocess.Popen, [str(COMPLAINTSD), "--config", str(self.config)],
                                      stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
            finally:
                log.close()
            deadline = time.time() + 60
            while time.time() < deadline:
                if self.process.poll() is not None:
                    break
                try:
                    status, _, body = self.request("GET", "/healthz", timeout=2)
                    if status == 200 and body.strip() == b"ok":
                        return
                except OSError:
                    pass
                time.sleep(0.1)
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
                raise SetupError("complaintsd did not answer /healthz in 60 s:\n" + self.log())
            if "address" not in self.log().lower():
                break
        raise SetupError("complaintsd exited (%s):\n%s" % (self.process.returncode, self.log()))

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.listener:
            self.listener.stop()
        if os.environ.get("COMPLAINTSD_BROWSER_KEEP") == "1":
            print("kept %s" % self.tmp, file=sys.stderr)
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def log(self):
        try:
            return self.log_path.read_text(errors="replace")[-6000:]
        except OSError:
            return ""

    # --- the command line and plain HTTP --------------------------------------------------------

    def ctl(self, *args, stdin=None):
        run = _spawn(subprocess.run, [str(COMPLAINTSCTL), "--config", str(self.config), *args],
                     input=stdin, capture_output=True, text=True, timeout=120)
        if run.returncode != 0:
            raise SetupError("complaintsctl %s failed (%d): %s%s" % (" ".join(args), run.returncode,
                                                                     run.stdout, run.stderr))
        return run.stdout

    def url(self, path="/"):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def request(self, method, path, body=None, cookies=None, timeout=10):
        """(status, headers as a lower-case dict of lists, body bytes) of one plain request."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        headers = {}
        if cookies:
            headers["Cookie"] = "; ".join("%s=%s" % kv for kv in cookies.items())
        if body is not None:
            body = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            r = conn.getresponse()
            got = {}
            for k, v in r.getheaders():
                got.setdefault(k.lower(), []).append(v)
            return r.status, got, r.read()
        finally:
            conn.close()

    def http_login(self, user):
        """Signs `user` in without a browser; returns the cookies of the session."""
        status, headers, body = self.request("GET", "/login")
        cookies = dict(c.split(";")[0].split("=", 1) for c in headers.get("set-cookie", []))
        csrf = re.search(rb'name="csrf" value="([^"]+)"', body).group(1).decode()
        status, headers, _ = self.request(
            "POST", "/login", {"username": user, "password": STAFF[user][2], "csrf": csrf}, cookies
        )
        if status != 303:
            raise SetupError("signing %s in over HTTP answered %d" % (user, status))
        for c in headers.get("set-cookie", []):
            name, value = c.split(";")[0].split("=", 1)
            cookies[name] = value
        return {"complaints_session": cookies["complaints_session"]}

    # --- the browser ---------------------------------------------------------------------------

    def new_driver(self, performance_log=False):
        chromium, chromedriver = browser_tools()
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        profile = tempfile.mkdtemp(prefix="chrome-", dir=self.tmp)
        for arg in [
            "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
            "--window-size=%d,%d" % WINDOW, "--user-data-dir=" + profile, "--no-first-run",
            "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-default-apps",
            "--hide-scrollbars", "--force-device-scale-factor=1", "--lang=en-GB",
        ]:
            options.add_argument(arg)
        if performance_log:
            options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
            options.add_experimental_option("perfLoggingPrefs", {"enableNetwork": True, "enablePage": False})
        service = Service(chromedriver, log_output=subprocess.DEVNULL) if _service_takes_log_output() \
            else Service(chromedriver)
        driver = webdriver.Chrome(service=service, options=options)
        driver.set_page_load_timeout(60)
        driver.set_script_timeout(60)
        # The viewport itself 1280x900, whatever the window's frame takes.
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": WINDOW[0], "height": WINDOW[1], "deviceScaleFactor": 1, "mobile": False})
        return driver

    def sign_in(self, driver, user):
        from selenium.webdriver.common.by import By

        driver.get(self.url("/login"))
        driver.find_element(By.ID, "username").send_keys(user)
        driver.find_element(By.ID, "password").send_keys(STAFF[user][2])
        submit_and_wait(driver, driver.find_element(By.ID, "sign-in"))
        wait_for(lambda: urllib.parse.urlparse(driver.current_url).path == "/",
                 "signing in as %s to land on the home page (at %s)" % (user, driver.current_url))


def submit_and_wait(driver, button):
    """Clicks `button` and waits for the page it was on to be replaced by the answer."""
    from selenium.webdriver.common.by import By

    page = driver.find_element(By.TAG_NAME, "html")
    label = button.text or button.get_attribute("id")
    button.click()

    def replaced():
        try:
            page.tag_name
            return False
        except Exception:  # StaleElementReferenceException: a new document
            return True

    wait_for(replaced, "the page to be replaced after clicking %r" % label)


def _ready(binary, wait=90):
    """Waits for `binary` to be there, executable and no longer being written (someone may be
    rebuilding the tree), or raises SetupError."""
    deadline = time.time() + wait
    last = None
    while time.time() < deadline:
        try:
            st = os.stat(binary)
            now = (st.st_size, st.st_mtime_ns)
            settled = now == last or time.time() - st.st_mtime > 2
            if os.access(binary, os.X_OK) and settled:
                return
            last = now
        except OSError:
            last = None
        time.sleep(0.5)
    raise SetupError("%s is missing or not executable: build the programs (cmake --build build --target "
                     "programs) or set COMPLAINTSD_BINARY_DIR / COMPLAINTSD / COMPLAINTSCTL" % binary)


def _spawn(how, argv, **kwargs):
    """subprocess.run or Popen, retried while the program is being replaced by a rebuild."""
    for attempt in range(30):
        _ready(argv[0])
        try:
            return how(argv, **kwargs)
        except OSError as e:  # ETXTBSY, EACCES or ENOENT from a binary replaced just now
            if attempt == 29:
                raise SetupError("cannot run %s: %s" % (argv[0], e))
            time.sleep(2)


def _service_takes_log_output():
    import inspect
    from selenium.webdriver.chrome.service import Service

    return "log_output" in inspect.signature(Service.__init__).parameters


def wait_for(condition, what, timeout=15):
    """Polls `condition` until it is true; an element gone with the page it was on (the browser
    moving on meanwhile) counts as not yet."""
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException

    deadline = time.time() + timeout
    while True:
        try:
            value = condition()
        except (StaleElementReferenceException, NoSuchElementException):
            value = None
        if value:
            return value
        if time.time() > deadline:
            raise AssertionError("timed out waiting for " + what)
        time.sleep(0.05)


def axe_source():
    return AXE_JS.read_text(encoding="utf-8")


def run_axe(driver, source):
    """axe-core's violations on the page the driver shows, as a list of dicts."""
    driver.execute_script(source)
    result = driver.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']})"
        "  .then(function (r) { done(JSON.stringify(r.violations)); })"
        "  .catch(function (e) { done(JSON.stringify({error: String(e)})); });"
    )
    result = json.loads(result)
    if isinstance(result, dict):
        raise AssertionError("axe.run failed on %s: %s" % (driver.current_url, result["error"]))
    return result
