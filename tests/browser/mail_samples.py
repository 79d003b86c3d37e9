"""The mail the browser tests deliver: the demo's sample messages (as scripts/demo lays them out)
plus messages made here: hostile ones (script, event handlers, javascript: links, CSS tricks,
tracking pixels, a 1 MB line, right-to-left overrides) and ones the classifier cannot settle, so
that they wait on the triage list."""

import base64
import datetime
import email.utils
import os
import pathlib
import zoneinfo

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE
PDF = "\u202c"  # POP DIRECTIONAL FORMATTING

# What every hostile message complains about, so that intake opens a complaint case for it.
COMPLAINT_TEXT = (
    "I want to make a formal complaint. The repair to my boiler was booked three times and "
    "nobody came. I have had no heating for two weeks, I am very unhappy with the service and "
    "I want compensation."
)


def _maildir_name(i, label):
    return "%010d.browser.%s" % (i, label)


def deliver(maildir, name, raw):
    """Delivers one message the way an MTA does: written in tmp/, then renamed into new/."""
    tmp = pathlib.Path(maildir, "tmp", name)
    tmp.write_bytes(raw if isinstance(raw, bytes) else raw.encode("utf-8"))
    os.rename(tmp, pathlib.Path(maildir, "new", name))


def copy_demo_mail(source_dir, maildir):
    """Copies config/demo/mail/*.eml into maildir/new as scripts/demo does (this year's
    references, the scanned letter dated now). Returns how many."""
    # scripts/demo takes the year in Europe/London.
    year = datetime.datetime.now(zoneinfo.ZoneInfo("Europe/London")).strftime("%Y")
    now = email.utils.formatdate(localtime=False)
    files = sorted(pathlib.Path(source_dir, "config", "demo", "mail").glob("*.eml"))
    for i, f in enumerate(files, start=1):
        text = f.read_bytes().decode("utf-8", errors="surrogateescape")
        text = text.replace("WW-YEAR-", "WW-%s-" % year)
        lines = text.split("\n")
        lines = ["Date: " + now if ln.startswith("Date: DEMO-NOW") else ln for ln in lines]
        deliver(
            maildir,
            _maildir_name(i, "demo." + f.stem),
            "\n".join(lines).encode("utf-8", errors="surrogateescape"),
        )
    return len(files), year


def _encoded_word(text):
    return "=?UTF-8?B?%s?=" % base64.b64encode(text.encode("utf-8")).decode("ascii")


def _headers(from_name, from_addr, subject, message_id, content_type, extra=()):
    lines = [
        "From: %s <%s>" % (_encoded_word(from_name), from_addr),
        "To: Customer Services <customer.services@westway.example>",
        "Subject: %s" % _encoded_word(subject),
        "Date: %s" % email.utils.formatdate(localtime=False),
        "Message-ID: <%s@example.org>" % message_id,
        "MIME-Version: 1.0",
        "Content-Type: %s" % content_type,
    ]
    lines.extend(extra)
    return "\r\n".join(lines) + "\r\n\r\n"


def hostile_payload(listener):
    """Markup that would run script, load from `listener` or cover the page if it were rendered
    as HTML. Every marker the tests look for is in it."""
    L = "http://" + listener
    return (
        "<script>document.title='PWNED-script';window.__pwned='script';"
        "fetch('%s/fetch-script')</script>\n"
        "<img src=x onerror=\"window.__pwned='onerror';document.title='PWNED-img';"
        "fetch('%s/fetch-onerror')\">\n"
        "<body onload=\"window.__pwned='onload';fetch('%s/fetch-onload')\">\n"
        "<a href=\"javascript:window.__pwned='jslink';fetch('%s/fetch-jslink')\">"
        "Click here to see my photos</a>\n"
        "<style>@import url(%s/import.css); body{background:url(%s/background.png)} "
        ".hostile-overlay{position:fixed;top:0;left:0;width:100%%;height:100%%;z-index:99999;"
        "background:red}</style>\n"
        "<div class=\"hostile-overlay\" style=\"position:fixed;top:0;left:0;width:100%%;"
        "height:100%%;z-index:99999;background:red\">HOSTILE OVERLAY</div>\n"
        "<img src=\"%s/pixel.gif\" width=\"1\" height=\"1\" alt=\"\">\n"
        "<iframe src=\"%s/frame.html\"></iframe>\n"
        "<svg onload=\"window.__pwned='svg'\"><circle r=\"5\"/></svg>\n"
        "<meta http-equiv=\"refresh\" content=\"0;url=%s/refresh\">\n"
        "<link rel=\"stylesheet\" href=\"%s/link.css\">\n"
        "<object data=\"%s/object\"></object>\n"
        "<form action=\"%s/form\"><input name=\"password\"><button>Log in</button></form>\n"
        "<base href=\"%s/\">\n"
    ) % ((L,) * 13)


