// Package hclspec is the plugin author's schema DSL for Nomad plugin
// configuration and the bridge from the wire form (hclspecpb.Spec) to HCL's
// hcldec specs. Plugins build specs with the constructors here; hosts convert
// them with Convert, decode HCL with them, and encode the result as cty
// msgpack exactly as Nomad does.
package hclspec
