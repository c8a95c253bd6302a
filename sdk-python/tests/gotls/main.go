package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"time"
)

func main() {
	if os.Args[1] == "gen" {
		key, _ := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
		sn, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
		host := "localhost"
		tmpl := &x509.Certificate{Subject: pkix.Name{CommonName: host, Organization: []string{"HashiCorp"}}, DNSNames: []string{host},
			ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth, x509.ExtKeyUsageServerAuth},
			KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment | x509.KeyUsageKeyAgreement | x509.KeyUsageCertSign,
			BasicConstraintsValid: true, SerialNumber: sn, NotBefore: time.Now().Add(-30 * time.Second), NotAfter: time.Now().Add(262980 * time.Hour), IsCA: true}
		der, _ := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
		kb, _ := x509.MarshalECPrivateKey(key)
		os.WriteFile(os.Args[2], pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0600)
		os.WriteFile(os.Args[3], pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0600)
		return
	}
	// dial <sock> <cert> <key> <servercertpem>
	c, err := tls.LoadX509KeyPair(os.Args[3], os.Args[4])
	if err != nil { panic(err) }
	sp, _ := os.ReadFile(os.Args[5])
	pool := x509.NewCertPool(); pool.AppendCertsFromPEM(sp)
	conn, err := net.Dial("unix", os.Args[2])
	if err != nil { panic(err) }
	tc := tls.Client(conn, &tls.Config{Certificates: []tls.Certificate{c}, RootCAs: pool, ServerName: "localhost", MinVersion: tls.VersionTLS12, NextProtos: []string{"h2"}})
	if err := tc.Handshake(); err != nil { fmt.Println("handshake error:", err); os.Exit(1) }
	tc.Write([]byte("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"))
	tc.Write([]byte{0, 0, 0, 4, 0, 0, 0, 0, 0})
	tc.SetReadDeadline(time.Now().Add(3 * time.Second))
	buf := make([]byte, 9)
	n, err := tc.Read(buf)
	if err != nil { fmt.Println("read error:", err); os.Exit(1) }
	fmt.Printf("ok frame type %d n=%d version=%x\n", buf[3], n, tc.ConnectionState().Version)
}
