"""A real SMTP server on 127.0.0.1 for the customer notice tests (aiosmtpd,
run on CPython 3.12 from .local/py312: requirements/py312.txt).

    python tests/smtp_sink.py --port 2525 --maildir /tmp/mails

Every message it accepts is written to MAILDIR as <n>.eml (the raw
message, with X-Envelope-From / X-Envelope-To headers added first). While
MAILDIR/reply exists, its first line (e.g. "451 4.3.0 Try again later") is
the answer to RCPT TO instead of 250: the client's temporary failure. It
prints "ready" once it listens, and runs until SIGTERM."""
import argparse
import os
import signal
import threading

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, maildir):
        self.maildir = maildir
        self.count = len([name for name in os.listdir(maildir) if name.endswith(".eml")])

    def _forced_reply(self):
        try:
            with open(os.path.join(self.maildir, "reply")) as handle:
                return handle.readline().strip() or None
        except FileNotFoundError:
            return None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self._forced_reply()
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        headers = "X-Envelope-From: %s\r\nX-Envelope-To: %s\r\n" % (
            envelope.mail_from, ", ".join(envelope.rcpt_tos))
        path = os.path.join(self.maildir, "%06d.eml" % self.count)
        with open(path + ".tmp", "wb") as handle:
            handle.write(headers.encode("ascii") + envelope.original_content)
        os.rename(path + ".tmp", path)  # a reader never sees half a message
        return "250 Message accepted"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--maildir", required=True)
    args = parser.parse_args()
    controller = Controller(Sink(args.maildir), hostname="127.0.0.1", port=args.port)
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_args: stop.set())
    print("ready", flush=True)
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
