//! Literal constants of a schema: typed constructors, and the check that a hand-written literal
//! is what the host will accept.
//!
//! The host (Nomad's `hclspecutils`, and `go/hclspec/convert.go` here) parses a literal's text as
//! an HCL expression and evaluates it with no variables and no functions. So `literal("x100")`
//! is not the string `x100`: it is a reference to a variable `x100`, which the host refuses when
//! the plugin loads. [`literal_str`] and [`literal_value`] build the expression from a Rust value
//! instead, and [`check`] (run by [`super::Spec::validate`]) refuses, with the reason, any
//! hand-written expression that names a variable or calls a function.

use std::collections::BTreeMap;

use super::Spec;

/// A constant value for [`literal_value`], written out as HCL for the host.
#[derive(Debug, Clone, PartialEq)]
pub enum LiteralValue {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// An integer.
    Int(i128),
    /// A number with a fraction; it must be finite.
    Float(f64),
    /// A string, taken verbatim (quotes, backslashes, `${` and `%{` are escaped).
    String(String),
    /// A list (an HCL tuple, converted by the attribute's type).
    List(Vec<LiteralValue>),
    /// A map (an HCL object, converted by the attribute's type).
    Map(BTreeMap<String, LiteralValue>),
}

macro_rules! from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for LiteralValue {
            fn from(v: $t) -> Self {
                LiteralValue::Int(i128::from(v))
            }
        }
    )*};
}
from_int!(i8, i16, i32, i64, u8, u16, u32, u64);

impl From<bool> for LiteralValue {
    fn from(v: bool) -> Self {
        LiteralValue::Bool(v)
    }
}
impl From<f64> for LiteralValue {
    fn from(v: f64) -> Self {
        LiteralValue::Float(v)
    }
}
impl From<&str> for LiteralValue {
    fn from(v: &str) -> Self {
        LiteralValue::String(v.to_string())
    }
}
impl From<String> for LiteralValue {
    fn from(v: String) -> Self {
        LiteralValue::String(v)
    }
}
impl<T: Into<LiteralValue>> From<Vec<T>> for LiteralValue {
    fn from(v: Vec<T>) -> Self {
        LiteralValue::List(v.into_iter().map(Into::into).collect())
    }
}
impl<K: Into<String>, T: Into<LiteralValue>> From<BTreeMap<K, T>> for LiteralValue {
    fn from(v: BTreeMap<K, T>) -> Self {
        LiteralValue::Map(v.into_iter().map(|(k, v)| (k.into(), v.into())).collect())
    }
}
impl<T: Into<LiteralValue>> From<Option<T>> for LiteralValue {
    fn from(v: Option<T>) -> Self {
        v.map_or(LiteralValue::Null, Into::into)
    }
}

impl LiteralValue {
    /// The HCL expression for this value. A non-finite float is written as `NaN`/`inf`, which
    /// [`Spec::validate`](crate::hclspec::Spec::validate) then refuses by name.
    pub fn to_hcl(&self) -> String {
        match self {
            LiteralValue::Null => "null".into(),
            LiteralValue::Bool(b) => b.to_string(),
            LiteralValue::Int(i) => i.to_string(),
            LiteralValue::Float(f) => format!("{f:?}"),
            LiteralValue::String(s) => quote(s),
            LiteralValue::List(items) => {
                let parts: Vec<String> = items.iter().map(LiteralValue::to_hcl).collect();
                format!("[{}]", parts.join(", "))
            }
            LiteralValue::Map(m) => {
                let parts: Vec<String> = m
                    .iter()
                    .map(|(k, v)| format!("{} = {}", quote(k), v.to_hcl()))
                    .collect();
                format!("{{{}}}", parts.join(", "))
            }
        }
    }
}

/// A literal holding `value`, written as HCL for the host: `literal_value(true)`,
/// `literal_value(Vec::<String>::new())`, `literal_value(5)`.
pub fn literal_value(value: impl Into<LiteralValue>) -> Spec {
    Spec::Literal(value.into().to_hcl())
}

/// A literal holding the string `s` verbatim (`literal_str("5s")` is the string `5s`, where
/// `literal("5s")` would be an invalid expression).
pub fn literal_str(s: &str) -> Spec {
    literal_value(s)
}

/// `s` as an HCL quoted string, taken verbatim: HCL knows fewer escapes than Rust, so control
/// characters become `\uNNNN`, and `${`/`%{` are doubled so that they are not templates (the
/// same rules as `go/hclspec`'s `LiteralString`).
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Checks a hand-written literal the way the host will use it: an HCL expression evaluated
/// without variables or functions. Refuses an empty text, unbalanced brackets, an unterminated
/// string, a variable reference (`x100`), a function call (`upper("a")`) and a non-finite
/// number, each with a message naming the token and the fix.
pub(crate) fn check(expr: &str) -> Result<(), String> {
    if expr.trim().is_empty() {
        return Err("literal must be a non-empty HCL expression such as \"\\\"5s\\\"\", \"[]\" or \"true\" (or use literal_str / literal_value)".into());
    }
    Scanner {
        s: expr.as_bytes(),
        i: 0,
        expr,
    }
    .scan()
}

