"""Mail backends for tests: one that refuses the first tries with a temporary error, and one that logs
each recipient to a file (named by PEP_TEST_MAIL_LOG) and is slow, so a worker can be killed mid-send."""

import os
import smtplib
import time

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class FlakyBackend(LocmemBackend):
    """Temporary 421 refusals for the first `failures` messages, then delivers like locmem."""

    failures = 1

    def send_messages(self, messages):
        if FlakyBackend.failures > 0:
            FlakyBackend.failures -= 1
            raise smtplib.SMTPResponseException(421, b"Try again later")
        return super().send_messages(messages)


class RefusingBackend(LocmemBackend):
    """A permanent 550 refusal for any address containing "bounce"."""

    def send_messages(self, messages):
        for message in messages:
            if any("bounce" in r for r in message.recipients()):
                raise smtplib.SMTPRecipientsRefused({message.recipients()[0]: (550, b"No such user")})
        return super().send_messages(messages)


class SlowLoggingBackend(LocmemBackend):
    def send_messages(self, messages):
        path = os.environ["PEP_TEST_MAIL_LOG"]
        for message in messages:
            time.sleep(float(os.environ.get("PEP_TEST_MAIL_DELAY", "0.3")))
            with open(path, "a") as log:
                log.write(message.recipients()[0] + "\n")
                log.flush()
                os.fsync(log.fileno())
        return len(messages)
