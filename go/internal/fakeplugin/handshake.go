package main

// The go-plugin server side, by hand: cookie, protocol version, listener,
// AutoMTLS certificate, the handshake line, and the gRPC services every
// go-plugin server has (health, controller, stdio, broker).

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/yurt-sdk/yurt/go/gen/basepb"
	"github.com/yurt-sdk/yurt/go/gen/devicepb"
	"github.com/yurt-sdk/yurt/go/gen/driverpb"
	"github.com/yurt-sdk/yurt/go/gen/nomadconst"
	"github.com/yurt-sdk/yurt/go/gen/pluginpb"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/protobuf/types/known/emptypb"
)

const cookieKey, cookieValue = nomadconst.MagicCookieKey, nomadconst.MagicCookieValue

// serve completes the handshake and serves mode ("driver" or "device")
// until GRPCController.Shutdown.
func serve(mode string, useTCP bool) {
	if !fault("ignore-cookie") && os.Getenv(cookieKey) != cookieValue {
		fmt.Fprintln(os.Stderr, "This binary is a plugin. These are not meant to be executed directly.")
		os.Exit(1)
	}
	if !fault("dies-on-sigint") {
		signal.Ignore(syscall.SIGINT)
	}
	signal.Ignore(syscall.SIGPIPE)

	version := "2"
	if !fault("wrong-version") {
		offered := strings.Split(os.Getenv("PLUGIN_PROTOCOL_VERSIONS"), ",")
		found := false
		for _, v := range offered {
			if strings.TrimSpace(v) == "2" {
				found = true
			}
		}
		if !found {
			logf("warn", "host offers protocol versions %q, serving 2 anyway", offered)
		}
		if fault("first-offered-version") {
			version = strings.TrimSpace(offered[0])
		}
	} else {
		version = "1"
	}

	var creds credentials.TransportCredentials
	certField := ""
	if pemCert := os.Getenv("PLUGIN_CLIENT_CERT"); pemCert != "" || fault("cert-always") {
		cert, der := serverCert()
		cfg := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		if pemCert != "" && !fault("no-client-auth") {
			pool := x509.NewCertPool()
			if !pool.AppendCertsFromPEM([]byte(pemCert)) {
				fmt.Fprintln(os.Stderr, "PLUGIN_CLIENT_CERT: expected a PEM certificate")
				os.Exit(1)
			}
			cfg.ClientCAs, cfg.ClientAuth = pool, tls.RequireAndVerifyClientCert
		}
		creds = credentials.NewTLS(cfg)
		if fault("pad-cert") {
			certField = base64.StdEncoding.EncodeToString(der)
		} else {
			certField = base64.RawStdEncoding.EncodeToString(der)
		}
	}

	network, addr := "unix", ""
	if useTCP {
		network = "tcp"
	}
	listen := func() net.Listener {
		if useTCP {
			lo, _ := strconv.Atoi(os.Getenv("PLUGIN_MIN_PORT"))
			hi, _ := strconv.Atoi(os.Getenv("PLUGIN_MAX_PORT"))
			if fault("ignore-port-range") {
				lo, hi = 0, 0
			}
			for p := lo; p <= hi; p++ {
				if l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p)); err == nil {
					return l
				}
			}
			fmt.Fprintln(os.Stderr, "couldn't bind plugin TCP listener")
			os.Exit(1)
		}
		l, err := net.Listen("unix", addr)
		if err != nil {
			fmt.Fprintln(os.Stderr, "listen:", err)
			os.Exit(1)
		}
		return l
	}
	if !useTCP {
		dir := os.Getenv("PLUGIN_UNIX_SOCKET_DIR")
		if dir == "" || fault("ignore-socket-dir") {
			dir = os.TempDir()
		}
		addr = filepath.Join(dir, fmt.Sprintf("fakeplugin-%d-%d.sock", os.Getpid(), time.Now().UnixNano()))
	}
	var l net.Listener
	if fault("print-before-bind") {
		if useTCP {
			fmt.Fprintln(os.Stderr, "print-before-bind needs a unix socket")
			os.Exit(2)
		}
		fmt.Printf("1|%s|%s|%s|grpc|%s\n", version, network, addr, certField)
		time.Sleep(1500 * time.Millisecond)
		l = listen()
	} else {
		l = listen()
		if useTCP {
			addr = l.Addr().String()
		}
		extra := ""
		if fault("seventh-field") {
			extra = "|true" // go-plugin ignores it; Nomad never asks for multiplexing
		}
		fmt.Printf("1|%s|%s|%s|grpc|%s%s\n", version, network, addr, certField, extra)
	}
	if fault("stdout-noise") {
		fmt.Println("serving now")
	}

	opts := []grpc.ServerOption{grpc.MaxRecvMsgSize(1 << 30)}
	if creds != nil {
		opts = append(opts, grpc.Creds(creds))
	}
	srv := grpc.NewServer(opts...)
	hs := health.NewServer()
	if !fault("no-health") {
		hs.SetServingStatus("plugin", healthpb.HealthCheckResponse_SERVING)
		healthpb.RegisterHealthServer(srv, hs)
	}
	stop := make(chan struct{}, 1)
	pluginpb.RegisterGRPCControllerServer(srv, &controller{stop: stop})
	pluginpb.RegisterGRPCStdioServer(srv, stdio{})
	pluginpb.RegisterGRPCBrokerServer(srv, broker{})
	if mode == "driver" {
		b := newBase(basepb.PluginType_DRIVER)
		basepb.RegisterBasePluginServer(srv, b)
		driverpb.RegisterDriverServer(srv, newDriver(b))
	} else {
		b := newBase(basepb.PluginType_DEVICE)
		basepb.RegisterBasePluginServer(srv, b)
		devicepb.RegisterDevicePluginServer(srv, newDevice(b))
	}
	logf("info", "serving %s plugin on %s %s", mode, network, addr)
	go func() {
		<-stop
		logf("info", "shutdown requested")
		if fault("no-shutdown") {
			return
		}
		srv.Stop()
	}()
	if fault("single-client") {
		l = &onceListener{Listener: l, closed: make(chan struct{})}
	}
	if err := srv.Serve(l); err != nil {
		logf("error", "serve: %v", err)
	}
	if network == "unix" {
		_ = os.Remove(addr)
	}
}

