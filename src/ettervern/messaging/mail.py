"""E-mail, sent by a background job (messaging.jobs), one message per address.

THE RULE FOR CALLERS: an e-mail never carries personal health data. Its subject and body say
only that there is something in Ettervern (a new message, a notification, a meeting), with a
link to it; never a patient's name, a diagnosis, a unit that tells what the patient is treated
for, or the text of a message. The caller writes the subject and body and answers for this;
each caller's tests check it (tests/messaging/test_mail.py shows how).

Each address gets its own e-mail (recipients do not see each other's addresses, and a retry
sends to one address, not to all again). The job row is written in the caller's transaction, so
a change that rolls back sends nothing, and a change that commits cannot lose its e-mail
between the commit and the enqueue. A job retried after a worker died may send an e-mail
twice; that is accepted.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMessage

from ettervern.messaging.jobs import job


@job(max_attempts=6)
def send_email(*, to: str, subject: str, body: str,
               attachments: list[list[str]] | None = None) -> None:
    message = EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL,
                           to=[to])
    for filename, content, mimetype in attachments or []:
        message.attach(filename, content, mimetype)
    message.send(fail_silently=False)


def mail_later(*, to: Sequence[str], subject: str, body: str,
               attachments: Sequence[tuple[str, str, str]] = ()) -> None:
    """Send an e-mail to each address in `to` from the worker; skips empty addresses.

    `attachments` are (filename, content, mimetype), e.g. ("mote.ics", ics_text,
    "text/calendar"). Written as jobs in the current transaction (see the module docstring):
    nothing is sent if it rolls back."""
    seen: set[str] = set()
    files = [[name, content, mimetype] for name, content, mimetype in attachments]
    for address in to:
        address = (address or "").strip()
        if not address or address.lower() in seen:
            continue
        seen.add(address.lower())
        send_email.enqueue(to=address, subject=subject, body=body, attachments=files)


def absolute(link: str) -> str:
    """The app's address for a path inside it (the link an e-mail carries)."""
    return settings.ETTERVERN_BASE_URL + link if link.startswith("/") else link