def hostile_messages(listener):
    """(label, raw bytes, what the tests expect) for each hostile message. `listener` is the
    HOST:PORT of the tests' HTTP listener that records any request."""
    payload = hostile_payload(listener)
    rlo_subject = "Complaint about repairs " + RLO + "fdp.exe <script>document.title='PWNED-subject'</script>"
    messages = []

    # 1. text/plain: the markup is text the resident typed; it must show as that text.
    body = (
        "Hello,\n\n" + COMPLAINT_TEXT + "\n\nPLAIN-MARKER " + RLO + "evil text" + PDF + " end\n\n"
        + payload + "\nRegards,\nEve Plain\n"
    )
    raw = _headers(
        "Eve " + RLO + "nialP" + PDF + " <img src=x onerror=alert(1)>",
        "eve.plain@example.org",
        rlo_subject,
        "hostile-plain-1",
        "text/plain; charset=UTF-8",
        ["Content-Transfer-Encoding: 8bit"],
    ) + body.replace("\n", "\r\n")
    messages.append(("hostile-plain", raw.encode("utf-8"), {"marker": "PLAIN-MARKER", "name": "Eve"}))

    # 2. text/html only: intake turns it into text; nothing of the markup may act.
    html = (
        "<html><head><style>body{background:url(http://%s/head-style.png)}</style>"
        "<script>window.__pwned='head-script'</script></head>"
        "<body onload=\"window.__pwned='body-onload'\"><p>Dear Westway,</p><p>%s</p>"
        "<p>HTML-MARKER %s&#x202E;evil&#x202C; end</p>%s<p>Eve Html</p></body></html>"
        % (listener, COMPLAINT_TEXT, RLO, payload)
    )
    raw = _headers(
        "Eve " + RLO + "lmtH" + PDF,
        "eve.html@example.org",
        "Complaint (html) " + RLO + "gnp.exe",
        "hostile-html-1",
        "text/html; charset=UTF-8",
        ["Content-Transfer-Encoding: base64"],
    ) + base64.encodebytes(html.encode("utf-8")).decode("ascii").replace("\n", "\r\n")
    messages.append(("hostile-html", raw.encode("utf-8"), {"marker": "HTML-MARKER", "name": "Eve"}))

    # 3. multipart: text/plain and text/html alternatives, an HTML attachment and an attachment
    #    whose name hides its real extension behind a right-to-left override.
    plain = "Hello,\n\n%s\n\nALT-PLAIN-MARKER\n%s\nEve Alt\n" % (COMPLAINT_TEXT, payload)
    html = "<html><body><p>%s</p><p>ALT-HTML-MARKER</p>%s</body></html>" % (COMPLAINT_TEXT, payload)
    attachment_html = "<html><body><script>window.__pwned='attachment'</script>%s</body></html>" % payload
    rlo_filename = "photos" + RLO + "gpj.exe"
    boundary_mixed = "mixed-boundary-hostile"
    boundary_alt = "alt-boundary-hostile"
    parts = [
        "--%s" % boundary_mixed,
        "Content-Type: multipart/alternative; boundary=\"%s\"" % boundary_alt,
        "",
        "--%s" % boundary_alt,
        "Content-Type: text/plain; charset=UTF-8",
        "Content-Transfer-Encoding: 8bit",
        "",
        plain,
        "--%s" % boundary_alt,
        "Content-Type: text/html; charset=UTF-8",
        "Content-Transfer-Encoding: 8bit",
        "",
        html,
        "--%s--" % boundary_alt,
        "",
        "--%s" % boundary_mixed,
        "Content-Type: text/html; charset=UTF-8; name=\"evidence.html\"",
        "Content-Disposition: attachment; filename=\"evidence.html\"",
        "Content-Transfer-Encoding: 8bit",
        "",
        attachment_html,
        "--%s" % boundary_mixed,
        "Content-Type: application/octet-stream; name=\"%s\"" % _encoded_word(rlo_filename),
        "Content-Disposition: attachment; filename*=UTF-8''%s" % _rfc2231(rlo_filename),
        "Content-Transfer-Encoding: base64",
        "",
        base64.b64encode(b"MZ not really a program").decode("ascii"),
        "--%s--" % boundary_mixed,
        "",
    ]
    raw = _headers(
        "Eve Alt",
        "eve.alt@example.org",
        "Complaint with attachments",
        "hostile-alt-1",
        "multipart/mixed; boundary=\"%s\"" % boundary_mixed,
    ) + "\r\n".join(parts)
    messages.append(("hostile-alternative", raw.encode("utf-8"), {"marker": "ALT-", "name": "Eve Alt"}))

    # 4. One line of a megabyte without a space.
    long_line = ("LONGLINE" * 131072)[: 1 << 20]
    raw = _headers(
        "Eve Long",
        "eve.long@example.org",
        "Complaint in one long line",
        "hostile-long-1",
        "text/plain; charset=UTF-8",
        ["Content-Transfer-Encoding: 8bit"],
    ) + "Hello,\r\n\r\n%s\r\n\r\nLONG-MARKER\r\n%s\r\nEve Long\r\n" % (COMPLAINT_TEXT, long_line)
    messages.append(("hostile-long", raw.encode("utf-8"), {"marker": "LONG-MARKER", "name": "Eve Long"}))

    # 5. A 300-letter word in the subject (a pasted link, a long reference): shown outside the
    #    message's own box, on the timeline and in the summary.
    raw = _headers(
        "Eve Word",
        "eve.word@example.org",
        "Complaint " + "W" * 300,
        "hostile-word-1",
        "text/plain; charset=UTF-8",
        ["Content-Transfer-Encoding: 8bit"],
    ) + "Hello,\r\n\r\n%s\r\n\r\nWORD-MARKER\r\nEve Word\r\n" % COMPLAINT_TEXT
    messages.append(("hostile-word", raw.encode("utf-8"), {"marker": "WORD-MARKER", "name": "Eve Word"}))
    return messages


def _rfc2231(text):
    return "".join(
        ch if (ch.isascii() and (ch.isalnum() or ch in ".-_")) else "".join("%%%02X" % b for b in ch.encode("utf-8"))
        for ch in text
    )


def triage_messages():
    """Messages the shipped classifier places between a complaint and something else (measured
    with `complaintsctl classify`): they open as complaints flagged for triage."""
    out = []
    for i, (subject, text) in enumerate(
        [
            ("Bin collection", "It would help if the bins were collected on time, they were late again this week."),
            ("Bins", "The people upstairs are noisy every night and I reported it before but nothing happened."),
        ],
        start=1,
    ):
        raw = (
            "From: Rita Moss%d <rita.moss%d@example.org>\r\n"
            "To: customer.services@westway.example\r\n"
            "Subject: %s\r\n"
            "Date: %s\r\n"
            "Message-ID: <triage-%d@example.org>\r\n"
            "MIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=UTF-8\r\n\r\n"
            "%s\r\n\r\nRita Moss\r\n" % (i, i, subject, email.utils.formatdate(localtime=False), i, text)
        )
        out.append(("triage-%d" % i, raw.encode("utf-8")))
    return out
