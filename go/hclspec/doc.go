// Package hclspec is the plugin author's schema DSL for Nomad plugin
// configuration and the bridge from a schema to HCL's hcldec specs. Plugins
// build a Spec with the constructors here (Object, Attr, Block, ...); hosts
// convert it with Convert, decode HCL with it, and encode the result as cty
// msgpack exactly as Nomad does.
//
// Spec is an opaque hand-written type, not the generated wire message: the
// SDK's public API names no generated type. It holds the wire form inside,
// so that a schema received from a plugin, valid or not, converts with
// exactly the errors Nomad's own converter would give. Marshal and Unmarshal
// read and write the serialized wire message
// (hashicorp.nomad.plugins.shared.hclspec.Spec) for programs that speak the
// raw protocol; the SDK itself converts through an internal package.
package hclspec
