//! HCL type expressions, parsed as Nomad's decoder parses them.
//!
//! Nomad turns an hclspec `type` string into a cty type with hcl/v2's native syntax parser and
//! ext/typeexpr. This module accepts exactly what that pair accepts (spec/vectors/typeexpr.json,
//! cut from Go, is the test) and returns the canonical form: no blanks, object attributes
//! sorted, `optional(T)` kept.
//!
//! What HCL allows and this follows: blanks, newlines and comments (`#`, `//`, `/* */`) between
//! tokens; newlines are insignificant inside `(...)` and `[...]` but separate attributes inside an
//! object's `{...}` (a newline or a comma ends an attribute; `=` or `:` introduces its type);
//! trailing commas; Unicode identifiers with `-`; `optional(T)` only as an object attribute's
//! type; at most [`MAX_NESTING`] nested brackets (yurt's input limit, go/inputlimit).

use std::collections::BTreeMap;

/// The most brackets a type expression may nest (go/inputlimit.MaxNesting).
pub(crate) const MAX_NESTING: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Ident(String),
    Punct(char),
    Newline,
}

#[derive(Debug, Clone)]
struct Tok {
    kind: Kind,
    at: usize,
}

/// An HCL identifier (hclsyntax.ValidIdentifier): a letter or `_`, then letters, digits, `_`
/// or `-`.
pub(crate) fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if ident_start(c)) && chars.all(ident_continue)
}

fn ident_start(c: char) -> bool {
    c == '_' || c.is_alphabetic()
}

fn ident_continue(c: char) -> bool {
    c == '-' || c == '_' || c.is_alphanumeric()
}

fn tokens(expr: &str) -> Result<Vec<Tok>, String> {
    let mut toks: Vec<Tok> = Vec::new();
    let mut stack: Vec<char> = Vec::new();
    let mut i = 0;
    while i < expr.len() {
        let rest = &expr[i..];
        let c = rest.chars().next().unwrap_or(' ');
        if c == ' ' || c == '\t' {
            i += 1;
        } else if c == '\n' || rest.starts_with("\r\n") {
            // significant only directly inside an object's braces
            if stack.last() == Some(&'{') && toks.last().map(|t| &t.kind) != Some(&Kind::Newline) {
                toks.push(Tok {
                    kind: Kind::Newline,
                    at: i,
                });
            }
            i += if c == '\r' { 2 } else { 1 };
        } else if c == '#' || rest.starts_with("//") {
            // up to the newline, which is the separator
            i += rest.find('\n').unwrap_or(rest.len());
        } else if let Some(body) = rest.strip_prefix("/*") {
            let end = body
                .find("*/")
                .ok_or_else(|| format!("unterminated /* comment at offset {i}"))?;
            i += end + 4;
        } else if "(){}[],=:".contains(c) {
            match c {
                '(' | '[' | '{' => {
                    stack.push(c);
                    if stack.len() > MAX_NESTING {
                        return Err(format!(
                            "nested deeper than {MAX_NESTING} brackets at offset {i}"
                        ));
                    }
                }
                ')' | ']' | '}' => {
                    stack.pop();
                }
                _ => {}
            }
            toks.push(Tok {
                kind: Kind::Punct(c),
                at: i,
            });
            i += 1;
        } else if ident_start(c) {
            let start = i;
            i += c.len_utf8();
            while let Some(d) = expr[i..].chars().next() {
                if !ident_continue(d) {
                    break;
                }
                i += d.len_utf8();
            }
            toks.push(Tok {
                kind: Kind::Ident(expr[start..i].to_string()),
                at: start,
            });
        } else {
            return Err(format!("unexpected character {c:?} at offset {i}"));
        }
    }
    Ok(toks)
}

