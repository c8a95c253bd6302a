package host

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net"

	plugin "github.com/hashicorp/go-plugin"
)

// Record is everything needed to reattach to a running plugin process. It is
// plain data (JSON-serialisable); when TLS is set it contains a private key, so
// store it with mode 0600.
type Record struct {
	// Protocol is go-plugin's protocol, always "grpc" for Nomad plugins.
	Protocol string `json:"protocol"`
	// ProtocolVersion is the negotiated application protocol version (2).
	ProtocolVersion int `json:"protocol_version"`
	// Network is "unix" or "tcp"; Address the socket path or host:port.
	Network string `json:"network"`
	Address string `json:"address"`
	// Pid of the plugin process.
	Pid int `json:"pid"`
	// TLS holds the AutoMTLS material of the first launch; nil for plaintext.
	TLS *TLSRecord `json:"tls,omitempty"`
}

// TLSRecord is the AutoMTLS material: the host's client certificate and key
// (which the plugin trusts) and the plugin's server certificate (which the host
// trusts), all PEM.
type TLSRecord struct {
	ClientCertPEM string `json:"client_cert_pem"`
	ClientKeyPEM  string `json:"client_key_pem"`
	ServerCertPEM string `json:"server_cert_pem"`
}

func recordFrom(rc *plugin.ReattachConfig) Record {
	r := Record{Protocol: string(rc.Protocol), ProtocolVersion: rc.ProtocolVersion, Pid: rc.Pid}
	if rc.Addr != nil {
		r.Network, r.Address = rc.Addr.Network(), rc.Addr.String()
	}
	return r
}

// MarshalRecord encodes a record as JSON.
func MarshalRecord(r Record) ([]byte, error) { return json.MarshalIndent(r, "", "  ") }

// UnmarshalRecord decodes and validates a JSON record.
func UnmarshalRecord(b []byte) (Record, error) {
	var r Record
	if err := json.Unmarshal(b, &r); err != nil {
		return Record{}, fmt.Errorf("host: reattach record: expected a JSON object, got %w", err)
	}
	if _, err := r.reattachConfig(); err != nil {
		return Record{}, err
	}
	if r.TLS != nil {
		if _, err := r.TLS.clientConfig(); err != nil {
			return Record{}, err
		}
	}
	return r, nil
}

func (r Record) reattachConfig() (*plugin.ReattachConfig, error) {
	if r.Protocol != string(plugin.ProtocolGRPC) {
		return nil, fmt.Errorf("host: reattach record field protocol: expected %q, got %q", plugin.ProtocolGRPC, r.Protocol)
	}
	if r.Pid <= 0 {
		return nil, fmt.Errorf("host: reattach record field pid: expected a positive process id, got %d", r.Pid)
	}
	var addr net.Addr
	var err error
	switch r.Network {
	case "unix":
		addr, err = net.ResolveUnixAddr("unix", r.Address)
	case "tcp":
		addr, err = net.ResolveTCPAddr("tcp", r.Address)
	default:
		return nil, fmt.Errorf("host: reattach record field network: expected \"unix\" or \"tcp\", got %q", r.Network)
	}
	if err != nil || r.Address == "" {
		return nil, fmt.Errorf("host: reattach record field address: expected a %s address, got %q", r.Network, r.Address)
	}
	return &plugin.ReattachConfig{
		Protocol:        plugin.ProtocolGRPC,
		ProtocolVersion: r.ProtocolVersion,
		Addr:            addr,
		Pid:             r.Pid,
	}, nil
}

func tlsRecordFrom(cfg *tls.Config, serverDER []byte) (*TLSRecord, error) {
	if len(cfg.Certificates) != 1 || len(cfg.Certificates[0].Certificate) == 0 {
		return nil, errors.New("host: AutoMTLS produced no client certificate")
	}
	if len(serverDER) == 0 {
		return nil, errors.New("host: AutoMTLS: the plugin presented no server certificate")
	}
	c := cfg.Certificates[0]
	keyDER, err := x509.MarshalPKCS8PrivateKey(c.PrivateKey)
	if err != nil {
		return nil, fmt.Errorf("host: encoding AutoMTLS client key: %w", err)
	}
	return &TLSRecord{
		ClientCertPEM: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Certificate[0]})),
		ClientKeyPEM:  string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})),
		ServerCertPEM: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: serverDER})),
	}, nil
}

// clientConfig rebuilds the TLS configuration go-plugin's AutoMTLS had.
func (t *TLSRecord) clientConfig() (*tls.Config, error) {
	cert, err := tls.X509KeyPair([]byte(t.ClientCertPEM), []byte(t.ClientKeyPEM))
	if err != nil {
		return nil, fmt.Errorf("host: reattach record fields tls.client_cert_pem/client_key_pem: expected a PEM certificate and matching key, got %w", err)
	}
	block, _ := pem.Decode([]byte(t.ServerCertPEM))
	if block == nil || block.Type != "CERTIFICATE" {
		return nil, errors.New("host: reattach record field tls.server_cert_pem: expected a PEM CERTIFICATE block, got none")
	}
	server, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("host: reattach record field tls.server_cert_pem: %w", err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(server)
	return &tls.Config{
		Certificates: []tls.Certificate{cert},
		RootCAs:      pool,
		ClientCAs:    pool,
		ClientAuth:   tls.RequireAndVerifyClientCert,
		MinVersion:   tls.VersionTLS12,
		ServerName:   "localhost",
	}, nil
}
