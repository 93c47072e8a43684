#!/usr/bin/env python3
"""STARTTLS as a mail client does it against `smtp-trainer serve --persona exchange2016`:
Python's smtplib upgrades with starttls(), checks the EHLO list inside TLS (STARTTLS gone, AUTH
LOGIN offered, as Exchange 2016 does) over TLS 1.2, the most Exchange 2016 speaks, logs in with the default account and relays a message,
which only an authenticated client may. Run by tests/cli_clients.rs with the server's port.

    python3 tests/server_starttls.py PORT TOKEN
"""

import smtplib
import ssl
import sys
from email.message import EmailMessage


def main():
    port, token = int(sys.argv[1]), sys.argv[2]
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.ehlo("client.fabrikam.com")
        assert client.has_extn("starttls"), "EHLO list lacks STARTTLS"
        assert "LOGIN" not in client.esmtp_features.get("auth", ""), "AUTH LOGIN offered in clear"

        # The certificate is the built-in training one: checked against the file shipped in the
        # repository, for the name it is issued to.
        cert = sys.argv[3] if len(sys.argv) > 3 else None
        context = ssl.create_default_context(cafile=cert) if cert else ssl._create_unverified_context()
        code, text = client.starttls(context=context)
        assert code == 220, f"STARTTLS answered {code} {text!r}"
        # Exchange 2016 speaks at most TLS 1.2, and so does `serve`.
        assert client.sock.version() == "TLSv1.2", f"negotiated {client.sock.version()}"

        client.ehlo("client.fabrikam.com")
        assert not client.has_extn("starttls"), "STARTTLS offered again inside TLS"
        mechanisms = client.esmtp_features.get("auth", "").split()
        assert "LOGIN" in mechanisms, f"AUTH inside TLS offers {mechanisms}"

        code, _ = client.login("admin", "P@ssw0rd")
        assert code == 235, f"AUTH LOGIN answered {code}"

        msg = EmailMessage()
        msg["From"] = "admin@contoso.com"
        msg["To"] = "friend@fabrikam.com, user@contoso.com"
        msg["Subject"] = f"starttls {token}"
        msg.set_content(f"Sent inside TLS.\n{token}\n")
        refused = client.send_message(msg)
        assert refused == {}, f"recipients refused: {refused}"
    print("starttls: ok")


if __name__ == "__main__":
    main()
