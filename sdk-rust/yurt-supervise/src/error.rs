//! The layer's error: a kind (for mapping to a driver's errors) and a message that names the
//! problem (the spec field, the state file, the process).

use std::fmt;

/// What went wrong, broadly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Bad input: a spec field (command, user, working_dir, env, ...) or a malformed handle.
    InvalidArgument,
    /// A state file is missing, corrupted or of an unknown format version.
    State,
    /// The supervisor is gone without recording the task's exit: the result is unknown.
    SupervisorGone,
    /// The task is not running (it has exited) and cannot take the request.
    NotRunning,
    /// Anything else (I/O, a timeout).
    Failed,
}

/// An error of the supervision layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            kind,
            message: message.into(),
        }
    }
    pub(crate) fn invalid(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::InvalidArgument, message)
    }
    pub(crate) fn state(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::State, message)
    }
    pub(crate) fn failed(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Failed, message)
    }

    /// The kind of error.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The message alone.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Error {
        Error::failed(e.to_string())
    }
}
