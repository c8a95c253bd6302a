//! A builder for the HCL schema a plugin declares for its config (`ConfigSchema`) and for task
//! config (`TaskConfigSchema`). It mirrors HCL's `hcldec` specs, which Nomad uses to decode the
//! operator's HCL and then sends as msgpack (see [`crate::config`]).
//!
//! ```
//! use yurt::hclspec::{attr, block_list, default, literal, object};
//!
//! let spec = object([
//!     ("command", attr("command", "string").required()),
//!     ("args", default(attr("args", "list(string)"), literal("[]"))),
//!     ("port", block_list("port", object([("label", attr("label", "string"))])).max_items(4)),
//! ]);
//! spec.validate().expect("a valid schema");
//! ```

use std::collections::BTreeMap;
use std::fmt;

use crate::r#gen::hclspec as pb;

mod literal;
pub use literal::{LiteralValue, literal_str, literal_value};

/// One node of an hcldec spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Spec {
    /// Named sub-specs decoded from one body; the value is an object keyed like the map.
    Object(BTreeMap<String, Spec>),
    /// Specs whose values form a tuple.
    Array(Vec<Spec>),
    /// An attribute `name = value` of HCL type `ty`.
    Attr {
        /// HCL attribute name.
        name: String,
        /// HCL type expression: `string`, `number`, `bool`, `any`, `list(string)`, ...
        ty: String,
        /// Whether the operator must set it.
        required: bool,
    },
    /// A single nested block.
    Block {
        /// Block type name.
        name: String,
        /// Whether the block must be present.
        required: bool,
        /// Spec of the block body.
        nested: Box<Spec>,
    },
    /// A block whose attributes are all of one type, decoded as a map.
    BlockAttrs {
        /// Block type name.
        name: String,
        /// HCL type of every attribute.
        ty: String,
        /// Whether the block must be present.
        required: bool,
    },
    /// Repeated blocks decoded as a list.
    BlockList {
        /// Block type name.
        name: String,
        /// Minimum count (0: none).
        min_items: u64,
        /// Maximum count (0: unbounded).
        max_items: u64,
        /// Spec of each block body.
        nested: Box<Spec>,
    },
    /// Repeated blocks decoded as a set.
    BlockSet {
        /// Block type name.
        name: String,
        /// Minimum count (0: none).
        min_items: u64,
        /// Maximum count (0: unbounded).
        max_items: u64,
        /// Spec of each block body.
        nested: Box<Spec>,
    },
    /// Labelled blocks decoded as a map (one level per label).
    BlockMap {
        /// Block type name.
        name: String,
        /// Label names.
        labels: Vec<String>,
        /// Spec of each block body.
        nested: Box<Spec>,
    },
    /// `primary`, or `default` when the primary yields null.
    Default {
        /// The spec tried first.
        primary: Box<Spec>,
        /// Used when `primary` is null.
        default: Box<Spec>,
    },
    /// A constant HCL expression, e.g. `"\"5s\""` or `"[]"`.
    Literal(String),
}

