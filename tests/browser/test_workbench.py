#!/usr/bin/env python3
"""Browser tests of the workbench (complaintsd's staff web app) in headless Chromium.

One complaintsd runs for the whole file, on 127.0.0.1 on free ports in a temporary folder, on the
demo's sample mail plus the tests' own (workbench.py, mail_samples.py). The tests:
  MainFlowTest       sign in, the queue, a complaint through ack, assign, define, respond and
                     escalate, a triage item relabelled, a phone complaint logged, sign out
  HostileMailTest    mail with script, event handlers, javascript: links, CSS tricks, tracking
                     pixels, a 1 MB line and right-to-left overrides: nothing runs, nothing loads,
                     nothing is injected, the layout holds, bidi controls show as [U+202E]
  AccessibilityTest  axe-core on every page: no serious or critical violation
  KeyboardTest       sign in, reach a case from the queue and acknowledge it by keyboard alone
  DeadlineTagsTest   a deadline's "Due DATE" tag names the deadline's own day
  ReportsTest        the annual report opens from the Reports page with its charts drawn, the PDF
                     and CSV download, the monthly view; a service area confirmed and a learning
                     action added on a case page reach the report

Run:  python3 tests/browser/test_workbench.py [-v] [TestClass[.test_name]]
      (ctest -R browser does the same with the build tree's programs; see workbench.py for the
      environment variables). Missing Chromium, chromedriver or selenium is a failure, not a skip.
"""

import os
import sys

sys.dont_write_bytecode = True  # nothing written into the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import workbench  # noqa: E402  (imports no selenium itself)

if __name__ == "__main__":
    workbench.reexec_with_selenium(__file__)


import datetime  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import time  # noqa: E402
import unittest  # noqa: E402
import urllib.parse  # noqa: E402

from workbench import submit_and_wait, wait_for  # noqa: E402

WB = None  # the running workbench, for every test in this file


def setUpModule():
    global WB
    workbench.browser_tools()  # fails (not skips) when the browser or selenium is missing
    WB = workbench.Workbench()
    try:
        WB.start()
    except BaseException:
        WB.stop()
        raise


def tearDownModule():
    if WB:
        WB.stop()


BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


class BrowserTest(unittest.TestCase):
    maxDiff = None
    user = None  # signed in before each test, when set

    def setUp(self):
        from selenium.webdriver.common.by import By

        self.By = By
        self.driver = WB.new_driver()
        self.addCleanup(self.driver.quit)
        if self.user:
            WB.sign_in(self.driver, self.user)

    def tearDown(self):
        # On a failure, say where the browser was and what it showed.
        result = getattr(self._outcome, "result", None)
        problems = getattr(result, "failures", []) + getattr(result, "errors", [])
        if any(test is self for test, _ in problems) or any(
            getattr(test, "test_case", None) is self for test, _ in problems
        ):
            try:
                text = self.driver.find_element(self.By.TAG_NAME, "body").text
                sys.stderr.write("\n--- %s: the browser was at %s showing:\n%s\n--- daemon log:\n%s\n" % (
                    self.id(), self.driver.current_url, text[:3000], WB.log()[-2000:]))
            except Exception as e:  # the browser itself may be the problem
                sys.stderr.write("\n--- %s: no page to show (%s)\n" % (self.id(), e))

    # --- helpers --------------------------------------------------------------------------------

    def path(self):
        return urllib.parse.urlparse(self.driver.current_url).path

    def get(self, path):
        self.driver.get(WB.url(path))

    def main_text(self):
        return self.driver.find_element(self.By.ID, "main").text

    def queue_rows(self, path="/cases"):
        """{reference: {column header: cell text}} of the case table on `path`."""
        self.get(path)
        return json.loads(self.driver.execute_script(
            """
            const out = {};
            for (const table of document.querySelectorAll('main table')) {
              const heads = [...table.querySelectorAll('thead th')].map(th => th.innerText.trim());
              for (const tr of table.querySelectorAll('tbody tr')) {
                const cells = [...tr.querySelectorAll('td')];
                const link = tr.querySelector('td a[href^="/cases/"]');
                if (!link) continue;
                const row = {};
                cells.forEach((td, i) => { row[heads[i]] = td.innerText.trim(); });
                out[link.innerText.trim()] = row;
              }
            }
            return JSON.stringify(out);
            """))

    def timeline(self):
        """[(who, text)] of the case page's timeline entries, in order."""
        return [tuple(x) for x in self.driver.execute_script(
            "return [...document.querySelectorAll('ol.app-timeline > li')].map(li => "
            "[(li.querySelector('strong') || {innerText: ''}).innerText.trim(), li.innerText]);")]

    def summary(self):
        """{key: value} of the case page's summary list."""
        return self.driver.execute_script(
            "const o = {}; for (const r of document.querySelectorAll('.govuk-summary-list__row')) "
            "o[r.querySelector('dt').innerText.trim()] = r.querySelector('dd').innerText.trim(); return o;")

    def assert_history(self, who, action, contains=()):
        """The timeline has `action` by the staff member `who` (shown by username, full name, or
        "Full Name (username)" as the case page does)."""
        full = workbench.STAFF[who][0]
        names = (who, full, "%s (%s)" % (full, who))
        entries = [text for actor, text in self.timeline() if actor in names and (": %s" % action) in text]
        self.assertTrue(entries, "no '%s' by %s in the case's timeline: %s" % (action, who, self.timeline()))
        for part in contains:
            self.assertTrue(any(part.lower() in e.lower() for e in entries),
                            "the %s entry by %s does not mention %r: %s" % (action, who, part, entries))

    def act(self, ref, verb, text=None, select=None, check=()):
        """Runs `verb` through its form on the case page, as a person would; returns the page's
        notice. Fails with the page's error when the action is refused."""
        from selenium.webdriver.support.ui import Select

        d, By = self.driver, self.By
        if self.path() != "/cases/" + ref:
            self.get("/cases/" + ref)
        form = d.find_element(By.CSS_SELECTOR, 'form[action="/cases/%s/%s"]' % (ref, verb))
        details = form.find_element(By.XPATH, "./ancestor::details")
        if not details.get_attribute("open"):
            details.find_element(By.TAG_NAME, "summary").click()
        for field, value in (text or {}).items():
            el = d.find_element(By.ID, "%s-%s" % (verb, field))
            el.clear()
            el.send_keys(value)
        for field, value in (select or {}).items():
            Select(d.find_element(By.ID, "%s-%s" % (verb, field))).select_by_value(value)
        for field in check:
            box = d.find_element(By.ID, "%s-%s" % (verb, field))
            if not box.is_selected():
                d.find_element(By.CSS_SELECTOR, 'label[for="%s-%s"]' % (verb, field)).click()
            self.assertTrue(box.is_selected(), "%s-%s did not tick" % (verb, field))
        submit_and_wait(d, d.find_element(By.ID, "%s-submit" % verb))
        errors = d.find_elements(By.CSS_SELECTOR, ".govuk-error-summary")
        self.assertFalse(errors, "%s on %s was refused: %s" % (verb, ref, errors[0].text if errors else ""))
        self.assertEqual(self.path(), "/cases/" + ref)
        self.assertIn("done=" + verb, d.current_url)
        notice = d.find_element(By.CSS_SELECTOR, ".govuk-notification-banner").text
        self.assertIn("Recorded: %s." % verb, notice)
        return notice


