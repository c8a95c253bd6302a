//! Tests of the schema builder and the type-expression parser.

use super::*;
use proptest::prelude::*;

#[test]
fn types() {
    for ok in [
        "string",
        "number",
        " bool ",
        "any",
        "list(string)",
        "map(list(number))",
        "object({a=string, b = optional(number),})",
        "object({})",
        "tuple([string, number])",
        "set(object({x=bool}))",
    ] {
        assert_eq!(parse_type(ok), Ok(()), "{ok}");
    }
    for bad in [
        "",
        "str",
        "list",
        "list(",
        "list(string",
        "map()",
        "object({a})",
        "optional(string)",
        "tuple([string,,])",
        "string string",
    ] {
        assert!(parse_type(bad).is_err(), "{bad} should fail");
    }
}

#[test]
fn validation_names_the_node() {
    let s = object([("a", object([("b", attr("b", "lisst(string)"))]))]);
    let e = s.validate().unwrap_err();
    assert_eq!(e.path, "root.a.b");
    assert!(e.message.contains("unknown type \"lisst\""), "{e}");

    let e = object([("x", attr("", "string"))]).validate().unwrap_err();
    assert!(e.message.contains("non-empty"), "{e}");
    let e = block_list("p", object::<&str>([]))
        .min_items(3)
        .max_items(1)
        .validate()
        .unwrap_err();
    assert!(e.message.contains("min_items 3"), "{e}");
    assert!(literal(" ").validate().is_err());
    assert!(
        block_map("m", Vec::<String>::new(), object::<&str>([]))
            .validate()
            .is_err()
    );
}

#[test]
fn converts_to_the_wire_form() {
    use pb::spec::Block as B;
    let s = object([
        ("command", attr("command", "string").required()),
        ("args", default(attr("args", "list(string)"), literal("[]"))),
        (
            "ports",
            block_list("port", object([("l", attr("l", "string"))])).max_items(2),
        ),
    ]);
    s.validate().unwrap();
    let p = s.to_proto();
    let Some(B::Object(o)) = p.block else {
        panic!("object expected")
    };
    assert_eq!(o.attributes.len(), 3);
    match &o.attributes["command"].block {
        Some(B::Attr(a)) => {
            assert_eq!(
                (a.name.as_str(), a.r#type.as_str(), a.required),
                ("command", "string", true)
            )
        }
        other => panic!("{other:?}"),
    }
    match &o.attributes["args"].block {
        Some(B::Default(d)) => {
            let lit = d.default.as_ref().unwrap();
            assert_eq!(
                lit.block,
                Some(B::Literal(pb::Literal { value: "[]".into() }))
            );
        }
        other => panic!("{other:?}"),
    }
    match &o.attributes["ports"].block {
        Some(B::BlockList(b)) => assert_eq!((b.name.as_str(), b.max_items), ("port", 2)),
        other => panic!("{other:?}"),
    }
}

proptest! {
    #[test]
    fn type_parser_never_panics(s in "[a-z(){}\\[\\]=, ]{0,60}") {
        let _ = parse_type(&s);
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed(n in 101usize..2000) {
        let s = format!("{}string{}", "list(".repeat(n), ")".repeat(n));
        prop_assert!(parse_type(&s).is_err());
    }
}
