//! The SDK's error vocabulary and how each kind crosses the wire.
//!
//! The kinds and their codes are defined once for the three SDKs in
//! proto/hashicorp/nomad/plugins/drivers/proto/driver.proto ("Error kinds");
//! spec/vectors/errors.json, cut from the Go SDK, is the test (tests/vectors.rs).
//!
//! | kind | variant | gRPC code | message | details |
//! |---|---|---|---|---|
//! | TaskNotFound | [`Error::TaskNotFound`] | Unknown | `task not found for given id` (Nomad matches the text) | none |
//! | Recoverable | [`Error::Recoverable`] | FailedPrecondition | the text | `structs.RecoverableError{recoverable}` |
//! | InvalidConfig | [`Error::InvalidConfig`] (from [`crate::config::DecodeError`]) | Unknown | names the field | none |
//! | InvalidRequest | [`Error::InvalidArgument`] | InvalidArgument | the text | none |
//! | Unsupported | [`Error::Unsupported`] (SignalTask, ExecTask) | Unknown | `<RPC> is not supported by this driver` | none |
//! | Unimplemented | [`Error::Unimplemented`] (optional RPCs) | Unimplemented | the text | none |
//! | Plain | [`Error::Other`] | Unknown | the text | none |

use prost::Message;

use crate::r#gen::structs;

/// Nomad's exact text for an unknown task id.
pub const TASK_NOT_FOUND: &str = "task not found for given id";

/// An error a plugin returns from a trait method.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The task id is unknown to the driver.
    #[error("{TASK_NOT_FOUND}")]
    TaskNotFound,
    /// StartTask/TaskStats failure that Nomad may retry (`recoverable: true`) or must not.
    #[error("{message}")]
    Recoverable {
        /// Human text.
        message: String,
        /// Whether Nomad should retry.
        recoverable: bool,
    },
    /// The plugin does not support this call.
    #[error("{0}")]
    Unimplemented(String),
    /// The request is malformed (kind InvalidRequest).
    #[error("{0}")]
    InvalidArgument(String),
    /// The plugin's or a task's config does not decode (kind InvalidConfig): a plain error on the
    /// wire (Unknown), as Nomad's Go plugins send it; the text names the field.
    #[error("{0}")]
    InvalidConfig(String),
    /// The driver does not support this call (SignalTask, ExecTask; kind Unsupported): a plain
    /// error on the wire (Unknown), as Nomad's own drivers answer, while Capabilities says so.
    #[error("{0}")]
    Unsupported(String),
    /// Anything else.
    #[error("{0}")]
    Other(String),
}

impl Error {
    /// A plain error with this text (gRPC Unknown, as Go plugins send).
    pub fn other(msg: impl std::fmt::Display) -> Self {
        Error::Other(msg.to_string())
    }
    /// A recoverable error: Nomad restarts the task per its restart policy.
    pub fn recoverable(msg: impl std::fmt::Display) -> Self {
        Error::Recoverable {
            message: msg.to_string(),
            recoverable: true,
        }
    }
    /// An explicitly non-recoverable error.
    pub fn fatal(msg: impl std::fmt::Display) -> Self {
        Error::Recoverable {
            message: msg.to_string(),
            recoverable: false,
        }
    }
}

impl From<crate::config::DecodeError> for Error {
    fn from(e: crate::config::DecodeError) -> Self {
        Error::InvalidConfig(e.to_string())
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Other(e.to_string())
    }
}

/// google.rpc.Status, the envelope of `grpc-status-details-bin`.
#[derive(Clone, PartialEq, prost::Message)]
pub(crate) struct RpcStatus {
    #[prost(int32, tag = "1")]
    pub code: i32,
    #[prost(string, tag = "2")]
    pub message: String,
    #[prost(message, repeated, tag = "3")]
    pub details: Vec<prost_types::Any>,
}

pub(crate) const RECOVERABLE_TYPE_URL: &str =
    "type.googleapis.com/hashicorp.nomad.plugins.shared.structs.RecoverableError";

impl From<Error> for tonic::Status {
    fn from(e: Error) -> Self {
        match e {
            Error::TaskNotFound => tonic::Status::unknown(TASK_NOT_FOUND),
            Error::Recoverable {
                message,
                recoverable,
            } => {
                let detail = prost_types::Any {
                    type_url: RECOVERABLE_TYPE_URL.into(),
                    value: structs::RecoverableError { recoverable }.encode_to_vec(),
                };
                let status = RpcStatus {
                    code: tonic::Code::FailedPrecondition as i32,
                    message: message.clone(),
                    details: vec![detail],
                };
                tonic::Status::with_details(
                    tonic::Code::FailedPrecondition,
                    message,
                    status.encode_to_vec().into(),
                )
            }
            Error::Unimplemented(m) => tonic::Status::unimplemented(m),
            Error::InvalidArgument(m) => tonic::Status::invalid_argument(m),
            Error::InvalidConfig(m) | Error::Unsupported(m) | Error::Other(m) => {
                tonic::Status::unknown(m)
            }
        }
    }
}

/// Reads a `RecoverableError` detail back (used by tests and host-side tools).
pub fn recoverable_detail(status: &tonic::Status) -> Option<bool> {
    let st = RpcStatus::decode(status.details()).ok()?;
    st.details
        .iter()
        .find(|d| d.type_url == RECOVERABLE_TYPE_URL)
        .and_then(|d| structs::RecoverableError::decode(d.value.as_slice()).ok())
        .map(|r| r.recoverable)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_mapping() {
        let s: tonic::Status = Error::TaskNotFound.into();
        assert_eq!(s.code(), tonic::Code::Unknown);
        assert_eq!(s.message(), "task not found for given id");
        assert_eq!(recoverable_detail(&s), None);

        let s: tonic::Status = Error::recoverable("image pull failed").into();
        assert_eq!(s.code(), tonic::Code::FailedPrecondition);
        assert_eq!(s.message(), "image pull failed");
        assert_eq!(recoverable_detail(&s), Some(true));
        let s: tonic::Status = Error::fatal("bad config").into();
        assert_eq!(recoverable_detail(&s), Some(false));

        let s: tonic::Status = Error::Unimplemented("no".into()).into();
        assert_eq!(s.code(), tonic::Code::Unimplemented);
        let s: tonic::Status = Error::other("boom").into();
        assert_eq!((s.code(), s.message()), (tonic::Code::Unknown, "boom"));
    }

    #[test]
    fn details_envelope_is_google_rpc_status() {
        let s: tonic::Status = Error::recoverable("x").into();
        let st = RpcStatus::decode(s.details()).unwrap();
        assert_eq!(st.code, tonic::Code::FailedPrecondition as i32);
        assert_eq!(st.message, "x");
        assert_eq!(st.details.len(), 1);
        assert_eq!(st.details[0].type_url, RECOVERABLE_TYPE_URL);
        assert_eq!(st.details[0].value, vec![0x08, 0x01]);
    }
}
