package vectors

import (
	"crypto/ed25519"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"math/big"
	"strings"
	"time"
)

// HandshakeLine is one line a plugin prints on stdout and whether go-plugin's
// client, configured as Nomad's, accepts it.
type HandshakeLine struct {
	Name string `json:"name"`
	Line string `json:"line"`
	OK   bool   `json:"ok"`
	// Network and Address are what the host connects to, for accepted lines.
	Network string `json:"network,omitempty"`
	Address string `json:"address,omitempty"`
	// Cert says whether the host took a server certificate from field 6.
	Cert bool `json:"cert,omitempty"`
	// Needs: "x509" when the outcome depends on parsing the certificate's
	// DER (an SDK's parser that only base64-decodes it skips the vector).
	Needs   []string `json:"needs,omitempty"`
	GoError string   `json:"go_error,omitempty"`
}

// testCert is a fixed, deterministic self-signed certificate (ed25519 from a
// fixed seed), so the vectors do not change between runs.
func testCert() []byte {
	key := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "localhost", Organization: []string{"HashiCorp"}},
		DNSNames:     []string{"localhost"},
		NotBefore:    time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:     time.Date(2036, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	der, err := x509.CreateCertificate(nil, tmpl, tmpl, key.Public(), key)
	if err != nil {
		panic("vectors: test certificate: " + err.Error())
	}
	return der
}

type lineCase struct {
	name, line string
	needs      []string
}

func handshakeCases() []lineCase {
	cert := base64.RawStdEncoding.EncodeToString(testCert())
	padded := base64.StdEncoding.EncodeToString(append(testCert(), 0)) // length not a multiple of 3: padded
	x509 := []string{"x509"}
	return []lineCase{
		{"unix socket, no cert", "1|2|unix|/tmp/plugin123|grpc|", nil},
		{"unix socket, five fields", "1|2|unix|/tmp/plugin123|grpc", nil},
		{"tcp, no cert", "1|2|tcp|127.0.0.1:10000|grpc|", nil},
		{"tcp ipv6", "1|2|tcp|[::1]:10000|grpc|", nil},
		{"with the server certificate", "1|2|unix|/tmp/plugin123|grpc|" + cert, nil},
		{"with a multiplexing field", "1|2|unix|/tmp/plugin123|grpc||false", nil},
		{"surrounding blanks are trimmed", "  1|2|unix|/tmp/p|grpc|\t", nil},
		{"leading zeros", "01|02|unix|/tmp/p|grpc|", nil},
		{"plus sign", "+1|+2|unix|/tmp/p|grpc|", nil},
		{"short field 6 is ignored", "1|2|unix|/tmp/p|grpc|not-a-cert", nil},
		{"50 characters in field 6 are ignored", "1|2|unix|/tmp/p|grpc|" + strings.Repeat("A", 50), nil},
		{"unix path with spaces", "1|2|unix|/tmp/a b/plugin|grpc|", nil},
		{"four fields means net/rpc", "1|2|unix|/tmp/p", nil},
		{"netrpc protocol", "1|2|unix|/tmp/p|netrpc|", nil},
		{"protocol in capitals", "1|2|unix|/tmp/p|GRPC|", nil},
		{"empty line", "", nil},
		{"not a handshake", "hello world", nil},
		{"three fields", "1|2|unix", nil},
		{"core version 2", "2|2|unix|/tmp/p|grpc|", nil},
		{"core version 0", "0|2|unix|/tmp/p|grpc|", nil},
		{"core version not a number", "x|2|unix|/tmp/p|grpc|", nil},
		{"core version with a space", " 1 |2|unix|/tmp/p|grpc|", nil},
		{"app version 1", "1|1|unix|/tmp/p|grpc|", nil},
		{"app version 3", "1|3|unix|/tmp/p|grpc|", nil},
		{"app version not a number", "1|two|unix|/tmp/p|grpc|", nil},
		{"app version empty", "1||unix|/tmp/p|grpc|", nil},
		{"app version with a space", "1| 2|unix|/tmp/p|grpc|", nil},
		{"udp network", "1|2|udp|127.0.0.1:1|grpc|", nil},
		{"network in capitals", "1|2|TCP|127.0.0.1:1|grpc|", nil},
		{"tcp without a port", "1|2|tcp|127.0.0.1|grpc|", nil},
		{"tcp port out of range", "1|2|tcp|127.0.0.1:70000|grpc|", nil},
		{"padded base64 certificate", "1|2|unix|/tmp/p|grpc|" + padded, nil},
		{"url-safe base64 certificate", "1|2|unix|/tmp/p|grpc|" + strings.NewReplacer("+", "-", "/", "_").Replace(cert) + "-_", nil},
		{"base64 that is not a certificate", "1|2|unix|/tmp/p|grpc|" + base64.RawStdEncoding.EncodeToString([]byte(strings.Repeat("not a certificate ", 4))), x509},
	}
}

// HandshakeLines computes the handshake-line vectors with go-plugin's client.
func HandshakeLines() []HandshakeLine {
	var out []HandshakeLine
	for _, c := range handshakeCases() {
		v := HandshakeLine{Name: c.name, Line: c.line, Needs: c.needs}
		err, _ := runClient(c.line+"\n", "")
		if err != nil {
			v.GoError = err.Error()
		} else {
			parts := strings.Split(strings.TrimSpace(c.line), "|")
			v.OK, v.Network, v.Address = true, parts[2], parts[3]
			v.Cert = len(parts) >= 6 && len(parts[5]) > 50
		}
		out = append(out, v)
	}
	return out
}