class MainFlowTest(BrowserTest):
    """The day's work of an officer, through the forms, as the issue lists it."""

    user = None  # signs in inside the test

    def test_main_flow(self):
        d, By = self.driver, self.By
        # Signing in lands on the home page with the person's name and role.
        WB.sign_in(d, "alice")
        self.assertIn("Good day, Alice Officer", self.main_text())
        self.assertIn("Alice Officer (officer)", d.find_element(By.CSS_SELECTOR, ".app-header__user").text)
        for section in ("breached", "due-today", "due-next", "triage", "flagged"):
            self.assertTrue(d.find_elements(By.ID, section), "the home page has no #%s" % section)

        # The queue has the demo's cases, and not the phishing message held as spam.
        rows = self.queue_rows("/cases")
        y = WB.year
        for n, resident, kind in [
            (1, "Margaret Hughes", "complaint"),
            (2, "Daniel O", "complaint"),
            (3, "Priya Shah", "comment"),
            (4, "Tom Barker", "compliment"),
            (5, "Aisha Begum", "service request"),
            (6, "Gary Wilson", "asb"),
            (8, "Lee Carter", "complaint"),
        ]:
            ref = "WW-%s-%05d" % (y, n)
            self.assertIn(ref, rows, "the demo's case %s is not in the queue: %s" % (ref, sorted(rows)))
            self.assertIn(resident, rows[ref]["Resident"])
            self.assertTrue(rows[ref]["Type and stage"].startswith(kind), rows[ref])
        self.assertNotIn("Helpdesk", self.main_text(), "the phishing message opened a case")
        self.assertRegex(self.main_text(), r"\b%d case\(s\)" % len(rows))

        # A complaint waiting for its acknowledgement: the demo's posted letter (not a triage
        # item, not the keyboard test's case).
        rows = self.queue_rows("/cases?type=complaint")
        waiting = [ref for ref, row in rows.items()
                   if "acknowledge by" in row["Next deadline"] and "Triage" not in row["Flags"]
                   and ref != WB.keyboard_case]
        self.assertTrue(waiting, "no complaint in the demo waits for its acknowledgement: %s" % rows)
        ref = waiting[0]
        self.get("/cases/" + ref)
        self.assertEqual(d.find_element(By.TAG_NAME, "h1").text, ref)
        self.assertTrue(d.find_element(By.CSS_SELECTOR, ".govuk-caption-l").text.startswith("complaint by"))

        # Acknowledge.
        self.act(ref, "ack")
        ack_row = d.find_element(By.XPATH, "//table[caption[normalize-space()='Deadlines']]"
                                           "//tr[td[2][normalize-space()='acknowledge']]")
        self.assertTrue(ack_row.find_elements(By.TAG_NAME, "td")[3].text.startswith("Met "), ack_row.text)
        self.assert_history("alice", "acknowledged")

        # Assign (an officer takes an unassigned case).
        self.act(ref, "assign")
        self.assertIn(self.summary()["Handler"], ("alice", "Alice Officer"))
        self.assert_history("alice", "assigned", ["alice"])

        # A second officer opening the case sees alice has it open, and she sees him; he may not
        # take it from her (only a manager reassigns).
        bob = WB.http_login("bob")
        status, _, page = WB.request("GET", "/cases/" + ref, cookies=bob)
        self.assertEqual(status, 200)
        self.assertRegex(page.decode(), r'id="presence">Also open now by (alice|Alice Officer)\b')
        d.refresh()
        self.assertRegex(d.find_element(By.ID, "presence").text, r"^Also open now by (bob|Bob Officer)\b")
        csrf = re.search(rb'name="csrf" value="([^"]+)"', page).group(1).decode()
        status, _, refused = WB.request("POST", "/cases/%s/assign" % ref,
                                        {"csrf": csrf, "handler": "bob"}, cookies=bob)
        self.assertEqual(status, 403, refused[:500])
        self.assertIn(b"Only a manager can do that", refused)

        # Define.
        self.act(ref, "define", text={
            "definition": "The heating and hot water failed four times and repairs did not come.",
            "outcome-sought": "A working boiler and help with the cost of heaters.",
        })
        s = self.summary()
        self.assertEqual(s.get("Complaint definition"),
                         "The heating and hot water failed four times and repairs did not come.")
        self.assertEqual(s.get("Outcome sought"), "A working boiler and help with the cost of heaters.")
        self.assert_history("alice", "defined")

        # Respond with an outcome and a remedy.
        by = (datetime.date.today() + datetime.timedelta(days=21)).isoformat()
        self.act(ref, "respond", select={"outcome": "partly_upheld"}, check=["apology"], text={
            "financial": "150.00:distress and inconvenience",
            "action": "Replace the boiler@" + by,
            "summary": "The repairs were late; we apologise and will replace the boiler.",
        })
        self.assertTrue(self.summary()["Status"].startswith("responded"), self.summary())
        promised = d.find_element(By.XPATH, "//h2[normalize-space()='Actions promised']/following-sibling::ul[1]")
        self.assertIn("Replace the boiler", promised.text)
        self.assertIn("outstanding", promised.text)
        self.assert_history("alice", "responded", ["partly_upheld", "apology", "£150.00 for distress and inconvenience"])

        # Escalate to the next stage.
        self.act(ref, "escalate")
        self.assertIn("Stage two", self.summary()["Status"])
        self.assert_history("alice", "escalated")
        rows = self.queue_rows("/cases?q=" + ref)
        self.assertIn("Stage two", rows[ref]["Type and stage"])

        # Relabel a triage item: the tests deliver messages the classifier cannot settle.
        rows = self.queue_rows("/triage")
        self.assertTrue(rows, "nothing on /triage: the triage messages of mail_samples.py were settled by "
                              "the classifier (complaintsd --once said:\n%s)" % WB.once_output)
        ref, row = sorted(rows.items())[0]
        alternative = re.search(r"Triage: complaint or (.+)\?", row["Flags"])
        self.assertTrue(alternative, row)
        label = {"comment": "comment", "compliment": "compliment", "service request": "service_request",
                 "asb": "asb"}[alternative.group(1)]
        self.get("/cases/" + ref)
        self.assertIn("Confirm or correct the label", self.main_text())
        self.act(ref, "relabel", select={"label": label}, text={"reason": "Read it: not a complaint"})
        self.assertTrue(d.find_element(By.CSS_SELECTOR, ".govuk-caption-l").text.startswith(
            label.replace("_", " ") + " by"))
        self.assertNotIn("Triage:", self.main_text())
        self.assert_history("alice", "relabelled")
        self.assertNotIn(ref, self.queue_rows("/triage"), "the relabelled case is still on /triage")

        # Log a phone complaint and find it in the queue.
        from selenium.webdriver.support.ui import Select

        self.get("/new")
        Select(d.find_element(By.ID, "type")).select_by_value("complaint")
        Select(d.find_element(By.ID, "channel")).select_by_value("phone")
        name = "Phoebe Phonecall %d" % (time.time() * 1000 % 100000)
        d.find_element(By.ID, "name").send_keys(name)
        d.find_element(By.ID, "phone").send_keys("01632 960123")
        d.find_element(By.ID, "address").send_keys("7 Larch Row, AB1 2CD")
        d.find_element(By.ID, "summary").send_keys("Rang to complain that the lift has been broken for a week.")
        submit_and_wait(d, d.find_element(By.ID, "log-case"))
        self.assertIn("done=opened", d.current_url, self.main_text()[:500])
        new_ref = d.find_element(By.TAG_NAME, "h1").text
        self.assertRegex(new_ref, r"^WW-\d{4}-\d{5}$")
        self.assertEqual(d.find_element(By.CSS_SELECTOR, ".govuk-caption-l").text, "complaint by phone")
        self.assertIn(name, self.summary()["Resident"])
        rows = self.queue_rows("/cases")
        self.assertIn(new_ref, rows, "the logged phone complaint is not in the queue")
        self.assertEqual(rows[new_ref]["Resident"], name)

        # Sign out with the header's button; the session is over on the server, not only here.
        session = d.get_cookie("complaints_session")["value"]
        csrf = d.find_element(By.CSS_SELECTOR, 'form[action="/logout"] input[name="csrf"]').get_attribute("value")
        submit_and_wait(d, d.find_element(By.XPATH, "//form[@action='/logout']//button[normalize-space()='Sign out']"))
        wait_for(lambda: self.path() == "/login", "signing out to land on /login")
        self.assertIsNone(d.get_cookie("complaints_session"))
        self.get("/cases")
        self.assertEqual(self.path(), "/login", "a protected page was shown after signing out")
        self.assertTrue(d.find_elements(By.ID, "sign-in"))
        status, headers, _ = WB.request("GET", "/cases", cookies={"complaints_session": session})
        self.assertEqual((status, headers.get("location")), (303, ["/login"]),
                         "the ended session still opens the queue")
        status, _, body = WB.request("POST", "/cases/%s/note" % new_ref, {"csrf": csrf, "text": "after sign-out"},
                                     cookies={"complaints_session": session})
        self.assertEqual(status, 403)
        self.assertIn(b"Sign in first", body)