/// An object of named specs.
pub fn object<K: Into<String>>(fields: impl IntoIterator<Item = (K, Spec)>) -> Spec {
    Spec::Object(fields.into_iter().map(|(k, v)| (k.into(), v)).collect())
}
/// A tuple of specs.
pub fn array(values: impl IntoIterator<Item = Spec>) -> Spec {
    Spec::Array(values.into_iter().collect())
}
/// An optional attribute; chain [`Spec::required`] to require it.
pub fn attr(name: impl Into<String>, ty: impl Into<String>) -> Spec {
    Spec::Attr {
        name: name.into(),
        ty: ty.into(),
        required: false,
    }
}
/// An optional single block.
pub fn block(name: impl Into<String>, nested: Spec) -> Spec {
    Spec::Block {
        name: name.into(),
        required: false,
        nested: Box::new(nested),
    }
}
/// A block of same-typed attributes.
pub fn block_attrs(name: impl Into<String>, ty: impl Into<String>) -> Spec {
    Spec::BlockAttrs {
        name: name.into(),
        ty: ty.into(),
        required: false,
    }
}
/// Repeated blocks as a list.
pub fn block_list(name: impl Into<String>, nested: Spec) -> Spec {
    Spec::BlockList {
        name: name.into(),
        min_items: 0,
        max_items: 0,
        nested: Box::new(nested),
    }
}
/// Repeated blocks as a set.
pub fn block_set(name: impl Into<String>, nested: Spec) -> Spec {
    Spec::BlockSet {
        name: name.into(),
        min_items: 0,
        max_items: 0,
        nested: Box::new(nested),
    }
}
/// Labelled blocks as a map.
pub fn block_map<L: Into<String>>(
    name: impl Into<String>,
    labels: impl IntoIterator<Item = L>,
    nested: Spec,
) -> Spec {
    Spec::BlockMap {
        name: name.into(),
        labels: labels.into_iter().map(Into::into).collect(),
        nested: Box::new(nested),
    }
}
/// `primary`, falling back to `default`.
pub fn default(primary: Spec, default: Spec) -> Spec {
    Spec::Default {
        primary: Box::new(primary),
        default: Box::new(default),
    }
}
/// A constant written as an HCL expression, e.g. `"\"5s\""`, `"[]"`, `"true"`. The host
/// evaluates it with no variables or functions, so `literal("x100")` is refused there (and by
/// [`Spec::validate`]): for a Rust value, use [`literal_str`] or [`literal_value`].
pub fn literal(expr: impl Into<String>) -> Spec {
    Spec::Literal(expr.into())
}

/// The largest block count Nomad's converter accepts (int32).
const MAX_ITEMS: u64 = i32::MAX as u64;

/// A schema mistake, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    /// Path of the offending node, e.g. `object.port.block_list`.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "hclspec at {}: {}", self.path, self.message)
    }
}
impl std::error::Error for SpecError {}

impl Spec {
    /// Marks an attribute or block required; other nodes are returned unchanged.
    pub fn required(mut self) -> Self {
        match &mut self {
            Spec::Attr { required, .. }
            | Spec::Block { required, .. }
            | Spec::BlockAttrs { required, .. } => *required = true,
            _ => {}
        }
        self
    }
    /// Sets the minimum count of a block list or set.
    pub fn min_items(mut self, n: u64) -> Self {
        if let Spec::BlockList { min_items, .. } | Spec::BlockSet { min_items, .. } = &mut self {
            *min_items = n;
        }
        self
    }
    /// Sets the maximum count of a block list or set.
    pub fn max_items(mut self, n: u64) -> Self {
        if let Spec::BlockList { max_items, .. } | Spec::BlockSet { max_items, .. } = &mut self {
            *max_items = n;
        }
        self
    }

    /// Checks what Nomad's converter would reject: empty names, unparsable type expressions,
    /// empty literals, min above max.
    pub fn validate(&self) -> Result<(), SpecError> {
        self.validate_at("root")
    }

    fn validate_at(&self, path: &str) -> Result<(), SpecError> {
        let err = |message: String| {
            Err(SpecError {
                path: path.to_string(),
                message,
            })
        };
        let need_name = |name: &str, kind: &str| {
            if name.is_empty() {
                err(format!("{kind} name must be non-empty"))
            } else if !crate::typeexpr::is_identifier(name) {
                err(format!(
                    "{kind} name {name:?} is not an HCL identifier (letters, digits, '_' and '-', \
                     not starting with a digit or '-')"
                ))
            } else {
                Ok(())
            }
        };
        match self {
            Spec::Object(fields) => {
                for (k, v) in fields {
                    if k.is_empty() {
                        return err("object keys must be non-empty".into());
                    }
                    v.validate_at(&format!("{path}.{k}"))?;
                }
                Ok(())
            }
            Spec::Array(values) => {
                for (i, v) in values.iter().enumerate() {
                    v.validate_at(&format!("{path}[{i}]"))?;
                }
                Ok(())
            }
            Spec::Attr { name, ty, .. } | Spec::BlockAttrs { name, ty, .. } => {
                need_name(name, "attribute")?;
                parse_type(ty).or_else(|e| err(format!("type of {name:?}: {e}")))
            }
            Spec::Block { name, nested, .. } | Spec::BlockMap { name, nested, .. } => {
                need_name(name, "block")?;
                if let Spec::BlockMap { labels, .. } = self
                    && (labels.is_empty()
                        || !labels.iter().all(|l| crate::typeexpr::is_identifier(l)))
                {
                    return err(format!(
                        "block map {name:?} needs labels, each an HCL identifier, got {labels:?}"
                    ));
                }
                nested.validate_at(&format!("{path}.{name}"))
            }
            Spec::BlockList {
                name,
                min_items,
                max_items,
                nested,
            }
            | Spec::BlockSet {
                name,
                min_items,
                max_items,
                nested,
            } => {
                need_name(name, "block")?;
                // Nomad's converter takes int32 bounds (go/hclspec itemBounds)
                if *min_items > MAX_ITEMS || *max_items > MAX_ITEMS {
                    return err(format!(
                        "block {name:?}: min_items and max_items must be at most {MAX_ITEMS}"
                    ));
                }
                if *max_items != 0 && min_items > max_items {
                    return err(format!(
                        "block {name:?}: min_items {min_items} is above max_items {max_items}"
                    ));
                }
                nested.validate_at(&format!("{path}.{name}"))
            }
            Spec::Default { primary, default } => {
                primary.validate_at(&format!("{path}.primary"))?;
                default.validate_at(&format!("{path}.default"))
            }
            Spec::Literal(v) => literal::check(v).or_else(err),
        }
    }

