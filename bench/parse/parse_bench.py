"""Python's email package doing the same work as parse_bench (parse, decoded subject and sender,
text parts decoded to str), for the side-by-side figure. Run by parse_bench."""
import email
import email.policy
import os
import sys
import time


def main():
    root = sys.argv[1]
    messages = []
    for dirpath, _, names in os.walk(root):
        for name in sorted(names):
            with open(os.path.join(dirpath, name), "rb") as f:
                messages.append(f.read())
    size = sum(len(m) for m in messages)
    best = None
    for _ in range(3):
        start = time.perf_counter()
        ok = 0
        for raw in messages:
            if raw.startswith(b"From "):
                raw = raw.split(b"\n", 1)[1] if b"\n" in raw else b""
            try:
                msg = email.message_from_bytes(raw, policy=email.policy.default)
                str(msg.get("subject", "")), str(msg.get("from", ""))
                for part in msg.walk():
                    if part.get_content_maintype() == "text":
                        part.get_content()
                ok += 1
            except Exception:  # noqa: BLE001 - a failure counts as not parsed
                pass
        seconds = time.perf_counter() - start
        best = seconds if best is None or seconds < best else best
    print("%-34s %8.0f messages/s  %7.1f MB/s  (%.3f s, %d of %d parsed)"
          % ("Python email (policy.default)", len(messages) / best, size / best / 1e6, best, ok,
             len(messages)))


if __name__ == "__main__":
    main()
