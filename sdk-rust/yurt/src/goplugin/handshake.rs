//! The go-plugin handshake: what the host tells a plugin through its environment, and the single
//! line the plugin answers with on stdout.
//!
//! Everything here is pure (the environment is read through a lookup function), so the rules —
//! cookie check, version negotiation, port range — are tested without touching the process
//! environment. [`HandshakeLine`] both formats and parses the line, so tests and host-side tools
//! can read what a plugin printed.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD_NO_PAD;

// Generated from spec/handshake.json, their one source (src/constants.rs).
pub use crate::constants::{
    APP_PROTOCOL_VERSION, CORE_PROTOCOL_VERSION, MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE,
};

/// Why a plugin refuses to start. The messages are written for a person who ran the binary by
/// hand, which is the usual way to trip the cookie check.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HandshakeError {
    /// The cookie variable is unset or does not hold Nomad's value.
    #[error(
        "This binary is a plugin. These are not meant to be executed directly.\n\
         Please execute the program that consumes these plugins, which will\n\
         load any plugins automatically\n\
         ({MAGIC_COOKIE_KEY} is {0})"
    )]
    Cookie(CookieProblem),
    /// A port variable is not a port number.
    #[error("{var}: expected a port number 0-65535, got {got:?}")]
    InvalidPort {
        /// The variable name.
        var: &'static str,
        /// What it held.
        got: String,
    },
    /// `PLUGIN_MIN_PORT` is above `PLUGIN_MAX_PORT`.
    #[error("PLUGIN_MIN_PORT value of {min} is greater than PLUGIN_MAX_PORT value of {max}")]
    PortRange {
        /// Lower bound given.
        min: u16,
        /// Upper bound given.
        max: u16,
    },
}

/// What was wrong with the cookie.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CookieProblem {
    /// The variable is not set.
    Unset,
    /// The variable holds another value.
    Wrong,
}

impl fmt::Display for CookieProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CookieProblem::Unset => "not set",
            CookieProblem::Wrong => "set to a value that is not Nomad's",
        })
    }
}

/// What the host asked for, read from the environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandshakeEnv {
    /// The application protocol version to answer with.
    pub app_version: u32,
    /// Lowest TCP port to try (`PLUGIN_MIN_PORT`, 0 when unset).
    pub min_port: u16,
    /// Highest TCP port to try (`PLUGIN_MAX_PORT`, 0 when unset).
    pub max_port: u16,
    /// The host's certificate, PEM, when it wants AutoMTLS (`PLUGIN_CLIENT_CERT`).
    pub client_cert_pem: Option<String>,
    /// Where to put the unix socket (`PLUGIN_UNIX_SOCKET_DIR`).
    pub unix_socket_dir: Option<PathBuf>,
    /// Group name or id that must own the socket (`PLUGIN_UNIX_SOCKET_GROUP`).
    pub unix_socket_group: Option<String>,
    /// The host asked for yamux multiplexing (`PLUGIN_MULTIPLEX_GRPC`), which this SDK does not
    /// speak; the host will report that itself.
    pub multiplex_requested: bool,
    /// Problems worth a log line that do not stop the plugin (bad version entries, ...).
    pub warnings: Vec<String>,
}