class DeadlineTagsTest(BrowserTest):
    """A deadline's tag names the day it falls due."""

    user = "mina"

    def test_due_tags_name_the_deadline_day(self):
        # A deadline is close of business (17:00) on its day; the tag must say that day, not the
        # next working day (the day a message received at 17:00 would count as received).
        wrong = []
        for ref, row in self.queue_rows("/cases").items():
            m = re.match(r"Due (\d{4}-\d{2}-\d{2}) \S+ by (\d{4}-\d{2}-\d{2})T", row["Next deadline"].replace("\n", " "))
            if m and m.group(1) != m.group(2):
                wrong.append("%s: %r" % (ref, row["Next deadline"].replace("\n", " ")))
        case = "WW-%s-00001" % WB.year
        self.get("/cases/" + case)
        for tr in self.driver.find_elements(self.By.XPATH, "//table[caption[normalize-space()='Deadlines']]//tbody/tr"):
            cells = [td.text for td in tr.find_elements(self.By.TAG_NAME, "td")]
            m = re.match(r"Due (\d{4}-\d{2}-\d{2})\b", cells[3])
            if m and m.group(1) != cells[2][:10]:
                wrong.append("%s deadlines table: due %s, tag %r" % (case, cells[2], cells[3].replace("\n", " ")))
        self.assertFalse(wrong, "deadline tags name another day than the deadline's:\n  " + "\n  ".join(wrong))