// serverCert makes the plugin's certificate: ECDSA P-256, SAN localhost. With
// the pad-cert fault it retries until the DER length needs base64 padding.
func serverCert() (tls.Certificate, []byte) {
	for {
		key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		sn, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
		tmpl := &x509.Certificate{SerialNumber: sn, Subject: pkix.Name{CommonName: "localhost"}, DNSNames: []string{"localhost"},
			ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
			KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment, BasicConstraintsValid: true,
			NotBefore: time.Now().Add(-30 * time.Second), NotAfter: time.Now().Add(24 * time.Hour)}
		if fault("no-san") {
			tmpl.DNSNames = nil
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
		if err != nil {
			fmt.Fprintln(os.Stderr, "certificate:", err)
			os.Exit(1)
		}
		if fault("pad-cert") && len(der)%3 == 0 {
			continue
		}
		return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, der
	}
}

type controller struct {
	pluginpb.UnimplementedGRPCControllerServer
	stop chan struct{}
}

func (c *controller) Shutdown(context.Context, *pluginpb.Empty) (*pluginpb.Empty, error) {
	select {
	case c.stop <- struct{}{}:
	default:
	}
	return &pluginpb.Empty{}, nil
}

type stdio struct {
	pluginpb.UnimplementedGRPCStdioServer
}

func (stdio) StreamStdio(_ *emptypb.Empty, s grpc.ServerStreamingServer[pluginpb.StdioData]) error {
	<-s.Context().Done()
	return nil
}

type broker struct {
	pluginpb.UnimplementedGRPCBrokerServer
}

func (broker) StartStream(s grpc.BidiStreamingServer[pluginpb.ConnInfo, pluginpb.ConnInfo]) error {
	for {
		if _, err := s.Recv(); err != nil {
			return nil
		}
	}
}

// onceListener accepts one connection; later clients are never answered.
type onceListener struct {
	net.Listener
	accepted bool
	closed   chan struct{}
}

func (o *onceListener) Accept() (net.Conn, error) {
	if o.accepted {
		<-o.closed
		return nil, net.ErrClosed
	}
	o.accepted = true
	return o.Listener.Accept()
}

func (o *onceListener) Close() error {
	select {
	case <-o.closed:
	default:
		close(o.closed)
	}
	return o.Listener.Close()
}
