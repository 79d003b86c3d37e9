#!/usr/bin/env python3
"""Saves 1280x900 screenshots of the workbench on the demo's data (config/demo/mail): the home
page, the queue and a case page, for the docs.

  python3 tests/browser/screenshots.py [--out DIR]     (default DIR: docs/images)

writes workbench-home.png, workbench-queue.png and workbench-case.png. It starts its own
complaintsd on 127.0.0.1 in a temporary folder, as the browser tests do (workbench.py says which
programs it runs and how to choose others), and signs in as a manager.
"""

import argparse
import datetime
import os
import struct
import sys

sys.dont_write_bytecode = True  # nothing written into the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import workbench  # noqa: E402

if __name__ == "__main__":
    workbench.reexec_with_selenium(__file__)


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit("%s is not a PNG" % path)
    return struct.unpack(">II", head[16:24])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(workbench.SOURCE_DIR / "docs" / "images"))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    workbench.browser_tools()
    wb = workbench.Workbench()
    try:
        wb.start(demo_only=True)
        # A few complaints taken by phone in the past days, so the home page shows work breached
        # and falling due, as a real Monday morning would.
        now = datetime.datetime.now(datetime.timezone.utc)
        for days, name, summary in [(20, "Aisha Khan", "Damp in the bedroom, reported in March"),
                                    (4, "Tom Price", "Caretaker left rubbish on the landing"),
                                    (2, "Grace Obi", "Repair appointment missed twice"),
                                    (1, "Lee Wong", "Rude call handler")]:
            received = (now - datetime.timedelta(days=days)).replace(microsecond=0)
            wb.ctl("cases", "open", "--type", "complaint", "--channel", "phone", "--name", name,
                   "--summary", summary, "--received", received.isoformat())
        driver = wb.new_driver()
        try:
            wb.sign_in(driver, "mina")
            case = "WW-%s-00001" % wb.year  # the boiler complaint, with the resident's reply
            for name, path in [("home", "/"), ("queue", "/cases"), ("case", "/cases/" + case)]:
                driver.get(wb.url(path))
                driver.execute_script("window.scrollTo(0, 0)")
                out = os.path.join(args.out, "workbench-%s.png" % name)
                if not driver.save_screenshot(out):
                    raise SystemExit("could not save " + out)
                size = png_size(out)
                if size != workbench.WINDOW:
                    raise SystemExit("%s is %dx%d, not %dx%d" % ((out,) + size + workbench.WINDOW))
                print("%s  %dx%d  (%s)" % (out, size[0], size[1], path))
        finally:
            driver.quit()
    finally:
        wb.stop()


if __name__ == "__main__":
    main()
