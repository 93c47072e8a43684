//! STARTTLS for `serve`: the TLS handshake a persona's `220` invites, so a mail client that
//! upgrades (smtplib's `starttls()`, `swaks --tls`, msmtp, curl `--ssl-reqd`) goes on inside
//! TLS as it would with the real server, instead of meeting a closed connection.
//!
//! Real Exchange 2007 and later answer STARTTLS with a self-signed certificate of their own
//! unless an administrator installs another; `serve` does the same with a training certificate
//! built into the binary (`tls/training-cert.pem`, for `mail.contoso.com`, `localhost` and the
//! loopback addresses). Its private key is public, in this repository: it keeps the bytes off
//! the wire in clear, and proves nothing about who the server is. `--tls-cert`/`--tls-key`
//! load another pair.

use std::path::Path;
use std::sync::Arc;
use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::TlsAcceptor;

/// The built-in training certificate (PEM).
const TRAINING_CERT: &[u8] = include_bytes!("tls/training-cert.pem");
/// Its private key (PEM, PKCS #8), public on purpose: see the module documentation.
const TRAINING_KEY: &[u8] = include_bytes!("tls/training-key.pem");

/// The TLS versions `serve` speaks: 1.2 only. Exchange 2016, the persona that offers
/// STARTTLS, speaks at most TLS 1.2 (1.3 came to Exchange with 2019 on Windows Server 2022), so
/// a client learns here what it would negotiate with the real server, and the TLS Received
/// header's `version=TLS1_2` is true.
const PROTOCOL_VERSIONS: &[&rustls::SupportedProtocolVersion] = &[&rustls::version::TLS12];

/// Where the certificate `serve` presents came from, for its start-up line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CertSource {
    /// The built-in training certificate.
    Training,
    /// `--tls-cert FILE`.
    File(String),
}

impl std::fmt::Display for CertSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CertSource::Training => f.write_str("the built-in training certificate"),
            CertSource::File(path) => write!(f, "the certificate in {path}"),
        }
    }
}

/// Builds the acceptor from `--tls-cert`/`--tls-key` (both or neither), or from the training
/// pair. The error names the flag and the file, and says what is wrong with it.
pub fn acceptor(
    cert: Option<&Path>,
    key: Option<&Path>,
) -> Result<(TlsAcceptor, CertSource), String> {
    let (cert_pem, key_pem, source) = match (cert, key) {
        (None, None) => (
            TRAINING_CERT.to_vec(),
            TRAINING_KEY.to_vec(),
            CertSource::Training,
        ),
        (Some(cert), Some(key)) => (
            read("--tls-cert", cert)?,
            read("--tls-key", key)?,
            CertSource::File(cert.display().to_string()),
        ),
        (Some(_), None) => {
            return Err("--tls-cert needs --tls-key (the certificate's private key)".into())
        }
        (None, Some(_)) => {
            return Err("--tls-key needs --tls-cert (the certificate it belongs to)".into())
        }
    };
    let what_cert = describe("--tls-cert", cert);
    let what_key = describe("--tls-key", key);
    let certs = CertificateDer::pem_slice_iter(&cert_pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("{what_cert}: not a PEM certificate: {e}"))?;
    if certs.is_empty() {
        return Err(format!(
            "{what_cert}: no certificate in it (expected -----BEGIN CERTIFICATE-----)"
        ));
    }
    let private = PrivateKeyDer::from_pem_slice(&key_pem)
        .map_err(|e| format!("{what_key}: no PEM private key in it: {e}"))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(PROTOCOL_VERSIONS)
        .map_err(|e| format!("cannot set up TLS: {e}"))?
        .with_no_client_auth()
        .with_single_cert(certs, private)
        .map_err(|e| format!("{what_cert} and {what_key} do not make a usable pair: {e}"))?;
    Ok((TlsAcceptor::from(Arc::new(config)), source))
}

/// Reads a PEM file named by `flag`, or says why it cannot.
fn read(flag: &str, path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("cannot read {flag} '{}': {e}", path.display()))
}

/// How an error names a file: the flag and path, or the built-in pair.
fn describe(flag: &str, path: Option<&Path>) -> String {
    match path {
        Some(p) => format!("{flag} '{}'", p.display()),
        None => format!("the built-in training pair ({flag})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str, bytes: &[u8]) -> std::path::PathBuf {
        let path =
            std::env::temp_dir().join(format!("smtp-trainer-tls-{}-{name}", std::process::id()));
        std::fs::write(&path, bytes).unwrap();
        path
    }

    #[test]
    fn the_training_pair_loads() {
        let (_, source) = acceptor(None, None).unwrap();
        assert_eq!(source, CertSource::Training);
    }

    #[test]
    fn only_tls_1_2_is_offered() {
        assert_eq!(PROTOCOL_VERSIONS.len(), 1);
        assert_eq!(
            PROTOCOL_VERSIONS[0].version,
            rustls::ProtocolVersion::TLSv1_2
        );
    }

    #[test]
    fn files_given_on_the_command_line_load() {
        let cert = temp("cert.pem", TRAINING_CERT);
        let key = temp("key.pem", TRAINING_KEY);
        let (_, source) = acceptor(Some(&cert), Some(&key)).unwrap();
        assert_eq!(source, CertSource::File(cert.display().to_string()));
        let _ = std::fs::remove_file(cert);
        let _ = std::fs::remove_file(key);
    }

    #[test]
    fn bad_files_get_a_message_naming_the_flag() {
        let garbage = temp("garbage.pem", b"hello\n");
        let cert = temp("cert2.pem", TRAINING_CERT);
        let missing = Path::new("/nonexistent/cert.pem");
        let cases: [(Option<&Path>, Option<&Path>, &str); 6] = [
            (
                Some(missing),
                Some(&cert),
                "cannot read --tls-cert '/nonexistent/cert.pem'",
            ),
            (
                Some(&cert),
                Some(missing),
                "cannot read --tls-key '/nonexistent/cert.pem'",
            ),
            (Some(&garbage), Some(&cert), "no certificate in it"),
            (Some(&cert), Some(&garbage), "no PEM private key in it"),
            (Some(&cert), None, "--tls-cert needs --tls-key"),
            (None, Some(&cert), "--tls-key needs --tls-cert"),
        ];
        for (c, k, want) in cases {
            match acceptor(c, k) {
                Ok(_) => panic!("{c:?} {k:?} loaded"),
                Err(e) => assert!(e.contains(want), "{c:?} {k:?}: {e}"),
            }
        }
        let _ = std::fs::remove_file(garbage);
        let _ = std::fs::remove_file(cert);
    }
}