/// Reads and checks the handshake environment. `supported` lists the app protocol versions the
/// plugin serves; Nomad plugins pass `[APP_PROTOCOL_VERSION]`.
pub fn read_env<F>(lookup: F, supported: &[u32]) -> Result<HandshakeEnv, HandshakeError>
where
    F: Fn(&str) -> Option<String>,
{
    match lookup(MAGIC_COOKIE_KEY) {
        None => return Err(HandshakeError::Cookie(CookieProblem::Unset)),
        Some(v) if v != MAGIC_COOKIE_VALUE => {
            return Err(HandshakeError::Cookie(CookieProblem::Wrong));
        }
        Some(_) => {}
    }
    let mut warnings = Vec::new();
    let offered = lookup("PLUGIN_PROTOCOL_VERSIONS").unwrap_or_default();
    let app_version = negotiate_version(&offered, supported, &mut warnings);

    let min_port = port_var(&lookup, "PLUGIN_MIN_PORT")?;
    let max_port = port_var(&lookup, "PLUGIN_MAX_PORT")?;
    if min_port > max_port {
        return Err(HandshakeError::PortRange {
            min: min_port,
            max: max_port,
        });
    }
    let non_empty = |k: &str| lookup(k).filter(|v| !v.is_empty());
    let multiplex_requested = non_empty("PLUGIN_MULTIPLEX_GRPC").is_some();
    if multiplex_requested {
        warnings.push(
            "PLUGIN_MULTIPLEX_GRPC is set but this plugin does not support gRPC broker multiplexing"
                .to_string(),
        );
    }
    Ok(HandshakeEnv {
        app_version,
        min_port,
        max_port,
        client_cert_pem: non_empty("PLUGIN_CLIENT_CERT"),
        unix_socket_dir: non_empty("PLUGIN_UNIX_SOCKET_DIR").map(PathBuf::from),
        unix_socket_group: non_empty("PLUGIN_UNIX_SOCKET_GROUP"),
        multiplex_requested,
        warnings,
    })
}

/// Picks the highest version both sides speak. Like go-plugin, when nothing matches (or the host
/// sent nothing usable) it answers with its lowest version and lets the host report the mismatch.
pub fn negotiate_version(offered: &str, supported: &[u32], warnings: &mut Vec<String>) -> u32 {
    let mut ours: Vec<u32> = supported.to_vec();
    ours.sort_unstable();
    let lowest = ours.first().copied().unwrap_or(APP_PROTOCOL_VERSION);
    let mut best: Option<u32> = None;
    for entry in offered.split(',').map(str::trim).filter(|e| !e.is_empty()) {
        match entry.parse::<u32>() {
            Ok(v) if ours.contains(&v) => best = best.max(Some(v)),
            Ok(_) => {}
            Err(_) => warnings.push(format!(
                "PLUGIN_PROTOCOL_VERSIONS: server sent invalid plugin version {entry:?}"
            )),
        }
    }
    best.unwrap_or(lowest)
}

fn port_var<F>(lookup: &F, var: &'static str) -> Result<u16, HandshakeError>
where
    F: Fn(&str) -> Option<String>,
{
    match lookup(var) {
        None => Ok(0),
        Some(v) if v.trim().is_empty() => Ok(0),
        Some(v) => v
            .trim()
            .parse::<u16>()
            .map_err(|_| HandshakeError::InvalidPort {
                var,
                got: v.clone(),
            }),
    }
}

/// Where the plugin listens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Address {
    /// A unix socket at an absolute path.
    Unix(PathBuf),
    /// A TCP address, `127.0.0.1:port` in practice.
    Tcp(SocketAddr),
}

/// The go-plugin handshake line: `CORE|APP|NETWORK|ADDR|grpc|CERT`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandshakeLine {
    /// Core protocol version, always 1 when we print it.
    pub core_version: u32,
    /// Negotiated app protocol version.
    pub app_version: u32,
    /// Listener address.
    pub address: Address,
    /// The plugin's DER certificate under AutoMTLS; `None` leaves field 6 empty.
    pub cert_der: Option<Vec<u8>>,
}

impl fmt::Display for HandshakeLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (network, addr) = match &self.address {
            Address::Unix(p) => ("unix", p.display().to_string()),
            Address::Tcp(a) => ("tcp", a.to_string()),
        };
        let cert = self
            .cert_der
            .as_deref()
            .map(|d| STANDARD_NO_PAD.encode(d))
            .unwrap_or_default();
        write!(
            f,
            "{}|{}|{}|{}|grpc|{}",
            self.core_version, self.app_version, network, addr, cert
        )
    }
}

/// Why a handshake line could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("handshake line {line:?}: {problem}")]
pub struct ParseLineError {
    /// The offending line (trimmed, cut to 200 characters).
    pub line: String,
    /// What was wrong.
    pub problem: String,
}