    pub(crate) fn to_proto(&self) -> pb::Spec {
        use pb::spec::Block as B;
        let block = match self {
            Spec::Object(fields) => B::Object(pb::Object {
                attributes: fields
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_proto()))
                    .collect(),
            }),
            Spec::Array(values) => B::Array(pb::Array {
                values: values.iter().map(Spec::to_proto).collect(),
            }),
            Spec::Attr { name, ty, required } => B::Attr(pb::Attr {
                name: name.clone(),
                r#type: ty.clone(),
                required: *required,
            }),
            Spec::Block {
                name,
                required,
                nested,
            } => B::BlockValue(Box::new(pb::Block {
                name: name.clone(),
                required: *required,
                nested: Some(Box::new(nested.to_proto())),
            })),
            Spec::BlockAttrs { name, ty, required } => B::BlockAttrs(pb::BlockAttrs {
                name: name.clone(),
                r#type: ty.clone(),
                required: *required,
            }),
            Spec::BlockList {
                name,
                min_items,
                max_items,
                nested,
            } => B::BlockList(Box::new(pb::BlockList {
                name: name.clone(),
                min_items: *min_items,
                max_items: *max_items,
                nested: Some(Box::new(nested.to_proto())),
            })),
            Spec::BlockSet {
                name,
                min_items,
                max_items,
                nested,
            } => B::BlockSet(Box::new(pb::BlockSet {
                name: name.clone(),
                min_items: *min_items,
                max_items: *max_items,
                nested: Some(Box::new(nested.to_proto())),
            })),
            Spec::BlockMap {
                name,
                labels,
                nested,
            } => B::BlockMap(Box::new(pb::BlockMap {
                name: name.clone(),
                labels: labels.clone(),
                nested: Some(Box::new(nested.to_proto())),
            })),
            Spec::Default { primary, default } => B::Default(Box::new(pb::Default {
                primary: Some(Box::new(primary.to_proto())),
                default: Some(Box::new(default.to_proto())),
            })),
            Spec::Literal(v) => B::Literal(pb::Literal { value: v.clone() }),
        };
        pb::Spec { block: Some(block) }
    }
}

/// Checks an HCL type expression: `string`, `number`, `bool`, `any`, `list(T)`, `set(T)`,
/// `map(T)`, `object({name=T, ...})` (attributes may be `optional(T)`), `tuple([T, ...])`.
/// Accepts exactly what Nomad's decoder (hcl/v2 typeexpr) accepts; spec/vectors/typeexpr.json is
/// the test.
pub fn parse_type(expr: &str) -> Result<(), String> {
    canonical_type(expr).map(|_| ())
}

/// [`parse_type`], returning the canonical form: no blanks, object attributes sorted,
/// `optional(T)` kept (e.g. `object({ b = number, a = string })` gives
/// `object({a=string,b=number})`).
pub fn canonical_type(expr: &str) -> Result<String, String> {
    crate::typeexpr::canonical_type(expr).map_err(|e| format!("{e} in {expr:?}"))
}

#[cfg(test)]
mod tests;
