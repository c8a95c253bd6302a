package host

import (
	"testing"
)

// FuzzUnmarshalRecord: reattach records come back from the state file,
// which a crash or an operator may have damaged. Any bytes give a record
// or an error, never a panic, and an accepted record survives a round trip.
func FuzzUnmarshalRecord(f *testing.F) {
	f.Add([]byte(`{"protocol":"grpc","protocol_version":2,"network":"unix","address":"/tmp/plugin1","pid":42}`))
	f.Add([]byte(`{"protocol":"grpc","network":"tcp","address":"127.0.0.1:10000","pid":1}`))
	f.Add([]byte(`{"protocol":"netrpc","network":"unix","address":"/x","pid":1}`))
	f.Add([]byte(`{"protocol":"grpc","network":"unix","address":"/x","pid":1,"tls":{"client_cert_pem":"x","client_key_pem":"y","server_cert_pem":"z"}}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"pid":-1}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := UnmarshalRecord(b)
		if err != nil {
			return
		}
		again, err := MarshalRecord(r)
		if err != nil {
			t.Fatalf("accepted record does not marshal: %v", err)
		}
		if _, err := UnmarshalRecord(again); err != nil {
			t.Fatalf("accepted record does not round-trip: %v\n%s", err, again)
		}
	})
}