struct Scanner<'a> {
    s: &'a [u8],
    i: usize,
    expr: &'a str,
}

impl Scanner<'_> {
    fn fail<T>(&self, why: String) -> Result<T, String> {
        Err(format!(
            "literal {:?}: {why}; Nomad evaluates a literal as an HCL expression without variables or functions",
            self.expr
        ))
    }

    fn scan(&mut self) -> Result<(), String> {
        // Open brackets, innermost last; `expect_key` is true where an object key may start.
        let mut open: Vec<u8> = Vec::new();
        let mut expect_key = false;
        let mut prev = b' ';
        while self.i < self.s.len() {
            let c = self.s[self.i];
            match c {
                b' ' | b'\t' | b'\r' => self.i += 1,
                b'\n' => {
                    self.i += 1;
                    expect_key = open.last() == Some(&b'{');
                }
                b'#' => self.skip_line(),
                b'/' if self.s.get(self.i + 1) == Some(&b'/') => self.skip_line(),
                b'/' if self.s.get(self.i + 1) == Some(&b'*') => {
                    match self.expr[self.i + 2..].find("*/") {
                        Some(n) => self.i += n + 4,
                        None => return self.fail("unterminated /* comment".into()),
                    }
                }
                b'0'..=b'9' => {
                    self.number();
                    expect_key = false;
                }
                b'"' => {
                    self.i += 1;
                    self.string()?;
                    expect_key = false;
                }
                b'(' | b'[' | b'{' => {
                    open.push(c);
                    self.i += 1;
                    expect_key = c == b'{';
                }
                b')' | b']' | b'}' => {
                    let want = match c {
                        b')' => b'(',
                        b']' => b'[',
                        _ => b'{',
                    };
                    if open.pop() != Some(want) {
                        return self.fail(format!("unbalanced {:?}", c as char));
                    }
                    self.i += 1;
                    expect_key = false;
                }
                b',' => {
                    self.i += 1;
                    expect_key = open.last() == Some(&b'{');
                }
                c if c.is_ascii_alphabetic() || c == b'_' => {
                    let start = self.i;
                    while self.i < self.s.len()
                        && (self.s[self.i].is_ascii_alphanumeric()
                            || matches!(self.s[self.i], b'_' | b'-'))
                    {
                        self.i += 1;
                    }
                    let word = &self.expr[start..self.i];
                    let next = self.expr[self.i..].trim_start();
                    let is_key = expect_key
                        && (next.starts_with(':')
                            || (next.starts_with('=') && !next.starts_with("==")));
                    if !(is_key || prev == b'.' || matches!(word, "true" | "false" | "null")) {
                        return self.fail(if matches!(word, "NaN" | "inf") {
                            format!("{word} is not a finite number")
                        } else if next.starts_with('(') {
                            format!("{word}(...) is a function call")
                        } else {
                            format!(
                                "{word} is a variable reference (for the string {word:?}, use literal_str({word:?}) or literal(\"\\\"{word}\\\"\"))"
                            )
                        });
                    }
                    expect_key = false;
                    prev = b'a';
                    continue;
                }
                _ => {
                    self.i += 1;
                    expect_key = false;
                }
            }
            prev = c;
        }
        if let Some(c) = open.pop() {
            return self.fail(format!("unclosed {:?}", c as char));
        }
        Ok(())
    }

    /// Digits, a fraction and an exponent (`1.5e-3`), so that `e3` is not taken for a name.
    fn number(&mut self) {
        let digits = |s: &mut Self| {
            while s.i < s.s.len() && s.s[s.i].is_ascii_digit() {
                s.i += 1;
            }
        };
        digits(self);
        if self.s.get(self.i) == Some(&b'.')
            && self.s.get(self.i + 1).is_some_and(u8::is_ascii_digit)
        {
            self.i += 1;
            digits(self);
        }
        if matches!(self.s.get(self.i), Some(b'e' | b'E')) {
            let mut j = self.i + 1;
            if matches!(self.s.get(j), Some(b'+' | b'-')) {
                j += 1;
            }
            if self.s.get(j).is_some_and(u8::is_ascii_digit) {
                self.i = j;
                digits(self);
            }
        }
    }

    fn skip_line(&mut self) {
        while self.i < self.s.len() && self.s[self.i] != b'\n' {
            self.i += 1;
        }
    }

    /// After the opening quote: to just past the closing one. An interpolation `${...}` is an
    /// expression too, and so is the condition of `%{ if ... }`; a `%{ for }` directive is refused.
    fn string(&mut self) -> Result<(), String> {
        while self.i < self.s.len() {
            match self.s[self.i] {
                b'\\' => self.i += 2,
                b'"' => {
                    self.i += 1;
                    return Ok(());
                }
                b'$' | b'%' if self.s.get(self.i + 1) == Some(&self.s[self.i]) => self.i += 2,
                b'$' if self.s.get(self.i + 1) == Some(&b'{') => {
                    let Some(n) = self.expr[self.i..].find('}') else {
                        return self.fail("unterminated ${ in a string".into());
                    };
                    let inner = &self.expr[self.i + 2..self.i + n];
                    Scanner {
                        s: inner.as_bytes(),
                        i: 0,
                        expr: inner,
                    }
                    .scan()
                    .or_else(|e| self.fail(format!("in its interpolation: {e}")))?;
                    self.i += n + 1;
                }
                b'%' if self.s.get(self.i + 1) == Some(&b'{') => {
                    let Some(n) = self.expr[self.i..].find('}') else {
                        return self.fail("unterminated %{ in a string".into());
                    };
                    let inner = self.expr[self.i + 2..self.i + n].trim_matches(['~', ' ']);
                    let (word, rest) = inner.split_once(' ').unwrap_or((inner, ""));
                    match word {
                        "if" => Scanner {
                            s: rest.as_bytes(),
                            i: 0,
                            expr: rest,
                        }
                        .scan()
                        .or_else(|e| self.fail(format!("in its %{{if}}: {e}")))?,
                        "else" | "endif" if rest.trim().is_empty() => {}
                        _ => {
                            return self.fail(format!(
                                "the template directive %{{{inner}}} is not a constant (write %%{{ for the text)"
                            ));
                        }
                    }
                    self.i += n + 1;
                }
                _ => self.i += 1,
            }
        }
        self.fail("unterminated string".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_values_render_as_the_host_reads_them() {
        assert_eq!(literal_str("x100"), Spec::Literal("\"x100\"".into()));
        assert_eq!(literal_value(true), Spec::Literal("true".into()));
        assert_eq!(literal_value(5u32), Spec::Literal("5".into()));
        assert_eq!(literal_value(-2.5), Spec::Literal("-2.5".into()));
        assert_eq!(
            literal_value(Vec::<String>::new()),
            Spec::Literal("[]".into())
        );
        assert_eq!(
            literal_value(vec!["a", "b"]),
            Spec::Literal("[\"a\", \"b\"]".into())
        );
        let m: BTreeMap<&str, i64> = [("a", 1), ("b c", 2)].into_iter().collect();
        assert_eq!(
            literal_value(m),
            Spec::Literal("{\"a\" = 1, \"b c\" = 2}".into())
        );
        assert_eq!(literal_value(None::<bool>), Spec::Literal("null".into()));
        // Escapes and templates: verbatim text, as go/hclspec's LiteralString writes it.
        assert_eq!(
            literal_str("q\"b\\n\n${x}%{y}\u{1}"),
            Spec::Literal("\"q\\\"b\\\\n\\n$${x}%%{y}\\u0001\"".into())
        );
        for spec in [
            literal_str("x100"),
            literal_str("${x}"),
            literal_value(vec![1, 2]),
            literal_value(LiteralValue::Map(BTreeMap::new())),
        ] {
            spec.validate().unwrap();
        }
    }

    #[test]
    fn hand_written_literals_are_checked_as_the_host_evaluates_them() {
        // Accepted by go/hclspec's convertLiteral (hclsyntax.ParseExpression + Value(nil)).
        for ok in [
            "\"x100\"",
            "[]",
            "true",
            "null",
            "-1.5e3",
            "{a = 1, \"b\" = [true, false]}",
            "{\n  a = 1\n  b: \"x\"\n}",
            "\"a ${1 + 2} $${raw} %%{raw}\"",
            "{a = 1}.a",
            "1 == 1",
            "\"%{ if true }a%{ else }b%{ endif }\"",
            "# note\n[1] // end",
        ] {
            assert_eq!(check(ok), Ok(()), "{ok}");
        }
        // Refused by the host when the plugin loads: each must fail here, naming the problem.
        for (bad, why) in [
            ("x100", "x100 is a variable reference"),
            ("5s", "s is a variable reference"),
            ("[a]", "a is a variable reference"),
            ("{a = b}", "b is a variable reference"),
            ("upper(\"a\")", "upper(...) is a function call"),
            ("\"${x}\"", "x is a variable reference"),
            ("\"%{ for x in [1] }${x}%{ endfor }\"", "template directive"),
            ("\"%{ if y }a%{ endif }\"", "y is a variable reference"),
            ("\"open", "unterminated string"),
            ("[1, 2", "unclosed '['"),
            ("[1)", "unbalanced ')'"),
            ("NaN", "not a finite number"),
            ("   ", "non-empty"),
        ] {
            let e = check(bad).expect_err(bad);
            assert!(e.contains(why), "{bad}: {e}");
        }
        let e = super::super::literal("x100").validate().unwrap_err();
        assert!(e.message.contains("literal_str(\"x100\")"), "{e}");
        let e = literal_value(f64::INFINITY).validate().unwrap_err();
        assert!(e.message.contains("inf is not a finite number"), "{e}");
    }
}
