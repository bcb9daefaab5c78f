"""An email backend for tests that kill a worker mid-sweep: Django's file backend, a little slower."""

import time

from django.core.mail.backends.filebased import EmailBackend


class SlowFileBackend(EmailBackend):
    def send_messages(self, email_messages):
        time.sleep(0.05)  # a mail server's round trip, so a kill can land between two sends
        return super().send_messages(email_messages)
