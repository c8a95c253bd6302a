package host

import "google.golang.org/grpc"

// MaxRecvMsgSize caps one message from a plugin. go-plugin raises gRPC's
// 4 MiB default to 2 GiB, so a broken or hostile plugin could make the host
// allocate that much for a single answer; Nomad's messages (fingerprints,
// stats, events, schemas) are far smaller than this cap.
const MaxRecvMsgSize = 16 << 20

// limitDialOptions come after go-plugin's own dial options, so they win;
// the caller's Options.GRPCDialOptions come after these and can raise the cap.
func limitDialOptions(extra []grpc.DialOption) []grpc.DialOption {
	return append([]grpc.DialOption{grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(MaxRecvMsgSize))}, extra...)
}
