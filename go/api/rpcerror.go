package api

import "regexp"

// rpcFraming is how grpc-go's status.Error prints: "rpc error: code = X desc = ".
var rpcFraming = regexp.MustCompile(`rpc error: code = ([A-Za-z]+) desc = `)

// SplitRPCError removes every gRPC framing ("rpc error: code = X desc = ")
// from msg, so that a user reads the plugin's own words, and returns the
// innermost code (the plugin's; outer ones were added on the way), or ""
// when msg has none.
func SplitRPCError(msg string) (clean, code string) {
	m := rpcFraming.FindAllStringSubmatch(msg, -1)
	if len(m) == 0 {
		return msg, ""
	}
	return rpcFraming.ReplaceAllString(msg, ""), m[len(m)-1][1]
}