class HostileMailTest(BrowserTest):
    """Residents' mail is shown as text: nothing in it runs, loads or changes the page."""


    # What no page of the workbench may contain, beyond its own two stylesheets.
    INJECTED = """
      const listener = arguments[0];
      const out = [];
      const say = (what, el) => out.push(what + ': ' + el.outerHTML.slice(0, 200));
      document.querySelectorAll('script, iframe, frame, object, embed, img, svg, video, audio, '
          + 'picture, source, base, style, meta[http-equiv], input[type=image]')
        .forEach(el => say('element', el));
      document.querySelectorAll('link').forEach(el => {
        const href = el.getAttribute('href');
        if (el.rel !== 'stylesheet' || !['/assets/govuk-frontend.min.css', '/assets/complaints.css'].includes(href))
          say('link', el);
      });
      document.querySelectorAll('*').forEach(el => {
        for (const a of el.attributes) {
          if (/^on/i.test(a.name)) say('event handler ' + a.name, el);
          if (a.name === 'style') say('style attribute', el);
          if (/javascript:/i.test(a.value)) say('javascript: in ' + a.name, el);
          if (a.value.includes(listener)) say('the listener in ' + a.name, el);
        }
        if (getComputedStyle(el).position === 'fixed') say('position: fixed', el);
      });
      document.querySelectorAll('a[href]').forEach(a => {
        const u = new URL(a.href, location.href);
        if (u.host !== location.host) say('link off the workbench', a);
      });
      document.querySelectorAll('form').forEach(f => {
        const u = new URL(f.getAttribute('action') || '', location.href);
        if (u.host !== location.host) say('form off the workbench', f);
      });
      return out;
    """

    def check_page(self, what):
        """Every page: no script ran, nothing was injected, the layout holds."""
        from selenium.common.exceptions import NoAlertPresentException

        d = self.driver
        try:
            alert = d.switch_to.alert
            self.fail("%s: an alert is open: %r" % (what, alert.text))
        except NoAlertPresentException:
            pass
        state = d.execute_script(
            "return {pwned: typeof window.__pwned === 'undefined' ? null : String(window.__pwned),"
            " title: document.title, scripts: document.scripts.length,"
            " scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,"
            " bodyWidth: document.body.scrollWidth};")
        self.assertIsNone(state["pwned"], "%s: hostile script ran (window.__pwned=%s)" % (what, state["pwned"]))
        self.assertNotIn("PWNED", state["title"], what)
        self.assertTrue(state["title"].endswith(" - Complaints workbench"), "%s: title %r" % (what, state["title"]))
        self.assertEqual(state["scripts"], 0, "%s: the page has script elements" % what)
        injected = d.execute_script(self.INJECTED, WB.listener.address)
        self.assertEqual(injected, [], "%s: hostile markup became page content" % what)
        if state["scrollWidth"] > state["innerWidth"] + 2:
            wide = d.execute_script(
                "const out = [], w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT); let n;"
                "while ((n = w.nextNode()) && out.length < 5) { const r = document.createRange();"
                "  r.selectNodeContents(n); if (r.getBoundingClientRect().right > innerWidth + 2)"
                "    out.push(n.parentElement.tagName.toLowerCase() + '.' + n.parentElement.className + ': '"
                "             + n.textContent.trim().slice(0, 60)); } return out;")
            self.fail("%s: the page is %dpx wide in a %dpx window (scrolls sideways); text past the edge: %s"
                      % (what, state["scrollWidth"], state["innerWidth"], wide))
        text = d.find_element(self.By.TAG_NAME, "body").text
        self.assertIsNone(BIDI_CONTROLS.search(text + state["title"]),
                          "%s: a raw bidi control character reached the page" % what)
        return text

    def hostile_case(self, address):
        rows = self.queue_rows("/search?q=" + urllib.parse.quote(address))
        self.check_page("search for " + address)
        self.assertEqual(len(rows), 1, "searching %s found %s" % (address, rows))
        return next(iter(rows))

    def message_text(self, marker):
        """The text of the message on the case page that contains `marker` (it must be visible)."""
        for el in self.driver.find_elements(self.By.CSS_SELECTOR, ".app-message"):
            if marker in el.text:
                self.assertTrue(el.is_displayed())
                return el.text
        self.fail("no message on %s shows %r" % (self.driver.current_url, marker))

    @classmethod
    def setUpClass(cls):
        # One browser for the class: its performance log covers every page the tests open.
        cls.shared_driver = WB.new_driver(performance_log=True)
        WB.sign_in(cls.shared_driver, "mina")

    @classmethod
    def tearDownClass(cls):
        cls.shared_driver.quit()

    def setUp(self):
        from selenium.webdriver.common.by import By

        self.By = By
        self.driver = self.shared_driver

    def assert_nothing_left_the_browser(self):
        """No request reached the listener, and the browser asked nothing of any host but the
        workbench (Chrome's performance log: every Network.requestWillBeSent)."""
        time.sleep(0.3)
        self.assertEqual(WB.listener.requests, [], "pages loaded from the hostile mail's listener")
        elsewhere = []
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message.get("method") != "Network.requestWillBeSent":
                continue
            url = message["params"]["request"]["url"]
            parsed = urllib.parse.urlparse(url)
            if parsed.scheme in ("data", "about", "blob", "chrome", "chrome-untrusted", "devtools"):
                continue  # not a request to any host (the new-tab page, data: URLs in the CSS)
            if parsed.scheme in ("http", "https") and parsed.netloc == "127.0.0.1:%d" % WB.port:
                continue
            elsewhere.append(url[:200])
        self.assertEqual(elsewhere, [], "requests left the browser for another host than the workbench")

    def test_lists_show_hostile_names_as_text(self):
        self.get("/")
        home = self.check_page("home")
        self.assertIn("Good day, Mina Manager", home)
        self.get("/cases")
        queue = self.check_page("queue")
        self.assertIn("Eve [U+202E]nialP[U+202C] <img src=x onerror=alert(1)>", queue)
        self.assertIn("Eve [U+202E]lmtH[U+202C]", queue)
        for path in ("/triage", "/cases?q=eve", "/search?q=eve"):
            self.get(path)
            self.check_page(path)
        self.assert_nothing_left_the_browser()

    def test_text_plain_markup_is_shown_as_text(self):
        d, By, L = self.driver, self.By, WB.listener.address
        ref = self.hostile_case("eve.plain@example.org")
        self.get("/cases/" + ref)
        page = self.check_page(ref + " (text/plain)")
        body = self.message_text("PLAIN-MARKER")
        for shown in [
            "PLAIN-MARKER [U+202E]evil text[U+202C] end",
            "<script>document.title='PWNED-script';window.__pwned='script';fetch('http://%s/fetch-script')</script>" % L,
            "<img src=x onerror=\"window.__pwned='onerror'",
            "<body onload=",
            "<a href=\"javascript:window.__pwned='jslink'",
            "<style>@import url(http://%s/import.css);" % L,
            "<img src=\"http://%s/pixel.gif\"" % L,
            "<iframe src=\"http://%s/frame.html\"></iframe>" % L,
            "HOSTILE OVERLAY</div>",
        ]:
            self.assertIn(shown, body, "the text/plain message does not show %r as text" % shown)
        self.assertIn("Subject: Complaint about repairs [U+202E]fdp.exe <script>document.title='PWNED-subject'</script>",
                      page)
        self.assertIn("from Eve [U+202E]nialP[U+202C] <img src=x onerror=alert(1)> <eve.plain@example.org>", page)
        self.assertEqual(self.summary()["Resident"].splitlines()[0],
                         "Eve [U+202E]nialP[U+202C] <img src=x onerror=alert(1)>")
        # What looks like a link in the mail is not one.
        self.assertFalse(d.find_elements(By.XPATH, "//a[contains(., 'Click here to see my photos')]"))
        self.assert_nothing_left_the_browser()

    def test_text_html_is_turned_into_inert_text(self):
        d, By = self.driver, self.By
        ref = self.hostile_case("eve.html@example.org")
        self.get("/cases/" + ref)
        page = self.check_page(ref + " (text/html)")
        body = self.message_text("HTML-MARKER")
        self.assertIn("[U+202E]evil[U+202C] end", body)
        self.assertIn("Click here to see my photos", body)
        self.assertFalse(d.find_elements(By.XPATH, "//a[contains(., 'Click here to see my photos')]"))
        self.assertIn("HOSTILE OVERLAY", body)
        self.assertIn("Subject: Complaint (html) [U+202E]gnp.exe", page)
        self.assertIn("Eve [U+202E]lmtH[U+202C]", page)
        overlay = d.find_element(By.XPATH, "//div[contains(@class,'app-message')][contains(., 'HOSTILE OVERLAY')]")
        self.assertEqual(overlay.value_of_css_property("position"), "static")
        hit = d.execute_script("const e = document.elementFromPoint(innerWidth / 2, innerHeight / 2);"
                               "return e ? e.outerHTML.slice(0, 120) : '';")
        self.assertNotIn("HOSTILE OVERLAY", hit, "an overlay covers the page")
        self.assert_nothing_left_the_browser()

    def test_attachments_and_originals_are_downloads(self):
        d, By = self.driver, self.By
        ref = self.hostile_case("eve.alt@example.org")
        self.get("/cases/" + ref)
        self.check_page(ref + " (multipart)")
        body = self.message_text("ALT-PLAIN-MARKER")  # the plain alternative is the one shown
        self.assertIn("<script>document.title='PWNED-script'", body)
        links = {a.text: a.get_attribute("href") for a in d.find_elements(By.CSS_SELECTOR, "main a.govuk-link")}
        self.assertIn("photos[U+202E]gpj.exe", links,
                      "the right-to-left attachment name is not shown neutralised: %s" % sorted(links))
        self.assertIn("evidence.html", links)
        self.assertIn("Original message (.eml)", links)
        cookies = {"complaints_session": d.get_cookie("complaints_session")["value"]}
        for name in ("evidence.html", "photos[U+202E]gpj.exe", "Original message (.eml)"):
            path = urllib.parse.urlparse(links[name]).path
            status, headers, _ = WB.request("GET", path, cookies=cookies)
            self.assertEqual(status, 200, path)
            self.assertEqual(headers["content-type"], ["application/octet-stream"], path)
            self.assertRegex(headers["content-disposition"][0], r'^attachment; filename="[A-Za-z0-9._-]+"$', path)
            self.assertEqual(headers["x-content-type-options"], ["nosniff"], path)
            self.assertIn("default-src 'none'", headers["content-security-policy"][0], path)
        self.assert_nothing_left_the_browser()

    def test_megabyte_line_keeps_the_layout(self):
        d = self.driver
        ref = self.hostile_case("eve.long@example.org")
        self.get("/cases/" + ref)
        page = self.check_page(ref + " (1 MB line)")
        body = self.message_text("LONG-MARKER")
        self.assertIn("LONGLINELONGLINE", body)
        self.assertIn("Shortened here; the original has it all.", page)
        box = d.execute_script(
            "const m = [...document.querySelectorAll('.app-message')].find(e => e.innerText.includes('LONG-MARKER'));"
            "return [m.getBoundingClientRect().right, m.scrollWidth, m.clientWidth, window.innerWidth];")
        self.assertLessEqual(box[0], box[3], "the message box runs off the page: %s" % (box,))
        self.assertLessEqual(box[1], box[2] + 1, "the long line scrolls sideways in its box: %s" % (box,))
        self.assert_nothing_left_the_browser()

    def test_long_word_in_subject_keeps_the_layout(self):
        # Fails while the timeline's entries do not wrap a long word (see the report).
        ref = self.hostile_case("eve.word@example.org")
        self.get("/cases/" + ref)
        self.message_text("WORD-MARKER")
        self.check_page(ref + " (300-letter word in the subject)")
        self.assert_nothing_left_the_browser()


