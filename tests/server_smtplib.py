#!/usr/bin/env python3
"""A real mail client against `smtp-trainer serve`: Python's smtplib sends a message to a local
mailbox, is refused relay for another domain, and quits. Run by tests/cli_clients.rs with the
server's port; exits non-zero with the reason on failure.

    python3 tests/server_smtplib.py PORT TOKEN
"""

import smtplib
import sys
from email.message import EmailMessage


def main():
    port, token = int(sys.argv[1]), sys.argv[2]
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        code, _ = client.ehlo("client.fabrikam.com")
        assert code == 250, f"EHLO answered {code}"
        assert client.has_extn("size"), "EHLO list lacks SIZE"

        msg = EmailMessage()
        msg["From"] = "sender@fabrikam.com"
        msg["To"] = "user@contoso.com"
        msg["Subject"] = f"smtplib {token}"
        msg.set_content(f"Body line one.\n.A line that starts with a dot.\n{token}\n")
        refused = client.send_message(msg)
        assert refused == {}, f"recipients refused: {refused}"

        try:
            client.sendmail("sender@fabrikam.com", ["someone@elsewhere.example"], "Subject: relay\r\n\r\nno\r\n")
        except smtplib.SMTPRecipientsRefused as e:
            code = e.recipients["someone@elsewhere.example"][0]
            assert code == 550, f"relay refused with {code}, not 550"
        else:
            raise AssertionError("relay to another domain was accepted")
    print("smtplib: ok")


if __name__ == "__main__":
    main()