struct Parser<'a> {
    expr: &'a str,
    toks: Vec<Tok>,
    i: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.i)
    }
    fn is(&self, c: char) -> bool {
        matches!(self.peek(), Some(Tok { kind: Kind::Punct(p), .. }) if *p == c)
    }
    fn fail(&self, what: &str) -> String {
        match self.peek() {
            None => format!(
                "expected {what} at offset {}, got end of input",
                self.expr.len()
            ),
            Some(t) => {
                let got = match &t.kind {
                    Kind::Ident(s) => format!("{s:?}"),
                    Kind::Punct(c) => format!("'{c}'"),
                    Kind::Newline => "a newline".into(),
                };
                format!("expected {what} at offset {}, got {got}", t.at)
            }
        }
    }
    fn take(&mut self, c: char, what: &str) -> Result<(), String> {
        if self.is(c) {
            self.i += 1;
            Ok(())
        } else {
            Err(self.fail(what))
        }
    }
    fn skip_newlines(&mut self) {
        while matches!(
            self.peek(),
            Some(Tok {
                kind: Kind::Newline,
                ..
            })
        ) {
            self.i += 1;
        }
    }
    /// After `name(` and one argument: an optional trailing comma, then `)`.
    fn close(&mut self, name: &str, one: &str) -> Result<(), String> {
        if self.is(',') {
            self.i += 1;
        }
        match self.peek() {
            None => Err(self.fail(&format!("')' closing {name}("))),
            Some(t) if t.kind == Kind::Punct(')') => {
                self.i += 1;
                Ok(())
            }
            Some(t) => Err(format!(
                "{name}(...) takes exactly one argument, {one} (offset {})",
                t.at
            )),
        }
    }

    fn ty(&mut self, in_object: bool) -> Result<String, String> {
        let (name, at) = match self.peek() {
            Some(Tok {
                kind: Kind::Ident(s),
                at,
            }) => (s.clone(), *at),
            _ => return Err(self.fail("a type")),
        };
        self.i += 1;
        let called = self.is('(');
        match name.as_str() {
            "string" | "number" | "bool" | "any" => {
                return if called {
                    Err(format!("{name:?} at offset {at} is not a type constructor"))
                } else {
                    Ok(name)
                };
            }
            "list" | "set" | "map" | "object" | "tuple" => {}
            "optional" if in_object => {}
            "optional" => {
                return Err(format!(
                    "optional(T) at offset {at} is valid only as an object attribute's type"
                ));
            }
            _ => {
                return Err(format!(
                    "unknown type {name:?} at offset {at} (expected string, number, bool, any, \
                     list(T), set(T), map(T), object({{...}}) or tuple([...]))"
                ));
            }
        }
        if !called {
            return Err(format!(
                "{name:?} at offset {at} needs an argument: {name}(...)"
            ));
        }
        self.i += 1; // (
        match name.as_str() {
            "object" => {
                let body = self.object_body()?;
                self.close(&name, "the attribute types as {name = type, ...}")?;
                Ok(format!("object({{{body}}})"))
            }
            "tuple" => {
                let items = self.tuple_body()?;
                self.close(&name, "the element types as [type, ...]")?;
                Ok(format!("tuple([{items}])"))
            }
            "optional" => {
                let inner = self.ty(false)?;
                self.close(&name, "the attribute type (defaults are not supported)")?;
                Ok(format!("optional({inner})"))
            }
            _ => {
                let inner = self.ty(false)?;
                self.close(&name, "the element type")?;
                Ok(format!("{name}({inner})"))
            }
        }
    }

    fn object_body(&mut self) -> Result<String, String> {
        self.take('{', "'{' (object attributes)")?;
        let mut attrs: BTreeMap<String, String> = BTreeMap::new();
        self.skip_newlines();
        while self.peek().is_some() && !self.is('}') {
            let (key, at) = match self.peek() {
                Some(Tok {
                    kind: Kind::Ident(s),
                    at,
                }) => (s.clone(), *at),
                _ => return Err(self.fail("an attribute name")),
            };
            self.i += 1;
            if attrs.contains_key(&key) {
                return Err(format!("attribute {key:?} at offset {at} is repeated"));
            }
            if self.is('=') || self.is(':') {
                self.i += 1;
            } else {
                return Err(self.fail("'=' after the attribute name"));
            }
            let ty = self.ty(true)?;
            attrs.insert(key, ty);
            match self.peek() {
                None => break,
                Some(t) if matches!(t.kind, Kind::Newline | Kind::Punct(',')) => {
                    self.i += 1;
                    self.skip_newlines();
                }
                Some(t) if t.kind == Kind::Punct('}') => {}
                Some(_) => return Err(self.fail("',' or a newline between attributes")),
            }
        }
        self.take('}', "'}'")?;
        Ok(attrs
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(","))
    }

    fn tuple_body(&mut self) -> Result<String, String> {
        self.take('[', "'[' (tuple element types)")?;
        let mut items = Vec::new();
        while self.peek().is_some() && !self.is(']') {
            items.push(self.ty(false)?);
            if self.is(',') {
                self.i += 1;
            } else if !self.is(']') {
                return Err(self.fail("',' between tuple elements"));
            }
        }
        self.take(']', "']'")?;
        Ok(items.join(","))
    }
}

/// Parses `expr` as Nomad does and returns its canonical form.
pub(crate) fn canonical_type(expr: &str) -> Result<String, String> {
    if expr.trim().is_empty() {
        return Err("expected a type, got an empty string".into());
    }
    let mut p = Parser {
        expr,
        toks: tokens(expr)?,
        i: 0,
    };
    let ty = p.ty(false)?;
    if let Some(t) = p.peek() {
        return Err(format!(
            "unexpected {} at offset {} after the type",
            match &t.kind {
                Kind::Ident(s) => format!("{s:?}"),
                Kind::Punct(c) => format!("'{c}'"),
                Kind::Newline => "a newline".into(),
            },
            t.at
        ));
    }
    Ok(ty)
}