class ReportsTest(BrowserTest):
    """Issue 19 as staff and a board member see it."""

    user = "mina"  # a manager

    def financial_year(self):
        today = datetime.date.today()
        return today.year - (1 if today.month < 4 else 0)

    def test_annual_report_charts_are_drawn_and_learning_reaches_it(self):
        d, By = self.driver, self.By
        # A case's service area confirmed and a learning action added, through the case page.
        ref = WB.keyboard_case
        self.act(ref, "area", select={"area": "estate_services"})
        self.assertIn("Estate services (confirmed by mina)", self.summary()["Service area"])
        self.act(ref, "learning", text={"what": "Lift faults reported to the contractor within the hour",
                                        "owner": "Estates manager"})
        learning = [v for k, v in self.summary().items() if k.startswith("Learning ")]
        self.assertTrue(any("within the hour" in v and "outstanding" in v for v in learning), learning)

        y = self.financial_year()
        self.get("/reports?year=%d" % y)
        link = d.find_element(By.ID, "annual-html")
        submit_and_wait(d, link)
        self.assertEqual(self.path(), "/reports/annual")
        self.assertIn("Complaints performance and service improvement report",
                      d.find_element(By.TAG_NAME, "h1").text)
        charts = d.find_elements(By.CSS_SELECTOR, "svg.report-chart")
        self.assertGreaterEqual(len(charts), 3, "the report has too few charts")
        for chart in charts:
            self.assertTrue(chart.is_displayed())
            size = chart.size
            self.assertGreater(size["width"], 200, "a chart is drawn too small: %s" % size)
            self.assertGreater(size["height"], 50, "a chart is drawn too small: %s" % size)
        # The bars are drawn: at least one has a height (the demo's complaints this year).
        drawn = d.execute_script(
            "return [...document.querySelectorAll('svg.report-chart rect')]"
            ".filter(r => r.getBoundingClientRect().width > 1 && r.getBoundingClientRect().height > 1).length;")
        self.assertGreater(drawn, 3)
        text = d.find_element(By.TAG_NAME, "main").text
        self.assertIn("Lift faults reported to the contractor within the hour", text)
        self.assertIn("This report and the self-assessment go to the board", text)  # the evidence file
        # Its inline stylesheet applied (allowed by hash): headings are not the browser's default.
        font = d.execute_script("return getComputedStyle(document.body).fontFamily;")
        self.assertNotIn("Times", font)
        axe = workbench.axe_source()
        blocking = [v for v in workbench.run_axe(d, axe) if v["impact"] in ("serious", "critical")]
        self.assertEqual(blocking, [], [(v["id"], v["help"]) for v in blocking])

        # The PDF and the CSV are downloads of the same report.
        cookies = {c["name"]: c["value"] for c in d.get_cookies()}
        import urllib.request
        for fmt, magic in (("pdf", b"%PDF-"), ("csv", b"section,measure,category,value")):
            req = urllib.request.Request(WB.url("/reports/annual?year=%d&format=%s" % (y, fmt)))
            req.add_header("Cookie", "; ".join("%s=%s" % kv for kv in cookies.items()))
            with urllib.request.urlopen(req, timeout=60) as reply:
                body = reply.read()
                self.assertTrue(body.startswith(magic), "%s: %r" % (fmt, body[:40]))
                self.assertIn("attachment", reply.headers.get("Content-Disposition", ""))

    def test_monthly_view(self):
        d, By = self.driver, self.By
        self.get("/reports")
        submit_and_wait(d, d.find_element(By.ID, "monthly-link"))
        self.assertTrue(d.find_element(By.TAG_NAME, "h1").text.startswith("Complaints in "))
        this_month = datetime.date.today().strftime("%Y-%m")
        self.get("/reports/monthly?month=" + this_month)
        figures = d.find_element(By.ID, "monthly-figures").text
        self.assertIn("Received", figures)
        self.assertRegex(figures, r"Received\s+\d+ at stage one")
        self.assertTrue(d.find_element(By.ID, "by-theme").is_displayed())
        self.get("/reports/monthly?month=13")
        self.assertIn("No such month", d.find_element(By.TAG_NAME, "h1").text)