impl FromStr for HandshakeLine {
    type Err = ParseLineError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let line = s.trim();
        let err = |problem: String| ParseLineError {
            line: line.chars().take(200).collect(),
            problem,
        };
        let parts: Vec<&str> = line.split('|').collect();
        if parts.len() < 5 {
            return Err(err(format!(
                "expected at least 5 '|'-separated fields (core|app|network|addr|protocol), got {}",
                parts.len()
            )));
        }
        let core_version = parts[0].parse().map_err(|_| {
            err(format!(
                "field 1 (core version): expected an integer, got {:?}",
                parts[0]
            ))
        })?;
        let app_version = parts[1].parse().map_err(|_| {
            err(format!(
                "field 2 (app version): expected an integer, got {:?}",
                parts[1]
            ))
        })?;
        let address = match parts[2] {
            "unix" => Address::Unix(PathBuf::from(parts[3])),
            "tcp" => Address::Tcp(parts[3].parse().map_err(|_| {
                err(format!(
                    "field 4 (address): expected host:port, got {:?}",
                    parts[3]
                ))
            })?),
            other => {
                return Err(err(format!(
                    "field 3 (network): expected \"unix\" or \"tcp\", got {other:?}"
                )));
            }
        };
        if parts[4] != "grpc" {
            return Err(err(format!(
                "field 5 (protocol): expected \"grpc\", got {:?}",
                parts[4]
            )));
        }
        let cert_der = match parts.get(5) {
            // go-plugin ignores anything of 50 characters or fewer here.
            Some(c) if c.len() > 50 => Some(STANDARD_NO_PAD.decode(c).map_err(|e| {
                err(format!(
                    "field 6 (certificate): expected unpadded base64 DER: {e}"
                ))
            })?),
            _ => None,
        };
        Ok(HandshakeLine {
            core_version,
            app_version,
            address,
            cert_der,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    const COOKIE: (&str, &str) = (MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE);

    #[test]
    fn missing_cookie_is_refused_with_a_human_message() {
        let err = read_env(env(&[]), &[2]).unwrap_err();
        assert_eq!(err, HandshakeError::Cookie(CookieProblem::Unset));
        let msg = err.to_string();
        assert!(msg.starts_with("This binary is a plugin."), "{msg}");
        assert!(
            msg.contains("NOMAD_PLUGIN_MAGIC_COOKIE is not set"),
            "{msg}"
        );
    }

    #[test]
    fn wrong_cookie_is_refused() {
        let err = read_env(env(&[(MAGIC_COOKIE_KEY, "nope")]), &[2]).unwrap_err();
        assert_eq!(err, HandshakeError::Cookie(CookieProblem::Wrong));
    }

    #[test]
    fn defaults_when_only_the_cookie_is_set() {
        let e = read_env(env(&[COOKIE]), &[2]).unwrap();
        assert_eq!(e.app_version, 2);
        assert_eq!((e.min_port, e.max_port), (0, 0));
        assert_eq!(e.client_cert_pem, None);
        assert!(e.warnings.is_empty());
    }

    #[test]
    fn reads_every_variable() {
        let e = read_env(
            env(&[
                COOKIE,
                ("PLUGIN_PROTOCOL_VERSIONS", "1,2"),
                ("PLUGIN_MIN_PORT", "10000"),
                ("PLUGIN_MAX_PORT", "25000"),
                ("PLUGIN_CLIENT_CERT", "-----BEGIN CERTIFICATE-----\n"),
                ("PLUGIN_UNIX_SOCKET_DIR", "/run/x"),
                ("PLUGIN_UNIX_SOCKET_GROUP", "nomad"),
            ]),
            &[2],
        )
        .unwrap();
        assert_eq!(e.app_version, 2);
        assert_eq!((e.min_port, e.max_port), (10000, 25000));
        assert!(e.client_cert_pem.is_some());
        assert_eq!(e.unix_socket_dir, Some(PathBuf::from("/run/x")));
        assert_eq!(e.unix_socket_group.as_deref(), Some("nomad"));
    }

    #[test]
    fn version_negotiation() {
        let cases: &[(&str, &[u32], u32, usize)] = &[
            ("2", &[2], 2, 0),
            ("1,2", &[2], 2, 0),
            ("2,1", &[1, 2], 2, 0),
            ("3,1", &[1, 2], 1, 0),
            ("5,6", &[2, 3], 2, 0), // no match: our lowest
            ("", &[2], 2, 0),
            ("x, 2", &[2], 2, 1),
            (" 2 ,", &[2], 2, 0),
        ];
        for (offered, ours, want, nwarn) in cases {
            let mut w = Vec::new();
            assert_eq!(
                negotiate_version(offered, ours, &mut w),
                *want,
                "{offered:?}"
            );
            assert_eq!(w.len(), *nwarn, "{offered:?}: {w:?}");
        }
    }

    #[test]
    fn bad_ports_are_named() {
        let err = read_env(env(&[COOKIE, ("PLUGIN_MIN_PORT", "ten")]), &[2]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "PLUGIN_MIN_PORT: expected a port number 0-65535, got \"ten\""
        );
        let err = read_env(
            env(&[COOKIE, ("PLUGIN_MIN_PORT", "9"), ("PLUGIN_MAX_PORT", "8")]),
            &[2],
        )
        .unwrap_err();
        assert_eq!(err, HandshakeError::PortRange { min: 9, max: 8 });
    }

    #[test]
    fn line_format_matches_go_plugin() {
        let line = HandshakeLine {
            core_version: 1,
            app_version: 2,
            address: Address::Unix(PathBuf::from("/tmp/plugin123")),
            cert_der: None,
        };
        assert_eq!(line.to_string(), "1|2|unix|/tmp/plugin123|grpc|");
        let line = HandshakeLine {
            address: Address::Tcp("127.0.0.1:10000".parse().unwrap()),
            cert_der: Some(vec![0xff; 61]), // 61 bytes: base64 would need one '=' of padding
            ..line
        };
        let s = line.to_string();
        assert!(s.starts_with("1|2|tcp|127.0.0.1:10000|grpc|"), "{s}");
        assert!(!s.contains('='), "padding in {s}");
        assert_eq!(s.parse::<HandshakeLine>().unwrap(), line);
    }

    #[test]
    fn parse_errors_name_the_field() {
        let e = "1|2|udp|x|grpc|".parse::<HandshakeLine>().unwrap_err();
        assert!(e.problem.contains("field 3"), "{e}");
        let e = "1|2|tcp|localhost|grpc|"
            .parse::<HandshakeLine>()
            .unwrap_err();
        assert!(e.problem.contains("field 4"), "{e}");
        let e = "hello world".parse::<HandshakeLine>().unwrap_err();
        assert!(e.problem.contains("at least 5"), "{e}");
    }

    proptest! {
        #[test]
        fn parsing_never_panics(s in ".{0,300}") {
            let _ = s.parse::<HandshakeLine>();
        }

        #[test]
        fn format_then_parse_round_trips(
            app in 0u32..10,
            port in 1u16..,
            cert in proptest::option::of(proptest::collection::vec(any::<u8>(), 40..400)),
            unix in any::<bool>(),
        ) {
            let address = if unix {
                Address::Unix(PathBuf::from(format!("/tmp/plugin{port}")))
            } else {
                Address::Tcp(SocketAddr::from(([127, 0, 0, 1], port)))
            };
            let line = HandshakeLine { core_version: 1, app_version: app, address, cert_der: cert };
            let text = line.to_string();
            prop_assert!(!text.contains('\n'));
            prop_assert_eq!(text.parse::<HandshakeLine>().unwrap(), line);
        }

        #[test]
        fn negotiation_picks_a_supported_version(offered in "[0-9,x ]{0,20}") {
            let mut w = Vec::new();
            let v = negotiate_version(&offered, &[1, 2], &mut w);
            prop_assert!(v == 1 || v == 2);
        }
    }
}
