"""A test e-mail backend that other processes can count: one file per message in
``MEMORANDUM_TEST_MAIL_DIR``, written after a pause like an SMTP conversation's."""

import os
import time
import uuid

from django.core.mail.backends.base import BaseEmailBackend


class SlowFileBackend(BaseEmailBackend):
    def send_messages(self, messages):
        directory = os.environ["MEMORANDUM_TEST_MAIL_DIR"]
        for message in messages:
            time.sleep(float(os.environ.get("MEMORANDUM_TEST_MAIL_LATENCY", "0.03")))
            # Written under a temporary name, then renamed: a file is a whole message.
            name = os.path.join(directory, uuid.uuid4().hex)
            with open(name + ".tmp", "wb") as stream:
                stream.write(message.message().as_bytes())
            os.replace(name + ".tmp", name + ".eml")
        return len(messages)


def recipients(directory: str) -> list[str]:
    """The recipient of every message in ``directory``."""
    import email

    found = []
    for name in sorted(os.listdir(directory)):
        if name.endswith(".eml"):
            with open(os.path.join(directory, name), "rb") as stream:
                found.append(email.message_from_binary_file(stream)["To"])
    return found