class AccessibilityTest(BrowserTest):
    """axe-core on every kind of page the workbench serves: no serious or critical violation."""

    BLOCKING = ("serious", "critical")

    def setUp(self):
        super().setUp()
        self.axe = workbench.axe_source()
        self.found = []  # (page, violation) of every page, blocking or not

    def check(self, page):
        from selenium.webdriver.common.by import By

        self.assertTrue(self.driver.find_elements(By.TAG_NAME, "main"), "%s: not an HTML page" % page)
        for v in workbench.run_axe(self.driver, self.axe):
            self.found.append((page, v))

    @staticmethod
    def describe(page, v):
        lines = ["%s: %s (%s) %s" % (page, v["id"], v["impact"], v["help"]), "    " + v["helpUrl"]]
        for node in v["nodes"][:5]:
            lines.append("    at %s: %s" % (" ".join(map(str, node["target"])), node["html"][:160]))
            if node.get("failureSummary"):
                lines.append("      " + node["failureSummary"].replace("\n", "\n      ")[:400])
        if len(v["nodes"]) > 5:
            lines.append("    ... and %d more" % (len(v["nodes"]) - 5))
        return "\n".join(lines)

    def test_every_page_has_no_serious_violations(self):
        from selenium.webdriver.common.by import By

        d = self.driver
        y = WB.year
        # Signed out: the sign-in page, and after a failed sign-in (its error summary).
        self.get("/login")
        self.check("/login")
        d.find_element(By.ID, "username").send_keys("nobody-at-all")
        d.find_element(By.ID, "password").send_keys("not the password at all")
        submit_and_wait(d, d.find_element(By.ID, "sign-in"))
        self.assertTrue(d.find_elements(By.CSS_SELECTOR, ".govuk-error-summary"), "no error for a failed sign-in")
        self.check("/login (failed)")

        WB.sign_in(d, "adam")  # the admin sees every page
        case = "WW-%s-00001" % y  # the demo's boiler complaint with the resident's reply
        held = "WW-%s-00002" % y  # under a legal hold: its page carries the warning
        if "LEGAL HOLD" not in WB.ctl("cases", "show", held):
            WB.ctl("cases", "hold", held, "--reason", "Disrepair claim CL-4471")
        pages = [
            "/", "/cases", "/cases?type=complaint&status=open&flag=triage", "/triage",
            "/cases/" + case, "/cases/WW-%s-00002" % y, "/new", "/search", "/search?q=Hughes",
            "/reports", "/reports?year=2025", "/reports/monthly", "/staff",
            "/no-such-page", "/cases/WW-1999-99999",
        ]
        triage = list(self.queue_rows("/triage"))
        if triage:
            pages.append("/cases/" + triage[-1])  # a case page with the triage form
        for page in pages:
            self.get(page)
            self.check(page)
            if page == "/cases/" + held:
                warning = d.find_element(By.ID, "legal-hold")
                self.assertTrue(warning.is_displayed(), "the legal hold is not visible")
                self.assertIn("Disrepair claim CL-4471", warning.text)

        # After an action (its notice), and an action refused (its error summary).
        self.get("/cases/" + case)
        details = d.find_element(By.CSS_SELECTOR, 'form[action="/cases/%s/note"]' % case).find_element(
            By.XPATH, "./ancestor::details")
        details.find_element(By.TAG_NAME, "summary").click()
        d.find_element(By.ID, "note-text").send_keys("Checked the accessibility of this page.")
        submit_and_wait(d, d.find_element(By.ID, "note-submit"))
        self.assertIn("done=note", d.current_url)
        self.check("/cases/%s?done=note" % case)
        details = d.find_element(By.CSS_SELECTOR, 'form[action="/cases/%s/ack"]' % case).find_element(
            By.XPATH, "./ancestor::details")
        details.find_element(By.TAG_NAME, "summary").click()
        submit_and_wait(d, d.find_element(By.ID, "ack-submit"))  # already acknowledged: refused, with why
        self.assertTrue(d.find_elements(By.CSS_SELECTOR, ".govuk-error-summary"), "the repeated ack was not refused")
        self.check("/cases/%s/ack (refused)" % case)
        # The new-case form refused, and the staff page after adding an account.
        self.get("/new")
        submit_and_wait(d, d.find_element(By.ID, "log-case"))
        self.assertTrue(d.find_elements(By.CSS_SELECTOR, ".govuk-error-summary"), "an empty new case was not refused")
        self.check("/new (refused)")
        self.get("/staff")
        d.find_element(By.ID, "new-username").send_keys("carol")
        d.find_element(By.ID, "new-name").send_keys("Carol Checker")
        d.find_element(By.ID, "new-password").send_keys("carol-password-12345")
        submit_and_wait(d, d.find_element(By.XPATH, "//button[normalize-space()='Add the account']"))
        self.assertIn("Added carol.", self.main_text())
        self.check("/staff/add (added)")
        # A form that did not come from the workbench (a stale or forged CSRF token).
        self.get("/cases/" + case)
        d.execute_script("document.querySelector('form[action$=\"/note\"] input[name=csrf]').value = 'forged';"
                         "document.querySelector('form[action$=\"/note\"]').closest('details').open = true;")
        d.find_element(By.ID, "note-text").send_keys("forged")
        submit_and_wait(d, d.find_element(By.ID, "note-submit"))
        self.assertIn("expired", d.find_element(By.TAG_NAME, "h1").text)
        self.check("POST /cases/%s/note (form expired, 403)" % case)

        # An officer on the admin's page: 403.
        submit_and_wait(d, d.find_element(By.XPATH, "//form[@action='/logout']//button"))
        self.assertEqual(self.path(), "/login")
        WB.sign_in(d, "alice")
        self.get("/staff")
        self.assertIn("Only an admin can do that", self.main_text())
        self.check("/staff as an officer (403)")

        report = "\n".join(self.describe(p, v) for p, v in self.found)
        if report:
            sys.stderr.write("\naxe-core found:\n%s\n" % report)
        blocking = [(p, v) for p, v in self.found if v["impact"] in self.BLOCKING]
        self.assertEqual(blocking, [], "serious or critical accessibility violations:\n" +
                         "\n".join(self.describe(p, v) for p, v in blocking))


class KeyboardTest(BrowserTest):
    """Signing in, reaching a case from the queue and acknowledging it with the keyboard alone."""

    def keys(self, *keys):
        from selenium.webdriver.common.action_chains import ActionChains

        ActionChains(self.driver).send_keys(*keys).perform()

    def focused(self):
        return self.driver.execute_script(
            "const e = document.activeElement; return e ? {tag: e.tagName.toLowerCase(), id: e.id,"
            " text: (e.innerText || '').trim(), cls: e.className, inMain: !!e.closest('main'),"
            " href: e.getAttribute('href') || ''} : {};")

    def tab_to(self, want, what, limit=200):
        """Presses Tab until `want(focused)` holds; returns the focused element's description."""
        from selenium.webdriver.common.keys import Keys

        seen = []
        for _ in range(limit):
            self.keys(Keys.TAB)
            f = self.focused()
            if want(f):
                return f
            seen.append(f.get("id") or f.get("text", "")[:30] or f.get("tag"))
        self.fail("Tab never reached %s on %s; focus went %s" % (what, self.driver.current_url, seen))

    def skip_to_main(self):
        """The first Tab reaches the skip link; Enter on it moves on to the main content."""
        from selenium.webdriver.common.keys import Keys

        self.keys(Keys.TAB)
        f = self.focused()
        self.assertEqual((f["tag"], f["text"], f["href"]), ("a", "Skip to main content", "#main"),
                         "the first Tab on %s did not reach the skip link" % self.driver.current_url)
        self.keys(Keys.ENTER)
        wait_for(lambda: self.driver.current_url.endswith("#main"), "the skip link to go to #main")

    def test_keyboard_only(self):
        from selenium.webdriver.common.keys import Keys

        d = self.driver
        user, (_, _, password) = "bob", workbench.STAFF["bob"]
        self.get("/login")
        self.skip_to_main()
        self.keys(Keys.TAB)
        f = self.focused()
        self.assertEqual(f["id"], "username", "after the skip link, Tab did not go to the first field: %s" % f)
        self.keys(user, Keys.TAB)
        self.assertEqual(self.focused()["id"], "password")
        self.keys(password, Keys.ENTER)
        wait_for(lambda: self.path() == "/", "signing in by keyboard")
        self.assertIn("Good day, Bob Officer", self.main_text())

        # To the queue through the menu.
        self.tab_to(lambda f: f["tag"] == "a" and f["text"] == "Queue", "the menu's Queue link")
        self.keys(Keys.ENTER)
        wait_for(lambda: self.path() == "/cases", "the queue")

        # From the queue to the case, past the menus and the filters with the skip link.
        ref = WB.keyboard_case
        self.skip_to_main()
        f = self.tab_to(lambda f: f["tag"] == "a" and f["text"] == ref, "the link to " + ref)
        self.assertTrue(f["inMain"])
        self.keys(Keys.ENTER)
        wait_for(lambda: self.path() == "/cases/" + ref, "the case page of " + ref)

        # Open the Acknowledge section, then its button.
        self.skip_to_main()
        self.tab_to(lambda f: f["tag"] == "summary" and f["text"] == "Acknowledge", "the Acknowledge section")
        self.keys(Keys.ENTER)
        wait_for(lambda: d.execute_script(
            "return document.querySelector('form[action$=\"/ack\"]').closest('details').open"),
            "the Acknowledge section to open")
        self.tab_to(lambda f: f["id"] == "ack-submit", "the acknowledge button", limit=20)
        self.keys(Keys.ENTER)
        wait_for(lambda: "done=ack" in d.current_url or d.find_elements(self.By.CSS_SELECTOR, ".govuk-error-summary"),
                 "the acknowledgement to be recorded")
        self.assertIn("done=ack", d.current_url, self.main_text()[:500])
        self.assertIn("Recorded: ack.", self.main_text())
        self.assert_history("bob", "acknowledged")


if __name__ == "__main__":
    unittest.main(verbosity=2)
